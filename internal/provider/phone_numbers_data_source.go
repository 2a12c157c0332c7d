package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// phoneNumbersDataSource is the flowroute_phone_numbers data source: the
// numbers the account owns.
type phoneNumbersDataSource = listDataSource[phoneNumbersModel, *phoneNumbersModel]

var _ datasource.DataSourceWithConfigure = (*phoneNumbersDataSource)(nil)

type phoneNumbersModel struct {
	listArguments
	StartsWith types.String       `tfsdk:"starts_with"`
	EndsWith   types.String       `tfsdk:"ends_with"`
	Contains   types.String       `tfsdk:"contains"`
	Alias      types.String       `tfsdk:"alias"`
	Numbers    []ownedNumberModel `tfsdk:"numbers"`
}

type ownedNumberModel struct {
	Number             types.String `tfsdk:"number"`
	Alias              types.String `tfsdk:"alias"`
	State              types.String `tfsdk:"state"`
	RateCenter         types.String `tfsdk:"rate_center"`
	NumberType         types.String `tfsdk:"number_type"`
	CNAMLookupsEnabled types.Bool   `tfsdk:"cnam_lookups_enabled"`
}

func (*phoneNumbersModel) describe() listDescription {
	return listDescription{
		typeName: "_phone_numbers",
		schema:   phoneNumbersSchema,
		items:    "the account's numbers",
		blamed:   "starts_with, ends_with, contains, alias, limit and offset",
	}
}

// ownedNumberFilters are the filters of the account's numbers, which the
// data source and the flowroute_phone_number list resource share.
var ownedNumberFilters = []struct {
	name, description string
	validator         validator.String
}{
	{"starts_with", "Keep only the numbers that start with these digits; country code 1 is assumed, as in " +
		"`flowroute_available_numbers` (`646` and `1646` are alike).",
		stringvalidator.RegexMatches(digitString, `must be digits, such as "1646"`)},
	{"ends_with", "Keep only the numbers that end with these digits.",
		stringvalidator.RegexMatches(digitString, `must be digits, such as "0000"`)},
	{"contains", "Keep only the numbers that contain these digits.",
		stringvalidator.RegexMatches(digitString, `must be digits, such as "555"`)},
	{"alias", "Keep only the numbers with exactly this alias.", stringvalidator.LengthAtLeast(1)},
}

func phoneNumbersSchema(ctx context.Context) schema.Schema {
	s := schema.Schema{
		Description: "Lists the phone numbers the Flowroute account owns, in the API's order, such as numbers bought " +
			"in the portal, to bring them under `flowroute_phone_number` with `import` blocks. The data source " +
			"pages through the API by itself, with the largest pages the API allows, and returns one list: all of " +
			"it or, when anything fails, an error and no list. The whole read, retries included, must finish within " +
			"`timeouts.read` (default 5 minutes).",
		Attributes: map[string]schema.Attribute{
			"limit":    limitAttribute("numbers", false),
			"offset":   offsetAttribute("numbers"),
			"timeouts": timeoutsAttribute(ctx),
			"numbers": computedList("The account's matching numbers, in the API's order. An attribute the API "+
				"leaves out is null.", map[string]schema.Attribute{
				"number":      computedString("The phone number in E.164 digits without the `+`, such as `16463439507`: the import ID of `flowroute_phone_number`."),
				"alias":       computedString("The number's alias." + nullWhenMissing + "."),
				"state":       computedString("The number's state or province, such as `ny`." + nullWhenMissing + "."),
				"rate_center": computedString("The number's rate center." + nullWhenMissing + "."),
				"number_type": computedString("The number's type, such as `longcode`, `toll-free` or `standard`." + nullWhenMissing + "."),
				"cnam_lookups_enabled": schema.BoolAttribute{
					Description: "Whether inbound calls get a caller-name lookup. Null when the API leaves it out.",
					Computed:    true,
				},
			}),
		},
	}
	for _, f := range ownedNumberFilters {
		s.Attributes[f.name] = filterAttribute(f.description, f.validator)
	}
	return s
}

func (config *phoneNumbersModel) list(ctx context.Context, client *flowroute.Client) (int, error) {
	numbers, err := client.ListAccountNumbers(ctx, flowroute.AccountNumbersQuery{
		StartsWith: config.StartsWith.ValueString(),
		EndsWith:   config.EndsWith.ValueString(),
		Contains:   config.Contains.ValueString(),
		Alias:      config.Alias.ValueString(),
		Limit:      config.limit(),
		Offset:     config.offset(),
	})
	return storeList(numbers, err, &config.Numbers, func(n flowroute.AccountNumber) ownedNumberModel {
		return ownedNumberModel{
			Number:             types.StringValue(n.Number),
			Alias:              types.StringPointerValue(n.Alias),
			State:              stringOrNull(n.State),
			RateCenter:         stringOrNull(n.RateCenter),
			NumberType:         stringOrNull(n.NumberType),
			CNAMLookupsEnabled: types.BoolPointerValue(n.CNAMLookupsEnabled),
		}
	})
}
