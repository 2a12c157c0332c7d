package provider

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

type availableNumbersModel struct {
	listArguments
	StartsWith types.String  `tfsdk:"starts_with"`
	Contains   types.String  `tfsdk:"contains"`
	EndsWith   types.String  `tfsdk:"ends_with"`
	State      types.String  `tfsdk:"state"`
	RateCenter types.String  `tfsdk:"rate_center"`
	NumberType types.String  `tfsdk:"number_type"`
	Numbers    []numberModel `tfsdk:"numbers"`
}

type numberModel struct {
	Number      types.String  `tfsdk:"number"`
	State       types.String  `tfsdk:"state"`
	RateCenter  types.String  `tfsdk:"rate_center"`
	NumberType  types.String  `tfsdk:"number_type"`
	SetupCost   types.Float64 `tfsdk:"setup_cost"`
	MonthlyCost types.Float64 `tfsdk:"monthly_cost"`
	DetailsURL  types.String  `tfsdk:"details_url"`
}

// The digit filters take what the client sends: digits, and for starts_with
// optionally a "+" before a country code.
var (
	numberPrefix = regexp.MustCompile(`^\+?[0-9]+$`)
	digitString  = regexp.MustCompile(`^[0-9]+$`)
	stateCode    = regexp.MustCompile(`^[A-Za-z]{2}$`)
)

// Number types as the API spells them.
const (
	numberTypeLongcode = "longcode"
	numberTypeTollFree = "toll-free"
)

// numberTypeDescription describes a number_type argument.
const numberTypeDescription = "`" + numberTypeLongcode + "` (local numbers) or `" + numberTypeTollFree + "`, in any case"

// numberTypeValidator accepts a number type in any case, as people write it
// ("Toll-Free"); apiNumberType turns it into the API's spelling.
func numberTypeValidator() validator.String {
	return stringvalidator.OneOfCaseInsensitive(numberTypeLongcode, numberTypeTollFree)
}

// apiNumberType is a number_type argument as the API takes it: lower case.
func apiNumberType(v types.String) string {
	return strings.ToLower(v.ValueString())
}

// nullWhenMissing ends the description of a number's attribute that the API
// may leave out.
const nullWhenMissing = " Null when the API leaves it out or sends it empty"

func (*availableNumbersModel) describe() listDescription {
	return listDescription{
		typeName: "_available_numbers",
		schema:   availableNumbersSchema,
		items:    "available numbers",
		blamed:   "starts_with, contains, ends_with, state, rate_center, number_type, limit and offset",
	}
}

func availableNumbersSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Description: "Searches the phone numbers that Flowroute has to purchase, in the API's order. `limit` is " +
			"required: the inventory is large. The data source pages through the API by itself, with the largest " +
			"pages the API allows, and returns one list: all the numbers asked for or, when anything fails, an " +
			"error and no list. The whole read, retries included, must finish within `timeouts.read` (default 5 " +
			"minutes).",
		Attributes: map[string]schema.Attribute{
			"starts_with": filterAttribute("Keep only the numbers that start with these digits. Country code 1 "+
				"is assumed unless the digits start with `+` and a country code: `646`, `1646` and `+1646` search "+
				"the same numbers. An exchange's numbers are those starting with `1` and the exchange.",
				stringvalidator.RegexMatches(numberPrefix, `must be digits, optionally after a "+" and a country code, such as "646" or "+1646"`)),
			"contains": filterAttribute("Keep only the numbers that contain these digits.",
				stringvalidator.RegexMatches(digitString, `must be digits, such as "555"`)),
			"ends_with": filterAttribute("Keep only the numbers that end with these digits.",
				stringvalidator.RegexMatches(digitString, `must be digits, such as "0000"`)),
			"state": filterAttribute("Keep only the numbers of this US state or Canadian province: its two-letter "+
				"code, such as `ny`, in either case.",
				stringvalidator.RegexMatches(stateCode, `must be a two-letter state code, such as "ny"`)),
			"rate_center": filterAttribute("Keep only the numbers of this rate center, such as `nwyrcyzn01`, in "+
				"either case.",
				stringvalidator.LengthAtLeast(1)),
			"number_type": filterAttribute("Keep only the numbers of this type: "+numberTypeDescription+".",
				numberTypeValidator()),
			"limit":    limitAttribute("numbers", true),
			"offset":   offsetAttribute("numbers"),
			"timeouts": timeoutsAttribute(ctx),
			"numbers": computedList("The matching numbers, in the API's order. A text attribute the API leaves "+
				"out or sends empty is null; so is a cost it leaves out.", map[string]schema.Attribute{
				"number":       computedString("The phone number in E.164 digits without the `+`, such as `16463439507`."),
				"state":        computedString("The number's state or province, such as `ny`." + nullWhenMissing + ", as for toll-free numbers."),
				"rate_center":  computedString("The number's rate center, such as `nwyrcyzn01`." + nullWhenMissing + ", as for toll-free numbers."),
				"number_type":  computedString("The number's type, such as `longcode` or `toll-free`." + nullWhenMissing + "."),
				"setup_cost":   computedCost("The one-off setup fee, in USD."),
				"monthly_cost": computedCost("The monthly fee, in USD."),
				"details_url":  computedString("The API URL of the number, where it is purchased." + nullWhenMissing + "."),
			}),
		},
	}
}

// filterAttribute is an optional search filter. An empty string is refused
// by every validator, so "" never silently means "no filter".
func filterAttribute(description string, v validator.String) schema.StringAttribute {
	return schema.StringAttribute{Description: description, Optional: true, Validators: []validator.String{v}}
}

func computedCost(description string) schema.Float64Attribute {
	return schema.Float64Attribute{Description: description + " Null when the API leaves it out.", Computed: true}
}

func (config *availableNumbersModel) list(ctx context.Context, client *flowroute.Client) (int, error) {
	numbers, err := client.SearchAvailableNumbers(ctx, flowroute.NumbersQuery{
		StartsWith: config.StartsWith.ValueString(),
		Contains:   config.Contains.ValueString(),
		EndsWith:   config.EndsWith.ValueString(),
		State:      config.State.ValueString(),
		RateCenter: config.RateCenter.ValueString(),
		NumberType: apiNumberType(config.NumberType),
		Limit:      config.limit(),
		Offset:     config.offset(),
	})
	return storeList(numbers, err, &config.Numbers, func(n flowroute.Number) numberModel {
		return numberModel{
			Number:      types.StringValue(n.Number),
			State:       stringOrNull(n.State),
			RateCenter:  stringOrNull(n.RateCenter),
			NumberType:  stringOrNull(n.NumberType),
			SetupCost:   types.Float64PointerValue(n.SetupCost),
			MonthlyCost: types.Float64PointerValue(n.MonthlyCost),
			DetailsURL:  stringOrNull(n.DetailsURL),
		}
	})
}
