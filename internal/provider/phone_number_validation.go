package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// apiNumberValidator takes a number in the API's form, E.164 digits without
// "+", that the phone number library reads: a NANP number, or one another
// country's numbering plan assigns.
type apiNumberValidator struct{}

var _ validator.String = apiNumberValidator{}

func (apiNumberValidator) Description(context.Context) string {
	return `value must be a number in E.164 digits without "+", such as "16463439507"`
}

func (v apiNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v apiNumberValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := apiNumberProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid phone number",
			fmt.Sprintf("The number must be a number in E.164 digits without \"+\", such as \"16463439507\": %s.", problem))
	}
}

// apiNumberProblem says what keeps s from being a number in the API's form,
// "" when nothing does.
func apiNumberProblem(s string) string {
	if !ownedNumberID.MatchString(s) {
		if n, err := flowroute.ParsePhoneNumber(s); err == nil {
			return fmt.Sprintf("%q is written %q (provider::flowroute::normalize_number gives that form)", s, n.Number)
		}
		return fmt.Sprintf("%q is not", s)
	}
	n, err := flowroute.ParsePhoneNumber("+" + s)
	if err != nil {
		return err.Error()
	}
	if n.Number != s {
		return fmt.Sprintf("%q is written %q", s, n.Number)
	}
	return ""
}
