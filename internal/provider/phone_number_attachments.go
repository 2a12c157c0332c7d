package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// configuredKey names the private state that remembers which attachments
// the configuration set at the last apply: removing one from the
// configuration detaches it, while one never configured is the account's.
const configuredKey = "configured_attachments"

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
// leaves unset: detached when the last apply had them configured, else as
// the account has them.
func planAttachments(config phoneNumberModel, state phoneNumberModel, plan *phoneNumberModel, configured map[string]bool) {
	for _, a := range attachments {
		if !a.field(&config).IsNull() {
			continue
		}
		if configured[a.attr] {
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
			return notes, fmt.Errorf("setting %s to %s: %w", a.attr, describeValue(want), err)
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

// configuredAttachments reads which attachments the last apply configured.
func configuredAttachments(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) (map[string]bool, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, configuredKey)
	configured := map[string]bool{}
	if len(raw) > 0 && json.Unmarshal(raw, &configured) != nil {
		// Unreadable: treat every attachment as the account's, which never detaches.
		configured = map[string]bool{}
	}
	return configured, diags
}

// configuredIn is the set of attachments the configuration sets.
func configuredIn(config phoneNumberModel) map[string]bool {
	configured := map[string]bool{}
	for _, a := range attachments {
		if !a.field(&config).IsNull() {
			configured[a.attr] = true
		}
	}
	return configured
}

// rememberConfigured records which attachments count as configured.
func rememberConfigured(ctx context.Context, configured map[string]bool, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	raw, err := json.Marshal(configured)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unable to record the configured attachments", err.Error())
		return diags
	}
	return private.SetKey(ctx, configuredKey, raw)
}
