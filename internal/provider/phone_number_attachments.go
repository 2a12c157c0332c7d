package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var recordID = regexp.MustCompile(`^[0-9]+$`)

// attachment is a record a number points at, set and unset with a request
// of its own.
type attachment struct {
	attr        string
	description string
	// detached is the value when nothing is attached: "" for null.
	detached string
	field    func(*phoneNumberModel) *types.String
	fromAPI  func(flowroute.NumberRelationships) string
	// attach and detach report whether the API only accepted the change,
	// to take effect later.
	attach func(ctx context.Context, client *flowroute.Client, number, id string) (pending bool, err error)
	detach func(ctx context.Context, client *flowroute.Client, number string) (pending bool, err error)
}

// now makes a change that takes effect at once.
func now(err error) (bool, error) { return false, err }

var attachments = []attachment{
	{
		attr: "primary_route_id",
		description: "The id of the route inbound calls take, such as `flowroute_route.pbx.id`. Unset: whatever the " +
			"account has (`\"0\"`, the built-in sip-reg route, for a new number); removing it from the configuration " +
			"returns the number to `\"0\"`.",
		detached: flowroute.SIPRegRouteID,
		field:    func(m *phoneNumberModel) *types.String { return &m.PrimaryRouteID },
		fromAPI:  func(r flowroute.NumberRelationships) string { return r.PrimaryRouteID },
		attach: func(ctx context.Context, c *flowroute.Client, number, id string) (bool, error) {
			return now(c.SetNumberRoute(ctx, number, flowroute.PrimaryRoute, id))
		},
		detach: func(ctx context.Context, c *flowroute.Client, number string) (bool, error) {
			return now(c.ClearNumberRoute(ctx, number, flowroute.PrimaryRoute))
		},
	},
	{
		attr: "failover_route_id",
		description: "The id of the route inbound calls take when the primary route fails. Unset: whatever the " +
			"account has (none for a new number); removing it from the configuration detaches it.",
		field:   func(m *phoneNumberModel) *types.String { return &m.FailoverRouteID },
		fromAPI: func(r flowroute.NumberRelationships) string { return r.FailoverRouteID },
		attach: func(ctx context.Context, c *flowroute.Client, number, id string) (bool, error) {
			return now(c.SetNumberRoute(ctx, number, flowroute.FailoverRoute, id))
		},
		detach: func(ctx context.Context, c *flowroute.Client, number string) (bool, error) {
			return now(c.ClearNumberRoute(ctx, number, flowroute.FailoverRoute))
		},
	},
	{
		attr: "e911_address_id",
		description: "The id of the E911 address that emergency calls from this number report, such as " +
			"`flowroute_e911_address.hq.id` (a fee may apply). Unset: whatever the account has; removing it from the " +
			"configuration detaches it.",
		field:   func(m *phoneNumberModel) *types.String { return &m.E911AddressID },
		fromAPI: func(r flowroute.NumberRelationships) string { return r.E911AddressID },
		attach: func(ctx context.Context, c *flowroute.Client, number, id string) (bool, error) {
			return now(c.AttachE911(ctx, number, id))
		},
		detach: func(ctx context.Context, c *flowroute.Client, number string) (bool, error) {
			return now(c.DetachE911(ctx, number))
		},
	},
	{
		attr: "cnam_preset_id",
		description: "The id of the caller-name preset shown on this number's outbound calls, such as " +
			"`flowroute_cnam_preset.support.id`. It must be approved: attaching one that awaits approval fails " +
			"and says so. Flowroute accepts the change and applies it later (days, by its documentation). Unset: " +
			"whatever the account has; removing it from the configuration detaches it.",
		field:   func(m *phoneNumberModel) *types.String { return &m.CNAMPresetID },
		fromAPI: func(r flowroute.NumberRelationships) string { return r.CNAMPresetID },
		attach: func(ctx context.Context, c *flowroute.Client, number, id string) (bool, error) {
			return c.AttachCNAM(ctx, number, id)
		},
		detach: func(ctx context.Context, c *flowroute.Client, number string) (bool, error) {
			return c.DetachCNAM(ctx, number)
		},
	},
}

// attachmentAttributes are the schema's attachment attributes.
func attachmentAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(attachments))
	for _, a := range attachments {
		attrs[a.attr] = schema.StringAttribute{
			Description: a.description,
			Optional:    true,
			Computed:    true,
			Validators: []validator.String{stringvalidator.RegexMatches(recordID,
				`must be the id of a record of the account: digits, such as "98396"`)},
		}
	}
	return attrs
}

// value is the attachment's value as the state holds it.
func (a attachment) value(id string) types.String {
	if id == "" {
		id = a.detached
	}
	return stringOrNull(id)
}

// fillAttachments takes the attachments from the account, when the answer
// carries them.
func (m *phoneNumberModel) fillAttachments(rel *flowroute.NumberRelationships) {
	for _, a := range attachments {
		field := a.field(m)
		switch {
		case rel != nil:
			*field = a.value(a.fromAPI(*rel))
		case field.IsUnknown():
			*field = a.value("")
		}
	}
}

// planAttachments fills in the plan of the attachments the configuration
// leaves unset: detached when the last apply managed them, else as the
// account has them.
func planAttachments(config phoneNumberModel, state phoneNumberModel, plan *phoneNumberModel, managed map[string]bool) {
	for _, a := range attachments {
		if !a.field(&config).IsNull() {
			continue
		}
		if managed[a.attr] {
			*a.field(plan) = a.value("")
		} else {
			*a.field(plan) = *a.field(&state)
		}
	}
}

// convergeAttachments attaches and detaches what differs between current
// and plan, one request each, recording each success in current. It
// returns a note for each change the API accepted to make later.
func (r *phoneNumberResource) convergeAttachments(ctx context.Context, number string, plan phoneNumberModel, current *phoneNumberModel) ([]string, error) {
	var notes []string
	for _, a := range attachments {
		want, have := *a.field(&plan), a.field(current)
		if want.IsUnknown() || want.Equal(*have) {
			continue
		}
		var (
			pending bool
			err     error
		)
		if id := want.ValueString(); id == "" || id == a.detached {
			pending, err = a.detach(ctx, r.data.client, number)
		} else {
			pending, err = a.attach(ctx, r.data.client, number, id)
		}
		if err != nil {
			return notes, &settingError{arguments: a.attr, what: fmt.Sprintf("setting %s to %s", a.attr, describeValue(want)), err: err}
		}
		*have = a.value(want.ValueString())
		if pending {
			notes = append(notes, fmt.Sprintf("Flowroute accepted setting %s of %s to %s and applies it later "+
				"(HTTP 202: by its documentation, within days).", a.attr, number, describeValue(want)))
		}
	}
	return notes, nil
}

func describeValue(v types.String) string {
	if v.IsNull() {
		return "none"
	}
	return fmt.Sprintf("%q", v.ValueString())
}

// managedAttachmentsAttribute is the schema of managed_attachments.
func managedAttachmentsAttribute() schema.Attribute {
	return schema.SetAttribute{
		Description: "The attachment arguments (`primary_route_id`, `failover_route_id`, `e911_address_id`, " +
			"`cnam_preset_id`) that the configuration sets to a record, as of the last apply: removing one of these " +
			"from the configuration detaches it, however it was attached first (by Terraform, in the portal, or " +
			"before an import). An attachment the configuration never set is the account's, and stays as it is. " +
			"Writing an attachment that is already in place into the configuration plans an in-place update of this " +
			"attribute only, with no request to Flowroute.",
		ElementType: types.StringType,
		Computed:    true,
	}
}

// priorManaged is the set of attachments the configuration managed at the
// last apply. States written before managed_attachments existed kept it in
// private state.
func priorManaged(ctx context.Context, state phoneNumberModel, private privateGetter) (map[string]bool, diag.Diagnostics) {
	managed := map[string]bool{}
	var diags diag.Diagnostics
	if !state.ManagedAttachments.IsNull() && !state.ManagedAttachments.IsUnknown() {
		var names []string
		diags.Append(state.ManagedAttachments.ElementsAs(ctx, &names, false)...)
		for _, name := range names {
			managed[name] = true
		}
	}
	raw, getDiags := private.GetKey(ctx, legacyConfiguredKey)
	diags.Append(getDiags...)
	legacy := map[string]bool{}
	if len(raw) > 0 && json.Unmarshal(raw, &legacy) == nil {
		for name, on := range legacy {
			managed[name] = managed[name] || on
		}
	}
	return managed, diags
}

// managedIn is the set of attachments the configuration sets to a record:
// unknown while any of them is unknown; null when there are none and the
// state holds none either, so that states written before the attribute
// existed plan no change for it.
func managedIn(config phoneNumberModel, prior types.Set) types.Set {
	names := []attr.Value{}
	for _, a := range attachments {
		value := *a.field(&config)
		switch {
		case value.IsUnknown():
			return types.SetUnknown(types.StringType)
		case value.IsNull() || value.ValueString() == a.detached:
		default:
			names = append(names, types.StringValue(a.attr))
		}
	}
	if len(names) == 0 && prior.IsNull() {
		return types.SetNull(types.StringType)
	}
	return types.SetValueMust(types.StringType, names)
}

// unionManaged adds the attachments of prior to those of set, for a state
// whose removed attachments may not be detached yet.
func unionManaged(set types.Set, prior map[string]bool) types.Set {
	names := map[string]bool{}
	for name := range prior {
		names[name] = true
	}
	if !set.IsUnknown() {
		for _, v := range set.Elements() {
			if s, ok := v.(types.String); ok {
				names[s.ValueString()] = true
			}
		}
	}
	values := []attr.Value{}
	for _, a := range attachments {
		if names[a.attr] {
			values = append(values, types.StringValue(a.attr))
		}
	}
	if len(values) == 0 && set.IsNull() {
		return set
	}
	return types.SetValueMust(types.StringType, values)
}

// legacyConfiguredKey named the private state that remembered, before
// managed_attachments, which attachments the configuration set.
const legacyConfiguredKey = "configured_attachments"

// forgetLegacyConfigured drops that private state once the attribute holds it.
func forgetLegacyConfigured(ctx context.Context, private privateSetter) diag.Diagnostics {
	return private.SetKey(ctx, legacyConfiguredKey, nil)
}
