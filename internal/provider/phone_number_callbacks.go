package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// A number's messaging callbacks: where Flowroute delivers its inbound SMS
// and MMS and the delivery reports of those it sends. The API sets them but
// cannot read them back, so the state holds what was last sent.

// unsentCallbacksKey names the private state that holds, after a create
// that could not send every callback, the callbacks that were sent; the
// next refresh puts them in the state, so that the plan sends the rest.
const unsentCallbacksKey = "sent_callbacks"

// numberCallback is one callback attribute of flowroute_phone_number.
type numberCallback struct {
	attr         string
	callbackType flowroute.CallbackType
	what         string
	field        func(*phoneNumberModel) *types.String
}

var numberCallbacks = []numberCallback{
	{"sms_callback_url", flowroute.CallbackSMS, "inbound SMS",
		func(m *phoneNumberModel) *types.String { return &m.SMSCallbackURL }},
	{"mms_callback_url", flowroute.CallbackMMS, "inbound MMS",
		func(m *phoneNumberModel) *types.String { return &m.MMSCallbackURL }},
	{"sms_dlr_callback_url", flowroute.CallbackSMSDLR, "the delivery reports of the SMS it sends",
		func(m *phoneNumberModel) *types.String { return &m.SMSDLRCallbackURL }},
	{"mms_dlr_callback_url", flowroute.CallbackMMSDLR, "the delivery reports of the MMS it sends",
		func(m *phoneNumberModel) *types.String { return &m.MMSDLRCallbackURL }},
}

// callbackAttributes are the schema's callback attributes.
func callbackAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(numberCallbacks))
	for _, c := range numberCallbacks {
		attrs[c.attr] = schema.StringAttribute{
			Description: fmt.Sprintf("The URL Flowroute sends this number's %s to (an HTTP POST each), such as "+
				"`https://hooks.example.com/flowroute`, in place of the account's `%s` "+
				"(`flowroute_messaging_callback`). The number needs `messaging_enabled`. A change is sent in place. "+
				"Flowroute cannot read it back: the state holds what Terraform last sent, and a change made outside "+
				"Terraform (in the portal) cannot be seen, nor is it known after an import. Removing it from the "+
				"configuration clears it, by sending an empty URL.", c.what, c.callbackType),
			Optional:   true,
			Validators: []validator.String{callbackURLValidator{}},
		}
	}
	return attrs
}

// convergeCallbacks sends each callback that differs between current and
// plan, recording each success in current.
func (r *phoneNumberResource) convergeCallbacks(ctx context.Context, number string, plan phoneNumberModel, current *phoneNumberModel) error {
	for _, c := range numberCallbacks {
		want, have := *c.field(&plan), c.field(current)
		if want.IsUnknown() || want.Equal(*have) {
			continue
		}
		if err := r.data.client.SetNumberCallback(ctx, number, c.callbackType, want.ValueString()); err != nil {
			return &settingError{arguments: c.attr, what: fmt.Sprintf("setting %s to %s", c.attr, describeValue(want)), err: err}
		}
		*have = want
	}
	return nil
}

// withoutCallbacks is the model of a number just bought, which has no
// callbacks of its own.
func (m phoneNumberModel) withoutCallbacks() phoneNumberModel {
	for _, c := range numberCallbacks {
		*c.field(&m) = types.StringNull()
	}
	return m
}

// rememberSentCallbacks records, after a create whose state holds callbacks
// that were not all sent, the ones sent (those of sent).
func rememberSentCallbacks(ctx context.Context, sent phoneNumberModel, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	urls := map[string]string{}
	for _, c := range numberCallbacks {
		if v := *c.field(&sent); !v.IsNull() && !v.IsUnknown() {
			urls[c.attr] = v.ValueString()
		}
	}
	raw, err := json.Marshal(urls)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unable to record the callbacks sent", err.Error())
		return diags
	}
	return private.SetKey(ctx, unsentCallbacksKey, raw)
}

// takeSentCallbacks puts in the state the callbacks a create recorded as
// sent, and forgets the record: the plan then sends the others.
func (m *phoneNumberModel) takeSentCallbacks(ctx context.Context, from interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}, to interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	raw, diags := from.GetKey(ctx, unsentCallbacksKey)
	var urls map[string]string
	if len(raw) == 0 || json.Unmarshal(raw, &urls) != nil {
		return diags
	}
	for _, c := range numberCallbacks {
		*c.field(m) = stringOrNull(urls[c.attr])
	}
	return append(diags, to.SetKey(ctx, unsentCallbacksKey, nil)...)
}

// callbackURLValidator takes an absolute https URL, or an http one with a
// warning unless its host is loopback, as for base_url.
type callbackURLValidator struct{}

var _ validator.String = callbackURLValidator{}

func (callbackURLValidator) Description(context.Context) string {
	return "value must be an absolute https (or http) URL"
}

func (v callbackURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (callbackURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	var problem string
	switch {
	case err != nil:
		problem = "it is not a valid URL: " + strings.TrimPrefix(err.Error(), fmt.Sprintf("parse %q: ", raw))
	case u.Scheme != "https" && u.Scheme != "http":
		problem = "it must start with https:// (or http://)"
	case u.Host == "" || u.Opaque != "":
		problem = "it has no host"
	case u.Fragment != "":
		problem = "it must not have a fragment (#...), which never reaches a server"
	}
	if problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid callback URL",
			fmt.Sprintf("%q is not usable as a callback URL: %s. Give an absolute URL, such as "+
				"https://hooks.example.com/flowroute.", flowroute.RedactURL(raw), problem))
		return
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Unencrypted callback URL",
			fmt.Sprintf("%q uses plain http to a host that is not loopback: Flowroute would send the messages, "+
				"their text and the numbers across the network unencrypted. Use https.", u.Redacted()))
	}
}
