package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

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
	_ resource.ResourceWithConfigure   = (*messagingCallbackResource)(nil)
	_ resource.ResourceWithImportState = (*messagingCallbackResource)(nil)
)

// messagingCallbackResource is the flowroute_messaging_callback resource:
// one of the account's callback URLs, which apply to every number that has
// none of its own.
type messagingCallbackResource struct {
	data *providerData
}

func newMessagingCallbackResource() resource.Resource { return &messagingCallbackResource{} }

type messagingCallbackModel struct {
	ID           types.String   `tfsdk:"id"`
	CallbackType types.String   `tfsdk:"callback_type"`
	CallbackURL  types.String   `tfsdk:"callback_url"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

// callbackTypeNames are the callback types as the configuration names them.
var callbackTypeNames = func() []string {
	names := make([]string, len(flowroute.CallbackTypes))
	for i, t := range flowroute.CallbackTypes {
		names[i] = string(t)
	}
	return names
}()

func (r *messagingCallbackResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_messaging_callback"
}

func (r *messagingCallbackResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "One of the Flowroute account's messaging callback URLs: where Flowroute sends the inbound SMS " +
			"or MMS of every number, or the delivery reports of the messages they send, unless a number has its own " +
			"(`sms_callback_url` and the like on `flowroute_phone_number`). The account has one URL of each type: " +
			"creating this resource takes over the one Flowroute has, and destroying it clears it, by sending an " +
			"empty URL. A change made outside Terraform shows as drift on the next plan.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "The callback type, as `callback_type`.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"callback_type": schema.StringAttribute{
				Description: "What Flowroute sends to the URL: `sms_callback` (inbound SMS), `mms_callback` (inbound " +
					"MMS), `sms_dlr_callback` or `mms_dlr_callback` (the delivery reports of sent SMS or MMS). " +
					"Changing it clears the old type's URL and sets the new one's (replacement).",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(callbackTypeNames...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"callback_url": schema.StringAttribute{
				Description: "The URL Flowroute sends each message or report to, with an HTTP POST, such as " +
					"`https://hooks.example.com/flowroute`: absolute, and `https` (an `http` URL to a host that is not " +
					"loopback draws a warning).",
				Required:   true,
				Validators: []validator.String{callbackURLValidator{}},
			},
			"timeouts": recordTimeoutsAttribute(ctx),
		},
	}
}

func (r *messagingCallbackResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *messagingCallbackResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan messagingCallbackModel
	if !r.start(ctx, req.Plan.Get, &plan, &resp.Diagnostics) {
		return
	}
	if r.set(ctx, plan, "create", &resp.Diagnostics) {
		plan.ID = plan.CallbackType
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	}
}

func (r *messagingCallbackResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state messagingCallbackModel
	if !r.start(ctx, req.State.Get, &state, &resp.Diagnostics) {
		return
	}
	callCtx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "read", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	callbackType := state.ID.ValueString()
	found, err := r.data.client.GetAccountCallback(callCtx, flowroute.CallbackType(callbackType))
	switch {
	case errors.Is(err, flowroute.ErrCallbackNotFound):
		resp.Diagnostics.AddWarning("Messaging callback cleared outside Terraform",
			fmt.Sprintf("The account has no %s URL any more: it was cleared outside Terraform, so it is removed "+
				"from the state, and the next apply sets it again.", callbackType))
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addCallError(&resp.Diagnostics, "Unable to read the messaging callback", call, err, "callback_type")
		return
	}
	state.CallbackType, state.CallbackURL = types.StringValue(callbackType), types.StringValue(found)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

func (r *messagingCallbackResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state messagingCallbackModel
	if !r.start(ctx, req.Plan.Get, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Only the time limits changed: nothing to send.
	if plan.CallbackURL.Equal(state.CallbackURL) || r.set(ctx, plan, "update", &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
	}
}

func (r *messagingCallbackResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state messagingCallbackModel
	if !r.start(ctx, req.State.Get, &state, &resp.Diagnostics) {
		return
	}
	state.CallbackURL = types.StringValue("")
	r.set(ctx, state, "delete", &resp.Diagnostics)
}

// ImportState takes the callback type, such as sms_callback.
func (r *messagingCallbackResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !slices.Contains(callbackTypeNames, req.ID) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID must be the callback type, one of %s; got %q.",
				strings.Join(callbackTypeNames, ", "), req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// start reads the plan or state into m; false when the provider is not
// configured or the value does not read.
func (r *messagingCallbackResource) start(ctx context.Context, get func(context.Context, any) diag.Diagnostics,
	m *messagingCallbackModel, diags *diag.Diagnostics) bool {
	if r.data == nil {
		addUnconfigured(diags)
		return false
	}
	diags.Append(get(ctx, m)...)
	return !diags.HasError()
}

// set sends m's URL ("" clears it) for its type within the operation's
// time limit, and reports whether it was taken.
func (r *messagingCallbackResource) set(ctx context.Context, m messagingCallbackModel, op string, diags *diag.Diagnostics) bool {
	callCtx, cancel, call, ok := startCall(ctx, r.data, m.Timeouts, op, diags)
	defer cancel()
	if !ok {
		return false
	}
	err := r.data.client.SetAccountCallback(callCtx, flowroute.CallbackType(m.CallbackType.ValueString()), m.CallbackURL.ValueString())
	if err == nil {
		return true
	}
	summary := "Unable to set the messaging callback"
	if op == "delete" {
		summary = "Unable to clear the messaging callback"
	}
	if !addFieldErrors(diags, err, "messaging callback", map[string]bool{"callback_url": true}) {
		addCallError(diags, summary, call, err, "callback_type and callback_url")
	}
	return false
}
