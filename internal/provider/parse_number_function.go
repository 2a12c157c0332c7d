package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var _ function.Function = parseNumberFunction{}

// parseNumberFunction is provider::flowroute::parse_number.
type parseNumberFunction struct{}

func newParseNumberFunction() function.Function { return parseNumberFunction{} }

// parsedNumberModel is the object parse_number returns.
type parsedNumberModel struct {
	Number      string `tfsdk:"number"`
	E164        string `tfsdk:"e164"`
	CountryCode string `tfsdk:"country_code"`
	AreaCode    string `tfsdk:"area_code"`
	Exchange    string `tfsdk:"exchange"`
	Line        string `tfsdk:"line"`
	National    string `tfsdk:"national"`
}

// numberFormsMarkdown ends both functions' descriptions: what they read. The
// plain text descriptions are the same without the backquotes.
const numberFormsMarkdown = " The number is one of the North American Numbering Plan (NANP: the United " +
	"States, Canada and part of the Caribbean; only +1 numbers are supported), written in any of the forms " +
	"people use: `16463439507`, `+16463439507`, `6463439507`, `+1 646 343 9507`, `(646) 343-9507`, " +
	"`646.343.9507`, `1-646-343-9507`. Spaces, dots and dashes may separate the digits; a `+` may only come " +
	"first, right before the country code 1; parentheses may only enclose the area code. The area code and " +
	"the exchange must start with a digit from 2 to 9. Any other input is an error that says what is wrong " +
	"with it, such as a letter and its position or the wrong number of digits."

func (parseNumberFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_number"
}

func (parseNumberFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	const description = "Returns a phone number in each of its forms and its parts, as an object: `number` " +
		"(the API's form, `16463439507`), `e164` (`+16463439507`), `country_code` (`1`), `area_code` (`646`), " +
		"`exchange` (`343`), `line` (`9507`) and `national` (`(646) 343-9507`)." + numberFormsMarkdown
	resp.Definition = function.Definition{
		Summary:             "Parse a NANP phone number into its forms and parts",
		Description:         withoutBackquotes(description),
		MarkdownDescription: description,
		Parameters:          []function.Parameter{phoneNumberParameter()},
		Return: function.ObjectReturn{AttributeTypes: map[string]attr.Type{
			"number":       types.StringType,
			"e164":         types.StringType,
			"country_code": types.StringType,
			"area_code":    types.StringType,
			"exchange":     types.StringType,
			"line":         types.StringType,
			"national":     types.StringType,
		}},
	}
}

func (parseNumberFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	n, funcErr := phoneNumberArgument(ctx, req)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	resp.Error = resp.Result.Set(ctx, parsedNumberModel{
		Number:      n.Number,
		E164:        n.E164,
		CountryCode: n.CountryCode,
		AreaCode:    n.AreaCode,
		Exchange:    n.Exchange,
		Line:        n.Line,
		National:    n.National,
	})
}

// phoneNumberParameter is the one parameter of both functions. Neither a
// null nor an unknown argument reaches Run: a null one is refused, an
// unknown one makes the result unknown.
func phoneNumberParameter() function.Parameter {
	const description = "The phone number, such as `+1 646 343 9507` or `(646) 343-9507`."
	return function.StringParameter{
		Name:                "number",
		Description:         withoutBackquotes(description),
		MarkdownDescription: description,
	}
}

// phoneNumberArgument parses the function's argument, and blames it when it
// is not a phone number.
func phoneNumberArgument(ctx context.Context, req function.RunRequest) (flowroute.PhoneNumber, *function.FuncError) {
	var s string
	if funcErr := req.Arguments.Get(ctx, &s); funcErr != nil {
		return flowroute.PhoneNumber{}, funcErr
	}
	n, err := flowroute.ParsePhoneNumber(s)
	if err != nil {
		return flowroute.PhoneNumber{}, function.NewArgumentFuncError(0, err.Error())
	}
	return n, nil
}

func withoutBackquotes(markdown string) string {
	return strings.ReplaceAll(markdown, "`", "")
}
