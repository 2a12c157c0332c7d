package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	_ resource.ResourceWithConfigure   = (*cnamPresetResource)(nil)
	_ resource.ResourceWithImportState = (*cnamPresetResource)(nil)
)

// cnamPresetResource is the flowroute_cnam_preset resource.
type cnamPresetResource struct {
	data *providerData
}

func newCNAMPresetResource() resource.Resource { return &cnamPresetResource{} }

type cnamPresetModel struct {
	ID               types.String   `tfsdk:"id"`
	Value            types.String   `tfsdk:"value"`
	IsApproved       types.Bool     `tfsdk:"is_approved"`
	ApprovalDatetime types.String   `tfsdk:"approval_datetime"`
	RejectionReason  types.String   `tfsdk:"rejection_reason"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// cnamPresetModelOf is the preset as Flowroute has it, with the time limits
// of the configuration.
func cnamPresetModelOf(p flowroute.CNAMPreset, limits timeouts.Value) cnamPresetModel {
	return cnamPresetModel{
		ID:               types.StringValue(p.ID),
		Value:            types.StringValue(p.Value),
		IsApproved:       types.BoolValue(p.IsApproved),
		ApprovalDatetime: stringOrNull(p.ApprovalDatetime),
		RejectionReason:  stringOrNull(p.RejectionReason),
		Timeouts:         limits,
	}
}

// maxCNAMLength is the most characters a caller name shows.
const maxCNAMLength = 15

var (
	cnamCharacters = regexp.MustCompile(`^[A-Za-z0-9 .,'&-]*$`)
	cnamLetter     = regexp.MustCompile(`[A-Za-z]`)
)

func (r *cnamPresetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cnam_preset"
}

func (r *cnamPresetResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A CNAM preset of the Flowroute account: a caller name that Flowroute shows on outbound calls " +
			"from the long-code numbers it is assigned to. Flowroute reviews each new preset, which takes up to 48 " +
			"hours: until it is approved it cannot be assigned to a number. `is_approved`, `approval_datetime` and " +
			"`rejection_reason` are read afresh on every refresh. The value can be changed in place while the " +
			"preset is not approved (the new value is reviewed afresh). Flowroute changes no approved preset, and a " +
			"replacement would leave its numbers without a caller name until Flowroute approves the new one, so " +
			"a plan that changes an approved preset's value fails and says how to rename it, each step its own " +
			"apply: add a new preset, wait until it is approved, point the numbers at it, then remove the old one. " +
			"Destroying a preset " +
			"releases the numbers that use it. Import with the preset's id, such as `23454`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "The preset's id, given by Flowroute, such as `23454`.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"value": schema.StringAttribute{
				Description: fmt.Sprintf("The caller name, such as `ACME SUPPORT`: 1 to %d characters, at least one of "+
					"them a letter, from letters, digits, spaces and `. , ' - &`. Unique within the account, in any case. "+
					"It changes in place until Flowroute approves the preset; once approved, a change fails at plan "+
					"time (rename through a new preset instead, as above).", maxCNAMLength),
				Required: true,
				Validators: []validator.String{
					stringvalidator.LengthBetween(1, maxCNAMLength),
					stringvalidator.RegexMatches(cnamCharacters, "may hold only letters, digits, spaces and . , ' - &"),
					stringvalidator.RegexMatches(cnamLetter, "must contain at least one letter"),
				},
				PlanModifiers: []planmodifier.String{approvedValueKept{}},
			},
			"is_approved": schema.BoolAttribute{
				Description: "Whether Flowroute has approved the preset, so that it can be assigned to numbers.",
				Computed:    true,
			},
			"approval_datetime": schema.StringAttribute{
				Description: "When Flowroute approved the preset, as Flowroute writes it; null while it is not approved.",
				Computed:    true,
			},
			"rejection_reason": schema.StringAttribute{
				Description: "Why Flowroute rejected the preset; null unless it was rejected. Change the value to have " +
					"it reviewed again.",
				Computed: true,
			},
			"timeouts": recordTimeoutsAttribute(ctx),
		},
	}
}

// approvedValueKept refuses at plan time a new value for an approved preset.
// Flowroute changes only presets not yet approved, and a replacement would
// delete the preset first: its numbers would show no caller name until
// Flowroute approves the new one (up to 48 hours), and could not take the
// new one before then.
type approvedValueKept struct{}

const approvedValueKeptDescription = "Once Flowroute has approved the preset, a new value fails at plan time: " +
	"rename it through a new preset."

func (approvedValueKept) Description(context.Context) string { return approvedValueKeptDescription }

func (approvedValueKept) MarkdownDescription(context.Context) string {
	return approvedValueKeptDescription
}

func (approvedValueKept) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	// A value known only at apply is sent then, and Flowroute's refusal explained.
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.PlanValue.IsUnknown() || req.PlanValue.Equal(req.StateValue) {
		return
	}
	var approved types.Bool
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("is_approved"), &approved)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if !approved.ValueBool() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Approved CNAM preset cannot be renamed",
		fmt.Sprintf("CNAM preset %s (%q) is approved, and Flowroute changes no approved preset. Replacing it would "+
			"delete it first: the numbers that use it would show no caller name until Flowroute approves the new "+
			"preset, up to 48 hours later, and cannot take the new preset before then. Nothing was changed.\n\n%s",
			id.ValueString(), req.StateValue.ValueString(), renameSteps(req.PlanValue.ValueString())))
}

// renameSteps says how to rename an approved preset without leaving its
// numbers without a caller name.
func renameSteps(value string) string {
	return fmt.Sprintf("To rename it, keep this resource's value as it is, then:\n"+
		"1. add a new flowroute_cnam_preset with value = %q, and apply;\n"+
		"2. wait until Flowroute approves it (its is_approved reads true after a refresh);\n"+
		"3. set the numbers' cnam_preset_id to the new preset's id, and apply;\n"+
		"4. remove this resource, and apply (in the apply of step 3, the CLI may delete it before the numbers move).", value)
}

func (r *cnamPresetResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *cnamPresetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan cnamPresetModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "create", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	created, err := r.data.client.CreateCNAM(callCtx, plan.Value.ValueString())
	if err != nil {
		addCNAMWriteError(&resp.Diagnostics, "Unable to create the CNAM preset", call, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cnamPresetModelOf(created, plan.Timeouts))...)
}

func (r *cnamPresetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state cnamPresetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "read", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	found, err := r.data.client.GetCNAM(callCtx, state.ID.ValueString())
	switch {
	case errors.Is(err, flowroute.ErrCNAMNotFound):
		addGoneWarning(&resp.Diagnostics, "CNAM preset", state.ID.ValueString())
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addCallError(&resp.Diagnostics, "Unable to read the CNAM preset", call, err, "id")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cnamPresetModelOf(found, state.Timeouts))...)
}

func (r *cnamPresetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan, state cnamPresetModel
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
	if plan.Value.Equal(state.Value) {
		// Only the time limits changed: nothing to send.
		state.Timeouts = plan.Timeouts
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		return
	}
	updated, err := r.data.client.UpdateCNAM(callCtx, state.ID.ValueString(), plan.Value.ValueString())
	switch {
	case errors.Is(err, flowroute.ErrCNAMApproved):
		resp.Diagnostics.AddAttributeError(path.Root("value"), "CNAM preset approved since the plan",
			fmt.Sprintf("Flowroute approved CNAM preset %s after the last refresh, and changes no approved preset: "+
				"its value is still %q.\n%s\n\n%s", state.ID.ValueString(), state.Value.ValueString(), answered(err),
				renameSteps(plan.Value.ValueString())))
	case errors.Is(err, flowroute.ErrCNAMNotFound):
		resp.Diagnostics.AddError("Unable to update the CNAM preset",
			fmt.Sprintf("CNAM preset %s was deleted outside Terraform since the last refresh. Run apply again to "+
				"create it anew.\n%s", state.ID.ValueString(), answered(err)))
	case err != nil:
		addCNAMWriteError(&resp.Diagnostics, "Unable to update the CNAM preset", call, err)
	default:
		resp.Diagnostics.Append(resp.State.Set(ctx, cnamPresetModelOf(updated, plan.Timeouts))...)
	}
}

func (r *cnamPresetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state cnamPresetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "delete", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	err := r.data.client.DeleteCNAM(callCtx, state.ID.ValueString())
	if err != nil && !errors.Is(err, flowroute.ErrCNAMNotFound) {
		addCallError(&resp.Diagnostics, "Unable to delete the CNAM preset", call, err, "id")
	}
}

func (r *cnamPresetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importRecord(ctx, "CNAM preset", req, resp)
}

// addCNAMWriteError puts a refused value (HTTP 422: taken already, or not a
// caller name Flowroute accepts) on the value attribute.
func addCNAMWriteError(diags *diag.Diagnostics, summary string, call recordCall, err error) {
	var apiErr *flowroute.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnprocessableEntity {
		addCallError(diags, summary, call, err, "value")
		return
	}
	diags.AddAttributeError(path.Root("value"), "CNAM value refused",
		fmt.Sprintf("Flowroute refused the value.\n%s\n\nAnother preset of the account may have this value already, "+
			"in any case: import that one, or choose another value.", answered(err)))
}
