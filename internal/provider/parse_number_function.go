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
	Number      string       `tfsdk:"number"`
	E164        string       `tfsdk:"e164"`
	CountryCode string       `tfsdk:"country_code"`
	AreaCode    string       `tfsdk:"area_code"`
	Exchange    string       `tfsdk:"exchange"`
	Line        string       `tfsdk:"line"`
	National    string       `tfsdk:"national"`
	Region      types.String `tfsdk:"region"`
	Location    types.String `tfsdk:"location"`
	TimeZones   []string     `tfsdk:"time_zones"`
	LineType    types.String `tfsdk:"line_type"`
}

// numberFormsMarkdown ends both functions' descriptions: what they read. The
// plain text descriptions are the same without the backquotes.
const numberFormsMarkdown = " The number is written in any of the forms people use: `16463439507`, " +
	"`+16463439507`, `6463439507`, `+1 646 343 9507`, `(646) 343-9507`, `646.343.9507`, `1-646-343-9507`, " +
	"`+44 20 7946 0958`. Spaces, dots and dashes may separate the digits; a `+` may only come first, right " +
	"before the country code. Without a `+` the number is one of the North American Numbering Plan (NANP: the " +
	"United States, Canada and part of the Caribbean), whose parentheses may only enclose the area code and " +
	"whose area code and exchange must start with a digit from 2 to 9. After `+` and another country code, the " +
	"number must be one that country's numbering plan assigns, and may hold the national prefix in parentheses " +
	"(`+44 (0)20 7946 0958`). Any other input is an error that says what is wrong with it, such as a letter and " +
	"its position or the wrong number of digits. " + numberingPlanSource

// numberingPlanSource names the data that numbers are checked and placed
// with, and its version.
const numberingPlanSource = "Numbering plans, places and time zones come from Google's libphonenumber data, as " +
	"shipped in github.com/nyaruka/phonenumbers " + phoneNumbersVersion + "."

// phoneNumbersVersion is the version of github.com/nyaruka/phonenumbers in go.mod.
const phoneNumbersVersion = "v1.8.1"

func (parseNumberFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_number"
}

func (parseNumberFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	description := "Returns a phone number in each of its forms and its parts, as an object: `number` " +
		"(the API's form, `16463439507`), `e164` (`+16463439507`), `country_code` (`1`), `area_code` (`646`), " +
		"`exchange` (`343`), `line` (`9507`) and `national` (`(646) 343-9507`); and where it is: `region` (the " +
		"ISO 3166 country or territory, `US`, `CA`, `GB`), `location` (in English: `New York`, `Manitoba`, " +
		"`Jersey City, NJ`, `London`), `time_zones` (IANA names, `[\"America/New_York\"]`; every zone of the " +
		"country for a number with none of its own, such as a toll-free one) and `line_type` (" + lineTypesMarkdown +
		"). Outside the NANP, `exchange` is empty, `area_code` is the geographic area code (`20` for " +
		"`+44 20 7946 0958`; empty for a number without one, such as a mobile number) and `line` the rest of the " +
		"national number; `national` is written as the country does (`020 7946 0958`). A NANP number of an area " +
		"code not in service is read, but nothing places it: `region`, `location` and `line_type` are null and " +
		"`time_zones` empty." + numberFormsMarkdown
	resp.Definition = function.Definition{
		Summary:             "Parse a phone number into its forms, parts and place",
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
			"region":       types.StringType,
			"location":     types.StringType,
			"time_zones":   types.ListType{ElemType: types.StringType},
			"line_type":    types.StringType,
		}},
	}
}

func (parseNumberFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	n, funcErr := phoneNumberArgument(ctx, req)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	place := n.Place()
	zones := place.TimeZones
	if zones == nil {
		zones = []string{}
	}
	resp.Error = resp.Result.Set(ctx, parsedNumberModel{
		Number:      n.Number,
		E164:        n.E164,
		CountryCode: n.CountryCode,
		AreaCode:    n.AreaCode,
		Exchange:    n.Exchange,
		Line:        n.Line,
		National:    n.National,
		Region:      stringOrNull(place.Region),
		Location:    stringOrNull(place.Location),
		TimeZones:   zones,
		LineType:    stringOrNull(place.LineType),
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

// lineTypesMarkdown lists the line types, as `fixed_line`, `mobile`, ... .
var lineTypesMarkdown = "`" + strings.Join(flowroute.LineTypes, "`, `") + "`"

func withoutBackquotes(markdown string) string {
	return strings.ReplaceAll(markdown, "`", "")
}
