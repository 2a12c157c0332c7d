package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var (
	_ resource.ResourceWithConfigure        = (*e911AddressResource)(nil)
	_ resource.ResourceWithImportState      = (*e911AddressResource)(nil)
	_ resource.ResourceWithConfigValidators = (*e911AddressResource)(nil)
)

// e911AddressResource is the flowroute_e911_address resource.
type e911AddressResource struct {
	data *providerData
}

func newE911AddressResource() resource.Resource { return &e911AddressResource{} }

type e911AddressModel struct {
	ID                types.String   `tfsdk:"id"`
	Label             types.String   `tfsdk:"label"`
	FirstName         types.String   `tfsdk:"first_name"`
	LastName          types.String   `tfsdk:"last_name"`
	StreetNumber      types.String   `tfsdk:"street_number"`
	StreetName        types.String   `tfsdk:"street_name"`
	City              types.String   `tfsdk:"city"`
	State             types.String   `tfsdk:"state"`
	Country           types.String   `tfsdk:"country"`
	Zip               types.String   `tfsdk:"zip"`
	AddressType       types.String   `tfsdk:"address_type"`
	AddressTypeNumber types.String   `tfsdk:"address_type_number"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

func (m e911AddressModel) address() flowroute.E911Address {
	return flowroute.E911Address{
		ID:                m.ID.ValueString(),
		Label:             m.Label.ValueString(),
		FirstName:         m.FirstName.ValueString(),
		LastName:          m.LastName.ValueString(),
		StreetNumber:      m.StreetNumber.ValueString(),
		StreetName:        m.StreetName.ValueString(),
		City:              m.City.ValueString(),
		State:             m.State.ValueString(),
		Country:           m.Country.ValueString(),
		Zip:               m.Zip.ValueString(),
		AddressType:       m.AddressType.ValueString(),
		AddressTypeNumber: m.AddressTypeNumber.ValueString(),
	}
}

// e911AddressModelOf is the address as Flowroute has it, with the time
// limits of the configuration.
func e911AddressModelOf(a flowroute.E911Address, limits timeouts.Value) e911AddressModel {
	return e911AddressModel{
		ID:                types.StringValue(a.ID),
		Label:             types.StringValue(a.Label),
		FirstName:         types.StringValue(a.FirstName),
		LastName:          types.StringValue(a.LastName),
		StreetNumber:      types.StringValue(a.StreetNumber),
		StreetName:        types.StringValue(a.StreetName),
		City:              types.StringValue(a.City),
		State:             types.StringValue(a.State),
		Country:           types.StringValue(a.Country),
		Zip:               types.StringValue(a.Zip),
		AddressType:       stringOrNull(a.AddressType),
		AddressTypeNumber: stringOrNull(a.AddressTypeNumber),
		Timeouts:          limits,
	}
}

// e911Attributes are the attributes that Flowroute's refusals may name.
var e911Attributes = map[string]bool{
	"label": true, "first_name": true, "last_name": true, "street_number": true, "street_name": true,
	"city": true, "state": true, "country": true, "zip": true, "address_type": true, "address_type_number": true,
}

// e911Blamed names the attributes a refusal that names none may be about.
const e911Blamed = "of the address"

func (r *e911AddressResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_e911_address"
}

// notBlank refuses a text with nothing but spaces, which Flowroute takes as missing.
var notBlank = stringvalidator.RegexMatches(regexp.MustCompile(`\S`), "must not be empty or blank")

func addressText(description string) schema.StringAttribute {
	return schema.StringAttribute{Description: description, Required: true, Validators: []validator.String{notBlank}}
}

func (r *e911AddressResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "An emergency (E911) address of the Flowroute account: where emergency services are sent for " +
			"a 911 call from the numbers it is attached to. Flowroute validates and geocodes the address when it is " +
			"created or changed, and refuses one it cannot place; the fields it refuses are reported on their " +
			"attributes. Every change is made in place. Flowroute refuses to delete an address that numbers still " +
			"use: attach them to another address first, or destroy them together with it. Import with the " +
			"address's id, such as `21301`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "The address's id, given by Flowroute, such as `21301`.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"label":         addressText("A name for the address within the account, such as `HQ`."),
			"first_name":    addressText("The first name of the person or business at the address, for emergency services."),
			"last_name":     addressText("The last name of the person or business at the address, for emergency services."),
			"street_number": addressText("The house number, such as `1218`."),
			"street_name":   addressText("The street, such as `3rd Ave`."),
			"city":          addressText("The city, such as `Seattle`."),
			"state": schema.StringAttribute{
				Description: "The state or province, two upper-case letters, such as `WA`.",
				Required:    true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(regexp.MustCompile(`^[A-Z]{2}$`), "must be two upper-case letters, such as WA"),
				},
			},
			"country": schema.StringAttribute{
				Description: "The country: `US` or `CA`.",
				Required:    true,
				Validators:  []validator.String{stringvalidator.OneOf("US", "CA")},
			},
			"zip": addressText("The ZIP or postal code, such as `98101`."),
			"address_type": schema.StringAttribute{
				Description: "The kind of unit within the building, such as `Suite`, `Apartment`, `Floor` or `Unit`. " +
					"Set together with `address_type_number`.",
				Optional:   true,
				Validators: []validator.String{notBlank},
			},
			"address_type_number": schema.StringAttribute{
				Description: "The unit's number, such as `300`. Set together with `address_type`.",
				Optional:    true,
				Validators:  []validator.String{notBlank},
			},
			"timeouts": recordTimeoutsAttribute(ctx),
		},
	}
}

func (r *e911AddressResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.RequiredTogether(path.MatchRoot("address_type"), path.MatchRoot("address_type_number")),
	}
}

func (r *e911AddressResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *e911AddressResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan e911AddressModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "create", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	created, err := r.data.client.CreateE911(callCtx, plan.address())
	if err != nil {
		addE911WriteError(&resp.Diagnostics, "Unable to create the E911 address", call, err, plan)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, e911AddressModelOf(created, plan.Timeouts))...)
}

func (r *e911AddressResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state e911AddressModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "read", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	found, err := r.data.client.GetE911(callCtx, state.ID.ValueString())
	switch {
	case errors.Is(err, flowroute.ErrE911NotFound):
		addGoneWarning(&resp.Diagnostics, "E911 address", state.ID.ValueString())
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addCallError(&resp.Diagnostics, "Unable to read the E911 address", call, err, "id")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, e911AddressModelOf(found, state.Timeouts))...)
}

func (r *e911AddressResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan, state e911AddressModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "update", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	plan.ID = state.ID
	if plan.address() == state.address() {
		// Only the time limits changed: nothing to send.
		state.Timeouts = plan.Timeouts
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		return
	}
	updated, err := r.data.client.UpdateE911(callCtx, plan.address())
	if err != nil {
		addE911WriteError(&resp.Diagnostics, "Unable to update the E911 address", call, err, plan)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, e911AddressModelOf(updated, plan.Timeouts))...)
}

func (r *e911AddressResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state e911AddressModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "delete", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	err := r.data.client.DeleteE911(callCtx, state.ID.ValueString())
	switch {
	case err == nil, errors.Is(err, flowroute.ErrE911NotFound):
	case errors.Is(err, flowroute.ErrE911InUse):
		resp.Diagnostics.AddError("E911 address in use",
			fmt.Sprintf("Flowroute refused to delete E911 address %s (%q): numbers still use it as their emergency "+
				"address.\n%s\n\nDetach it from those numbers first: set their e911_address_id to another address, or "+
				"remove it, and apply. When the numbers are destroyed or moved in the same apply, refer to this "+
				"address as flowroute_e911_address.<name>.id so that Terraform changes the numbers first.",
				state.ID.ValueString(), state.Label.ValueString(), answered(err)))
	default:
		addCallError(&resp.Diagnostics, "Unable to delete the E911 address", call, err, "id")
	}
}

func (r *e911AddressResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importRecord(ctx, "E911 address", req, resp)
}

// addE911WriteError explains a refused creation or update: on the fields
// Flowroute names, on the address when it cannot be geocoded.
func addE911WriteError(diags *diag.Diagnostics, summary string, call recordCall, err error, plan e911AddressModel) {
	switch {
	case errors.Is(err, flowroute.ErrE911NotGeocoded):
		diags.AddError("Address could not be geocoded",
			fmt.Sprintf("Flowroute could not place %s %s, %s, %s %s, %s on a map, so emergency services could not be "+
				"sent there.\n%s\n\nCheck the street number, street name, city, state and zip against the postal "+
				"service's records.", plan.StreetNumber.ValueString(), plan.StreetName.ValueString(),
				plan.City.ValueString(), plan.State.ValueString(), plan.Zip.ValueString(), plan.Country.ValueString(), answered(err)))
	case errors.Is(err, flowroute.ErrE911NotFound):
		diags.AddError(summary, fmt.Sprintf("E911 address %s was deleted outside Terraform since the last "+
			"refresh. Run apply again to create it anew.\n%s", plan.ID.ValueString(), answered(err)))
	case addFieldErrors(diags, err, "address", e911Attributes):
	default:
		addCallError(diags, summary, call, err, e911Blamed)
	}
}
