package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12+, OpenTofu 1.12+): the one attribute
// that names each resource's object on the account, which import blocks
// (identity = { ... }) and terraform query's results use.

var (
	_ resource.ResourceWithIdentity = (*phoneNumberResource)(nil)
	_ resource.ResourceWithIdentity = (*routeResource)(nil)
	_ resource.ResourceWithIdentity = (*e911AddressResource)(nil)
	_ resource.ResourceWithIdentity = (*cnamPresetResource)(nil)
)

// The identity attributes, the same name in the resources' schemas.
const (
	numberIdentity = "number"
	idIdentity     = "id"
)

func (r *phoneNumberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchemaOf(numberIdentity,
		"The number, in E.164 digits without `+`, such as `16463439507`.")
}

func (r *routeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchemaOf(idIdentity, "The route's id, such as `98396`.")
}

func (r *e911AddressResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchemaOf(idIdentity, "The E911 address's id, such as `21301`.")
}

func (r *cnamPresetResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identitySchemaOf(idIdentity, "The CNAM preset's id, such as `23454`.")
}

func identitySchemaOf(attr, description string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			attr: identityschema.StringAttribute{Description: description, RequiredForImport: true},
		},
	}
}

// keepIdentity sets the identity from attribute attr of the first of the
// states that holds the resource. Operations defer it, so that every way
// out of them leaves the identity set: a read that removes the resource
// passes the state it started from too, since the framework wants an
// identity even then (a resource stored before identities existed has none).
func keepIdentity(ctx context.Context, attr string, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, states ...*tfsdk.State) {
	if identity == nil {
		return
	}
	for _, state := range states {
		if state.Raw.IsNull() {
			continue
		}
		var value types.String
		diags.Append(state.GetAttribute(ctx, path.Root(attr), &value)...)
		if value.IsNull() || value.IsUnknown() {
			continue
		}
		diags.Append(identity.SetAttribute(ctx, path.Root(attr), value)...)
		return
	}
}

// importedID is what an import names: the import ID, or the attribute of
// the identity given instead (import { identity = { ... } }). what names it
// for a diagnostic.
func importedID(ctx context.Context, attr string, req resource.ImportStateRequest, diags *diag.Diagnostics) (id, what string) {
	if req.ID != "" || req.Identity == nil {
		return req.ID, "import ID"
	}
	var value types.String
	diags.Append(req.Identity.GetAttribute(ctx, path.Root(attr), &value)...)
	return value.ValueString(), fmt.Sprintf("%s of the import identity", attr)
}
