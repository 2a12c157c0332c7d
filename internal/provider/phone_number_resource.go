package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

const (
	// releaseHint says how to release a protected number on purpose.
	releaseHint = "To release the number (it cannot be undone, and the number may not be bought back), first apply " +
		"deletion_protection = false on this resource, then destroy it or remove it from the configuration. To stop " +
		"managing the number without releasing it, use a removed block (or terraform state rm) instead."
)

var (
	_ resource.ResourceWithConfigure        = (*phoneNumberResource)(nil)
	_ resource.ResourceWithImportState      = (*phoneNumberResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*phoneNumberResource)(nil)
	_ resource.ResourceWithConfigValidators = (*phoneNumberResource)(nil)
)

// ownedNumberID is a number as the API names it: E.164 digits without "+".
var ownedNumberID = regexp.MustCompile(`^[0-9]{11,15}$`)

func newPhoneNumberResource() resource.Resource { return &phoneNumberResource{} }

// phoneNumberResource is one number owned by the account, from purchase to
// release.
type phoneNumberResource struct {
	data *providerData
}

type phoneNumberModel struct {
	ID                 types.String   `tfsdk:"id"`
	Number             types.String   `tfsdk:"number"`
	Search             types.Object   `tfsdk:"search"`
	MaxSetupCost       types.Float64  `tfsdk:"max_setup_cost"`
	MaxMonthlyCost     types.Float64  `tfsdk:"max_monthly_cost"`
	Alias              types.String   `tfsdk:"alias"`
	CNAMLookupsEnabled types.Bool     `tfsdk:"cnam_lookups_enabled"`
	MessagingEnabled   types.Bool     `tfsdk:"messaging_enabled"`
	PrimaryRouteID     types.String   `tfsdk:"primary_route_id"`
	FailoverRouteID    types.String   `tfsdk:"failover_route_id"`
	E911AddressID      types.String   `tfsdk:"e911_address_id"`
	CNAMPresetID       types.String   `tfsdk:"cnam_preset_id"`
	DeletionProtection types.Bool     `tfsdk:"deletion_protection"`
	ManagedAttachments types.Set      `tfsdk:"managed_attachments"`
	State              types.String   `tfsdk:"state"`
	RateCenter         types.String   `tfsdk:"rate_center"`
	NumberType         types.String   `tfsdk:"number_type"`
	SetupCost          types.Float64  `tfsdk:"setup_cost"`
	MonthlyCost        types.Float64  `tfsdk:"monthly_cost"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`

	// Messaging callbacks (phone_number_callbacks.go).
	SMSCallbackURL    types.String `tfsdk:"sms_callback_url"`
	MMSCallbackURL    types.String `tfsdk:"mms_callback_url"`
	SMSDLRCallbackURL types.String `tfsdk:"sms_dlr_callback_url"`
	MMSDLRCallbackURL types.String `tfsdk:"mms_dlr_callback_url"`
}

// numberSearchModel is the search object.
type numberSearchModel struct {
	StartsWith types.String `tfsdk:"starts_with"`
	Contains   types.String `tfsdk:"contains"`
	EndsWith   types.String `tfsdk:"ends_with"`
	State      types.String `tfsdk:"state"`
	RateCenter types.String `tfsdk:"rate_center"`
	NumberType types.String `tfsdk:"number_type"`
}

func (r *phoneNumberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_number"
}

func (r *phoneNumberResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	searchFilter := func(description string, v validator.String) schema.StringAttribute {
		return schema.StringAttribute{Description: description, Optional: true, Validators: []validator.String{v}}
	}
	resp.Schema = schema.Schema{
		Description: "A phone number owned by the Flowroute account: bought when created, configured in place, " +
			"released when destroyed. A purchase costs money and a release cannot be undone, so: the number is " +
			"checked before anything is spent (for sale, within `max_setup_cost` and `max_monthly_cost`); a " +
			"purchase is never sent twice for one number; a number bought is in the state whatever fails after; " +
			"a purchase whose outcome is unclear (its answer lost, its wait cut short) keeps its number in the " +
			"state, unconfirmed, until the account owns it or the provider's `unconfirmed_purchase_window` has " +
			"passed; and `deletion_protection` (on by default) refuses to release it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "The number, as `number`.",
				Computed:    true,
			},
			"number": schema.StringAttribute{
				Description: "The number to buy, in E.164 digits without `+`, as the data sources return it, such as " +
					"`16463439507`. Exactly one of `number` and `search` is set. With `search`, this is the number " +
					"bought. Changing it buys the new number and releases the old one (replacement). A value known " +
					"only after apply keeps the number in place: the apply then stops before buying or releasing " +
					"anything if it turns out to be another number, and the next plan shows the replacement.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{apiNumberValidator{}},
			},
			"search": schema.SingleNestedAttribute{
				Description: "Instead of `number`: buy the first purchasable number, in the API's order, that " +
					"matches these filters (as in `flowroute_available_numbers`) and the cost guards. Parallel " +
					"resources with the same search (`count`, `for_each`) buy distinct numbers. Changing the search " +
					"keeps the number while it still matches, and replaces it only when it does not. A search whose " +
					"filters come from data sources changes as the inventory sells out: add `lifecycle { " +
					"ignore_changes = [search] }` so that the number bought never depends on what the inventory " +
					"lists afterwards.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"starts_with": searchFilter("Numbers that start with these digits; country code 1 is assumed "+
						"unless they start with `+` and a country code (`646`, `1646` and `+1646` are alike).",
						stringvalidator.RegexMatches(numberPrefix, `must be digits, optionally after a "+" and a country code, such as "646" or "+1646"`)),
					"contains": searchFilter("Numbers that contain these digits.",
						stringvalidator.RegexMatches(digitString, `must be digits, such as "555"`)),
					"ends_with": searchFilter("Numbers that end with these digits.",
						stringvalidator.RegexMatches(digitString, `must be digits, such as "0000"`)),
					"state": searchFilter("Numbers of this US state or Canadian province, such as `ny`, in either case.",
						stringvalidator.RegexMatches(stateCode, `must be a two-letter state code, such as "ny"`)),
					"rate_center": searchFilter("Numbers of this rate center, such as `nwyrcyzn01`, in either case.",
						stringvalidator.LengthAtLeast(1)),
					"number_type": searchFilter("Numbers of this type: `"+numberTypeLongcode+"` or `"+numberTypeTollFree+"`, in either case.",
						numberTypeValidator()),
				},
			},
			"max_setup_cost": schema.Float64Attribute{
				Description: "Never buy a number whose one-off setup fee, in USD, is above this. With `search`, " +
					"dearer numbers are skipped. It governs purchases only: changing it later changes nothing on the account.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"max_monthly_cost": schema.Float64Attribute{
				Description: "Never buy a number whose monthly fee, in USD, is above this. With `search`, dearer " +
					"numbers are skipped. It governs purchases only: changing it later changes nothing on the account.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"alias": schema.StringAttribute{
				Description: "The number's alias, a label shown in the Flowroute portal. Removing it clears it.",
				Optional:    true,
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"cnam_lookups_enabled": schema.BoolAttribute{
				Description: "Whether inbound calls get a caller-name (CNAM) lookup. Unset: whatever the account has.",
				Optional:    true,
				Computed:    true,
			},
			"messaging_enabled": schema.BoolAttribute{
				Description: "Whether the number sends and receives SMS and MMS. Unset: whatever the account has.",
				Optional:    true,
				Computed:    true,
			},
			"deletion_protection": schema.BoolAttribute{
				Description: "While `true` (the default), destroying or replacing this resource fails, and nothing is " +
					"released. Set it to `false` and apply before releasing the number on purpose. A replacement the CLI " +
					"decides by itself (`-replace`, `replace_triggered_by`) is refused at plan time too, before anything " +
					"is bought, with `create_before_destroy` as well. A tainted number is the exception: its " +
					"replacement looks like a new number to the provider, so with `create_before_destroy` (set here, or " +
					"inherited from a resource that depends on this one) the new number would be bought before the " +
					"release is refused, leaving the old one deposed. Untaint it (`terraform untaint`) rather than " +
					"replace it, or apply `deletion_protection = false` first.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"state": schema.StringAttribute{
				Description: "The number's state or province, such as `ca`. Null when the API leaves it out.",
				Computed:    true,
			},
			"rate_center": schema.StringAttribute{
				Description: "The number's rate center, such as `millbrae`. Null when the API leaves it out.",
				Computed:    true,
			},
			"number_type": schema.StringAttribute{
				Description: "The number's type, such as `longcode`, `toll-free` or `standard`. Null when the API leaves it out.",
				Computed:    true,
			},
			"setup_cost": schema.Float64Attribute{
				Description: "The one-off setup fee the number was bought for, in USD. Null when the API leaves it out.",
				Computed:    true,
			},
			"monthly_cost": schema.Float64Attribute{
				Description: "The number's monthly fee, in USD. Null when the API leaves it out.",
				Computed:    true,
			},
			"timeouts": resourceTimeoutsAttribute(ctx,
				"How long the purchase may take, the search and retries included. Defaults to `10m`.",
				"How long the release may take, retries included. Defaults to `10m`."),
		},
	}
	for name, attr := range attachmentAttributes() {
		resp.Schema.Attributes[name] = attr
	}
	resp.Schema.Attributes["managed_attachments"] = managedAttachmentsAttribute()
	for name, attr := range callbackAttributes() {
		resp.Schema.Attributes[name] = attr
	}
}

func (r *phoneNumberResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("number"), path.MatchRoot("search")),
	}
}

func (r *phoneNumberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan decides what a change costs: a number keeps its place while
// the configuration still describes it (the same number, or a search it
// still matches), and is replaced only when it does not. A destroy or a
// replacement under deletion_protection fails here, before anything is done.
func (r *phoneNumberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		r.refuseProtectedReplacement(ctx, req, resp)
		return // create: everything computed is known after the purchase
	}
	var state phoneNumberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		if state.DeletionProtection.ValueBool() {
			resp.Diagnostics.AddError("Deletion protection is on",
				fmt.Sprintf("Destroying flowroute_phone_number %s would release %s, and deletion_protection is true, so "+
					"nothing was done. %s", state.Number.ValueString(), state.Number.ValueString(), releaseHint))
			return
		}
		if sentAt, unconfirmed, diags := unconfirmedSince(ctx, req.Private); unconfirmed && r.data != nil &&
			time.Since(sentAt) < r.data.settleWindow {
			resp.Diagnostics.Append(diags...)
			resp.Diagnostics.AddError("Purchase still unconfirmed", unconfirmedReleaseDetail(state.Number.ValueString(),
				sentAt, r.data.settleWindow))
		}
		return
	}
	var plan, config phoneNumberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A replacement that the CLI decides (-replace, replace_triggered_by)
	// plans the new object next, with this private state: its create is
	// refused there while the number it would release is protected.
	protectedNumber := ""
	if state.DeletionProtection.ValueBool() {
		protectedNumber = strconv.Quote(state.Number.ValueString())
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacesProtectedKey, []byte(protectedNumber))...)
	replaceFor := r.replacementReason(ctx, config, state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if replaceFor != nil {
		if state.DeletionProtection.ValueBool() {
			resp.Diagnostics.AddAttributeError(*replaceFor, "Deletion protection is on",
				fmt.Sprintf("This change replaces flowroute_phone_number %s: it would buy another number and release "+
					"%s, and deletion_protection is true, so nothing was done. %s", state.Number.ValueString(),
					state.Number.ValueString(), releaseHint))
			return
		}
		resp.RequiresReplace = append(resp.RequiresReplace, *replaceFor)
		return // the framework leaves the computed values unknown
	}
	// The same number: what the account says of it stands. A number known
	// only after apply stays unknown: the apply decides.
	plan.ID = state.ID
	if !config.Number.IsUnknown() {
		plan.Number = state.Number
	}
	plan.State, plan.RateCenter, plan.NumberType = state.State, state.RateCenter, state.NumberType
	plan.SetupCost, plan.MonthlyCost = state.SetupCost, state.MonthlyCost
	if config.CNAMLookupsEnabled.IsNull() {
		plan.CNAMLookupsEnabled = state.CNAMLookupsEnabled
	}
	if config.MessagingEnabled.IsNull() {
		plan.MessagingEnabled = state.MessagingEnabled
	}
	managed, diags := priorManaged(ctx, state, req.Private)
	resp.Diagnostics.Append(diags...)
	planAttachments(config, state, &plan, managed)
	plan.ManagedAttachments = managedIn(config, state.ManagedAttachments)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// replacesProtectedKey names the private state that the plan of a
// protected number hands to the plan of its replacement: the number that
// replacement would release.
const replacesProtectedKey = "replaces_protected_number"

// refuseProtectedReplacement fails the plan of a new object that replaces a
// protected number, which the CLI decided (-replace, replace_triggered_by):
// with create_before_destroy, the new number would be bought before the
// release is refused, leaving the old one deposed.
func (r *phoneNumberResource) refuseProtectedReplacement(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	raw, diags := req.Private.GetKey(ctx, replacesProtectedKey)
	resp.Diagnostics.Append(diags...)
	old, err := strconv.Unquote(string(raw))
	if len(raw) == 0 || err != nil {
		return
	}
	resp.Diagnostics.AddError("Deletion protection is on",
		fmt.Sprintf("This plan replaces flowroute_phone_number %s (-replace or replace_triggered_by): it would buy "+
			"another number and release %s, and deletion_protection is true, so nothing was done. %s", old, old, releaseHint))
}

// replacementReason returns the attribute that makes the configuration
// describe another number than the one owned, or nil when it still
// describes it. Unknown values decide nothing until they are known.
func (r *phoneNumberResource) replacementReason(ctx context.Context, config, state phoneNumberModel, diags *diag.Diagnostics) *path.Path {
	if config.Number.IsUnknown() {
		diags.AddAttributeWarning(path.Root("number"), "Number known only after apply",
			fmt.Sprintf("number depends on values known only after apply, so this plan keeps %s in place rather than "+
				"replace it on a guess. If number turns out to be %s, nothing changes. If it is another number, the "+
				"apply stops before anything is bought or released (with deletion_protection on, with that error; "+
				"otherwise the CLI reports that the provider changed the planned action), and the next plan shows "+
				"the replacement.", state.Number.ValueString(), state.Number.ValueString()))
		return nil
	}
	if config.Search.IsUnknown() {
		addSearchUndecided(diags)
		return nil
	}
	if !config.Number.IsNull() {
		if config.Number.ValueString() != state.Number.ValueString() {
			p := path.Root("number")
			return &p
		}
		return nil
	}
	var search numberSearchModel
	diags.Append(config.Search.As(ctx, &search, basetypes.ObjectAsOptions{})...)
	if diags.HasError() {
		return nil
	}
	if search.hasUnknown() {
		addSearchUndecided(diags)
		return nil
	}
	if !search.matches(state) {
		p := path.Root("search")
		return &p
	}
	return nil
}

// addSearchUndecided explains a search known only after apply: replacing
// the number on a guess could release a number that still matches, so the
// change is stored in place and the next plan decides.
func addSearchUndecided(diags *diag.Diagnostics) {
	diags.AddAttributeWarning(path.Root("search"), "Search known only after apply",
		"The search depends on values known only after apply, so whether the number bought still matches it is "+
			"decided on the next plan: this apply keeps the number and stores the search. If the number does not "+
			"match the search once it is known, the next plan replaces it (or, with deletion_protection, says so).")
}

// hasUnknown reports a filter whose value is known only after apply.
func (s numberSearchModel) hasUnknown() bool {
	for _, f := range []types.String{s.StartsWith, s.Contains, s.EndsWith, s.State, s.RateCenter, s.NumberType} {
		if f.IsUnknown() {
			return true
		}
	}
	return false
}

// matches reports whether the owned number, as the state describes it,
// satisfies every filter of the search, all known.
func (s numberSearchModel) matches(owned phoneNumberModel) bool {
	number := owned.Number.ValueString()
	textFilter := func(filter types.String, ok func(string) bool) bool {
		return filter.IsNull() || ok(filter.ValueString())
	}
	return textFilter(s.StartsWith, func(v string) bool { return strings.HasPrefix(number, searchPrefix(v)) }) &&
		textFilter(s.Contains, func(v string) bool { return strings.Contains(number, v) }) &&
		textFilter(s.EndsWith, func(v string) bool { return strings.HasSuffix(number, v) }) &&
		textFilter(s.State, func(v string) bool { return strings.EqualFold(v, owned.State.ValueString()) }) &&
		textFilter(s.RateCenter, func(v string) bool { return strings.EqualFold(v, owned.RateCenter.ValueString()) }) &&
		textFilter(s.NumberType, func(v string) bool { return sameNumberType(v, owned.NumberType.ValueString()) })
}

// searchPrefix is the digits a starts_with filter matches at the start of a
// number: country code 1 is assumed unless given after "+", and no NANP
// area code starts with 1.
func searchPrefix(startsWith string) string {
	switch {
	case strings.HasPrefix(startsWith, "+"):
		return startsWith[1:]
	case strings.HasPrefix(startsWith, "1"):
		return startsWith
	}
	return "1" + startsWith
}

// sameNumberType compares number types, older answers calling a local
// number "standard" where the search says "longcode".
func sameNumberType(filter, owned string) bool {
	if strings.EqualFold(owned, "standard") {
		owned = numberTypeLongcode
	}
	return strings.EqualFold(filter, owned)
}

func (r *phoneNumberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer keepIdentity(ctx, numberIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan, config phoneNumberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "create", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	guards := costGuards{maxSetup: plan.MaxSetupCost.ValueFloat64Pointer(), maxMonthly: plan.MaxMonthlyCost.ValueFloat64Pointer()}
	buyer := &purchaser{client: r.data.client, claims: r.data.claims, maxRetries: r.data.maxRetries}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacesProtectedKey, nil)...)
	var (
		bought *purchase
		err    error
	)
	if !plan.Number.IsUnknown() && !plan.Number.IsNull() {
		bought, err = buyer.buyExact(ctx, plan.Number.ValueString(), guards)
	} else {
		var search numberSearchModel
		resp.Diagnostics.Append(plan.Search.As(ctx, &search, basetypes.ObjectAsOptions{})...)
		if resp.Diagnostics.HasError() {
			return
		}
		bought, err = buyer.buySearch(ctx, search.query(), guards)
	}
	if err != nil {
		r.addPurchaseError(&resp.Diagnostics, err, call)
		return
	}

	// From here on the number is bought (or may be): it goes into the state
	// whatever fails after, and only warnings are left to say, since an
	// error would taint the resource and have the next plan replace it.
	number := bought.candidate.Number
	plan.ID, plan.Number = types.StringValue(number), types.StringValue(number)
	plan.fillFromCandidate(bought.candidate)
	for _, w := range bought.warnings {
		resp.Diagnostics.AddWarning("Number bought, with a caveat", w)
	}
	plan.ManagedAttachments = managedIn(config, types.SetNull(types.StringType))
	if bought.owned == nil {
		resp.Diagnostics.AddAttributeWarning(path.Root("number"), "Purchase unconfirmed",
			unconfirmedDetail(number, bought.unconfirmedSince, r.data.settleWindow)+"\n\n"+bought.unconfirmedWhy)
		resp.Diagnostics.Append(markUnconfirmed(ctx, resp.Private, bought.unconfirmedSince)...)
		plan.CNAMLookupsEnabled = knownOrNull(plan.CNAMLookupsEnabled)
		plan.MessagingEnabled = knownOrNull(plan.MessagingEnabled)
		plan.fillAttachments(nil)
		resp.Diagnostics.Append(rememberSentCallbacks(ctx, phoneNumberModel{}, resp.Private)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	tflog.Info(ctx, "bought a number", map[string]any{"number": number})

	current := plan
	current = current.withoutCallbacks() // a number just bought has none
	current.fillFromOwned(bought.owned)
	plan.State, plan.RateCenter, plan.NumberType = current.State, current.RateCenter, current.NumberType
	plan.SetupCost, plan.MonthlyCost = current.SetupCost, current.MonthlyCost
	plan.takeUnknownsFrom(current)
	notes, err := r.converge(ctx, number, plan, &current)
	addPendingNotes(&resp.Diagnostics, notes)
	if err != nil {
		// The state holds the configured values, as it must after a create;
		// the next refresh reads the account's, so the next plan shows the
		// change still to make, in place.
		resp.Diagnostics.AddWarning("Number bought, but its settings were not all applied",
			fmt.Sprintf("%s was bought and is in the state, but a setting could not be applied.\n\n%s\n\nRun apply "+
				"again: the next plan shows what is still to apply, as an in-place update. The number is not bought again.",
				number, call.explain(err, "The update", failedArguments(err))))
		resp.Diagnostics.Append(rememberSentCallbacks(ctx, current, resp.Private)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	// The applied values must be the planned ones; a refresh shows the
	// account's if it put them differently.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// addPurchaseError explains a create that bought nothing.
func (r *phoneNumberResource) addPurchaseError(diags *diag.Diagnostics, err error, call recordCall) {
	var (
		guard   *guardError
		owned   *alreadyOwnedError
		noMatch *noMatchError
	)
	switch {
	case errors.As(err, &guard):
		diags.AddAttributeError(path.Root(guard.attr), "Number above the cost guards", err.Error()+".")
	case errors.As(err, &owned):
		diags.AddAttributeError(path.Root("number"), "Number already on the account", err.Error()+".")
	case errors.Is(err, errNotPurchasable):
		diags.AddAttributeError(path.Root("number"), "Number not for sale",
			fmt.Sprintf("%s\n\nNothing was bought: the number is not, or no longer, for sale. Pick another number, "+
				"for example with the flowroute_available_numbers data source, or use search.", err))
	case errors.As(err, &noMatch):
		diags.AddAttributeError(path.Root("search"), "No number for sale matches the search", err.Error()+".")
	default:
		diags.AddError("Unable to buy a phone number",
			call.explain(err, "The purchase", "number, search, max_setup_cost and max_monthly_cost")+"\n\nNothing was bought.")
	}
}

func (r *phoneNumberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer keepIdentity(ctx, numberIdentity, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state phoneNumberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "read", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	number := state.ID.ValueString()
	owned, err := r.data.client.GetNumber(ctx, number)
	sentAt, unconfirmed, diags := unconfirmedSince(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if errors.Is(err, flowroute.ErrNotOnAccount) && unconfirmed {
		r.settleUnconfirmed(ctx, number, sentAt, resp)
		return
	}
	if errors.Is(err, flowroute.ErrNotOnAccount) {
		resp.Diagnostics.AddWarning("Phone number no longer on the account",
			fmt.Sprintf("%s is no longer on the Flowroute account (released outside Terraform?). It was removed from "+
				"the state; the next plan offers to buy a number again.", number))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to read a phone number", call.explain(err, "The refresh", "id"))
		return
	}
	if unconfirmed {
		resp.Diagnostics.AddWarning("Purchase confirmed",
			fmt.Sprintf("The account owns %s, whose purchase was unconfirmed: it stays in the state. While it was "+
				"unconfirmed, another resource created in a later run (of this configuration or another) could have "+
				"bought the same number: check that no other flowroute_phone_number holds %s, since destroying either "+
				"would release it.", number, number))
		resp.Diagnostics.Append(clearUnconfirmed(ctx, resp.Private)...)
	}
	state.Number = types.StringValue(owned.Number)
	state.ID = state.Number
	state.fillFromOwned(owned)
	resp.Diagnostics.Append(state.takeSentCallbacks(ctx, req.Private, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *phoneNumberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer keepIdentity(ctx, numberIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan, state, config phoneNumberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Number.ValueString() != state.Number.ValueString() {
		// Known only now, and another number: replacing it needs a plan of its own.
		resp.Diagnostics.AddAttributeError(path.Root("number"), "Number changed during apply",
			fmt.Sprintf("number was known only after apply and turned out to be %s, not %s. Nothing was bought or "+
				"released: the next plan shows the replacement of %s by %s.", plan.Number.ValueString(),
				state.Number.ValueString(), state.Number.ValueString(), plan.Number.ValueString()))
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "update", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	// Guards, deletion_protection and a search the number still matches
	// change nothing on the account: they are stored as they are.
	current := state
	current.MaxSetupCost, current.MaxMonthlyCost = plan.MaxSetupCost, plan.MaxMonthlyCost
	current.DeletionProtection, current.Search, current.Timeouts = plan.DeletionProtection, plan.Search, plan.Timeouts
	notes, err := r.converge(ctx, state.ID.ValueString(), plan, &current)
	addPendingNotes(&resp.Diagnostics, notes)
	resp.Diagnostics.Append(forgetLegacyConfigured(ctx, resp.Private)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacesProtectedKey, nil)...)
	sentAt, unconfirmed, diags := unconfirmedSince(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	switch {
	case err != nil && unconfirmed && errors.Is(err, flowroute.ErrNotOnAccount):
		resp.Diagnostics.AddError("Purchase still unconfirmed", unconfirmedDetail(state.Number.ValueString(), sentAt,
			r.data.settleWindow)+"\n\nIts settings can be applied once the account owns it: run apply again then.")
	case err != nil:
		resp.Diagnostics.AddError("Unable to update a phone number", call.explain(err, "The update", failedArguments(err))+
			"\n\nThe number is still owned; the state holds what was applied before the failure.")
	}
	if err != nil {
		// An attachment managed before and removed now may not be detached
		// yet: it stays managed, so the next plan detaches it.
		prior, diags := priorManaged(ctx, state, req.Private)
		resp.Diagnostics.Append(diags...)
		current.ManagedAttachments = unionManaged(managedIn(config, state.ManagedAttachments), prior)
		resp.Diagnostics.Append(resp.State.Set(ctx, &current)...)
		return
	}
	// The applied values must be the planned ones; a refresh shows the
	// account's if it put them differently.
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *phoneNumberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state phoneNumberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	number := state.ID.ValueString()
	if state.DeletionProtection.ValueBool() {
		resp.Diagnostics.AddError("Deletion protection is on",
			fmt.Sprintf("%s was not released: deletion_protection is true. %s", number, releaseHint))
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "delete", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	err := r.data.client.ReleaseNumber(ctx, number)
	sentAt, unconfirmed, diags := unconfirmedSince(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	switch {
	case errors.Is(err, flowroute.ErrNotOnAccount) && unconfirmed && time.Since(sentAt) < r.data.settleWindow:
		resp.Diagnostics.AddError("Purchase still unconfirmed", unconfirmedReleaseDetail(number, sentAt, r.data.settleWindow))
	case errors.Is(err, flowroute.ErrNotOnAccount):
		tflog.Info(ctx, "number already released", map[string]any{"number": number})
	case err != nil:
		resp.Diagnostics.AddError("Unable to release a phone number", call.explain(err, "The release", "id")+
			"\n\nThe number is still in the state; run destroy again.")
	default:
		tflog.Info(ctx, "released a number", map[string]any{"number": number})
	}
}

// ImportState takes a number the account owns: an import ID in any form the
// phone number library reads, such as 16463439507 or "+1 646 343 9507"; an
// identity in the form the state holds, 16463439507.
// Deletion protection starts on, as for a number bought here.
func (r *phoneNumberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what := importedID(ctx, numberIdentity, req, &resp.Diagnostics)
	if req.ID == "" && !ownedNumberID.MatchString(id) {
		// An identity is the number as the state holds it, in one form only.
		resp.Diagnostics.AddError("Invalid "+what,
			fmt.Sprintf("The %s must be the number in E.164 digits without \"+\", as the resource's identity holds "+
				"it, such as 16463439507; got %q.", what, id))
		return
	}
	parsed, err := flowroute.ParsePhoneNumber(id)
	if err != nil {
		resp.Diagnostics.AddError("Invalid "+what,
			fmt.Sprintf("The %s must be a number the account owns, such as 16463439507 or +1 646 343 9507: %s.", what, err))
		return
	}
	number := parsed.Number
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), number)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("number"), number)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_protection"), true)...)
	keepIdentity(ctx, numberIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
}

// query is the search as the client takes it.
func (s numberSearchModel) query() flowroute.NumbersQuery {
	return flowroute.NumbersQuery{
		StartsWith: s.StartsWith.ValueString(),
		Contains:   s.Contains.ValueString(),
		EndsWith:   s.EndsWith.ValueString(),
		State:      s.State.ValueString(),
		RateCenter: s.RateCenter.ValueString(),
		NumberType: apiNumberType(s.NumberType),
	}
}

// fillFromCandidate takes what the inventory said of the number bought.
func (m *phoneNumberModel) fillFromCandidate(n flowroute.Number) {
	m.State, m.RateCenter, m.NumberType = stringOrNull(n.State), stringOrNull(n.RateCenter), stringOrNull(n.NumberType)
	m.SetupCost, m.MonthlyCost = types.Float64PointerValue(n.SetupCost), types.Float64PointerValue(n.MonthlyCost)
}

// fillFromOwned takes what the account says of the number.
func (m *phoneNumberModel) fillFromOwned(owned *flowroute.AccountNumber) {
	if owned.State != "" || m.State.IsUnknown() {
		m.State = stringOrNull(owned.State)
	}
	if owned.RateCenter != "" || m.RateCenter.IsUnknown() {
		m.RateCenter = stringOrNull(owned.RateCenter)
	}
	if owned.NumberType != "" || m.NumberType.IsUnknown() {
		m.NumberType = stringOrNull(owned.NumberType)
	}
	// Costs are newer attributes: a number's answer may leave them out while
	// the inventory gave them.
	if owned.SetupCost != nil || m.SetupCost.IsUnknown() {
		m.SetupCost = types.Float64PointerValue(owned.SetupCost)
	}
	if owned.MonthlyCost != nil || m.MonthlyCost.IsUnknown() {
		m.MonthlyCost = types.Float64PointerValue(owned.MonthlyCost)
	}
	m.fillSettings(owned)
	m.fillAttachments(owned.Relationships)
}

// takeUnknownsFrom resolves the values left to the account (optional and
// computed, not configured) from what it has.
func (m *phoneNumberModel) takeUnknownsFrom(account phoneNumberModel) {
	for _, pair := range []struct{ to, from *types.Bool }{
		{&m.CNAMLookupsEnabled, &account.CNAMLookupsEnabled},
		{&m.MessagingEnabled, &account.MessagingEnabled},
	} {
		if pair.to.IsUnknown() {
			*pair.to = *pair.from
		}
	}
	for _, a := range attachments {
		if a.field(m).IsUnknown() {
			*a.field(m) = *a.field(&account)
		}
	}
}

// addPendingNotes says which changes the API accepted to make later.
func addPendingNotes(diags *diag.Diagnostics, notes []string) {
	for _, note := range notes {
		diags.AddWarning("Change accepted, applied later", note)
	}
}

// knownOrNull turns an unknown planned value into null, since the state
// must hold known values only.
func knownOrNull(v types.Bool) types.Bool {
	if v.IsUnknown() {
		return types.BoolNull()
	}
	return v
}
