package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// positiveTimeouts rejects a zero or negative duration in a timeouts
// object at plan time; the timeouts package checks only the syntax, and a
// limit of 0s would fail every call before it starts.
type positiveTimeouts struct{}

var _ validator.Object = positiveTimeouts{}

func (positiveTimeouts) Description(context.Context) string {
	return "each duration must be positive"
}

func (v positiveTimeouts) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (positiveTimeouts) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for name, value := range req.ConfigValue.Attributes() {
		s, ok := value.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		// A malformed duration is the timeouts package's own error.
		if d, err := time.ParseDuration(s.ValueString()); err == nil && d <= 0 {
			resp.Diagnostics.AddAttributeError(req.Path.AtName(name), "Invalid timeout",
				"timeouts."+name+" must be a positive duration such as \"30s\" or \"10m\", got \""+s.ValueString()+"\".")
		}
	}
}

// positiveDuration accepts a duration string such as "30m" that is above zero.
type positiveDuration struct{}

var _ validator.String = positiveDuration{}

func (positiveDuration) Description(context.Context) string {
	return `must be a positive duration such as "30m" or "2h"`
}

func (v positiveDuration) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v positiveDuration) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			req.Path.String()+" "+v.Description(ctx)+", got \""+req.ConfigValue.ValueString()+"\".")
	}
}
