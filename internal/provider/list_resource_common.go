package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// What the list resources (terraform query, Terraform 1.14+) share. Each
// lists one resource type's objects on the account with one listing of the
// API, the largest pages it serves and at most the list block's limit, and
// gives each its identity and a display name; with include_resource, the
// resource as a read after import would store it.

// listResourceBase is what every list resource has: its type name, after
// the provider's ("_route"), the same as the resource's, and the provider's
// data.
type listResourceBase struct {
	typeName string
	data     *providerData
}

func (l *listResourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + l.typeName
}

func (l *listResourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// listing is one list request of a list resource, from its configuration
// to the results it streams.
type listing[C, T any] struct {
	data *providerData
	// items names what is listed, in errors and logs: "the account's numbers".
	items string
	// blamed names the arguments that a rejected query (HTTP 400 or 422) blames.
	blamed string
	// fetch lists at most limit items as config filters them,
	// and whatever else the results need when req asks for the resources.
	fetch func(ctx context.Context, req list.ListRequest, config C, limit *int) ([]T, error)
	// result fills in the identity, the display name and, when asked for,
	// the resource of an item; skip is true for an item the listing leaves
	// out after all.
	result func(ctx context.Context, req list.ListRequest, item T, r *list.ListResult) (skip bool)
}

// stream answers the request: the results, or one result with the error.
func (l listing[C, T]) stream(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.data == nil {
		var diags diag.Diagnostics
		diags.AddError("Unconfigured Flowroute provider",
			"The list resource was used before the provider was configured. This is a bug in the provider; please report it.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var config C
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit <= 0 {
		stream.Results = list.NoListResults // limit = 0 asks for nothing
		return
	}
	limit := ptrTo(int(req.Limit))
	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := context.WithTimeout(l.data.maskSecrets(ctx), defaultReadTimeout)
		defer cancel()
		items, err := l.fetch(ctx, req, config, limit)
		if err != nil {
			var diags diag.Diagnostics
			diags.AddError("Unable to list "+l.items, explainError(err, l.blamed, "The listing",
				defaultReadTimeout.String(), "Narrow the list block's filters, or lower its limit."))
			push(list.ListResult{Diagnostics: diags})
			return
		}
		tflog.Debug(ctx, "listed "+l.items, map[string]any{"count": len(items), "include_resource": req.IncludeResource})
		for _, item := range items {
			r := req.NewListResult(ctx)
			if l.result(ctx, req, item, &r) {
				continue
			}
			if !push(r) {
				return
			}
		}
	}
}

// setListIdentity sets the result's identity attribute.
func setListIdentity(ctx context.Context, r *list.ListResult, attr, value string) {
	r.Diagnostics.Append(r.Identity.SetAttribute(ctx, path.Root(attr), value)...)
}

// setListResource sets the result's resource from model, which fill makes
// out of a model whose every attribute is null (timeouts, search and the
// other objects included, as their types want).
func setListResource[M any](ctx context.Context, req list.ListRequest, r *list.ListResult, fill func(*M)) {
	objectType, ok := req.ResourceSchema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		r.Diagnostics.AddError("Unexpected resource schema",
			fmt.Sprintf("The resource's schema is a %s, not an object. This is a bug in the provider; please report it.", objectType))
		return
	}
	nulls := make(map[string]tftypes.Value, len(objectType.AttributeTypes))
	for name, t := range objectType.AttributeTypes {
		nulls[name] = tftypes.NewValue(t, nil)
	}
	blank := tfsdk.Resource{Schema: req.ResourceSchema, Raw: tftypes.NewValue(objectType, nulls)}
	var model M
	r.Diagnostics.Append(blank.Get(ctx, &model)...)
	if r.Diagnostics.HasError() {
		return
	}
	fill(&model)
	r.Diagnostics.Append(r.Resource.Set(ctx, &model)...)
}

// listFilter is an optional filter of a list block.
func listFilter(description string, v validator.String) listschema.StringAttribute {
	return listschema.StringAttribute{Description: description, Optional: true, Validators: []validator.String{v}}
}
