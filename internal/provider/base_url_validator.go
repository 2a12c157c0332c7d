package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// baseURLValidator checks base_url at plan time with the client's own rule, so
// the plan and the client can never disagree on what a usable URL is.
type baseURLValidator struct{}

var _ validator.String = baseURLValidator{}

func (baseURLValidator) Description(context.Context) string {
	return "value must be an absolute http or https URL"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := flowroute.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Flowroute base URL",
			"base_url must be an absolute http or https URL, such as "+flowroute.DefaultBaseURL+": "+err.Error()+".")
	}
}
