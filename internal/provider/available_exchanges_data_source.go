package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

type availableExchangesModel struct {
	listArguments
	AreaCode     types.String    `tfsdk:"areacode"`
	MaxSetupCost types.Float64   `tfsdk:"max_setup_cost"`
	State        types.String    `tfsdk:"state"`
	Exchanges    []exchangeModel `tfsdk:"exchanges"`
}

type exchangeModel struct {
	Exchange   types.String `tfsdk:"exchange"`
	AreaCode   types.String `tfsdk:"area_code"`
	NumbersURL types.String `tfsdk:"numbers_url"`
	Region     types.String `tfsdk:"region"`
	Location   types.String `tfsdk:"location"`
}

// nanpAreaCode is a NANP area code (NPA): no area code starts with 0 or 1.
var nanpAreaCode = regexp.MustCompile(`^[2-9][0-9]{2}$`)

func (*availableExchangesModel) describe() listDescription {
	return listDescription{
		typeName: "_available_exchanges",
		schema:   availableExchangesSchema,
		items:    "available exchanges",
		blamed:   "areacode, limit, offset, max_setup_cost and state",
	}
}

func availableExchangesSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Description: "Lists the exchanges (NPA-NXX, the first six digits of a number) in which Flowroute has phone " +
			"numbers to purchase, in the API's order, each with its place: all of them, or those of one area code or " +
			"one state or province. The data source pages " +
			"through the API by itself, with the largest pages the API allows, and returns one list: all of it or, " +
			"when anything fails, an error and no list. The whole read, retries included, must finish within " +
			"`timeouts.read` (default 5 minutes).",
		Attributes: map[string]schema.Attribute{
			"areacode": schema.StringAttribute{
				Description: "Keep only the exchanges of this area code: three digits, the first from 2 to 9, such " +
					"as `347`. Unset: the exchanges of every area code.",
				Optional: true,
				Validators: []validator.String{stringvalidator.RegexMatches(nanpAreaCode,
					"must be a three-digit NANP area code (the first digit from 2 to 9), such as \"347\"")},
			},
			"limit":          limitAttribute("exchanges", false),
			"offset":         offsetAttribute("exchanges"),
			"max_setup_cost": maxSetupCostAttribute("exchanges"),
			"state":          stateFilterAttribute("exchanges"),
			"timeouts":       timeoutsAttribute(ctx),
			"exchanges": computedList("The matching exchanges, in the API's order.", placeAttributes(map[string]schema.Attribute{
				"exchange":  computedString("The six-digit exchange (NPA-NXX), such as `347215`."),
				"area_code": computedString("The exchange's area code, its first three digits, such as `347`."),
				"numbers_url": computedString("The API URL that lists the purchasable numbers of this exchange " +
					"(a search with `starts_with` set to the exchange after country code 1)."),
			}, "Where the exchange is, in English: its town where the data has one, such as `Jersey City, NJ`, "+
				"else its area code's state or province, such as `New Jersey`.")),
		},
	}
}

func (config *availableExchangesModel) list(ctx context.Context, client *flowroute.Client) (int, error) {
	list := func(limit *int, offset int) ([]flowroute.Exchange, error) {
		return client.ListAvailableExchanges(ctx, flowroute.ExchangesQuery{
			AreaCode:     config.AreaCode.ValueString(),
			Limit:        limit,
			Offset:       offset,
			MaxSetupCost: config.MaxSetupCost.ValueFloat64Pointer(),
		})
	}
	place := func(e flowroute.Exchange) areaPlace { return placeOfArea(e.AreaCode, e.Exchange) }
	return withPlaces(&config.listArguments, config.State, list, place, func(e flowroute.Exchange, p areaPlace) exchangeModel {
		return exchangeModel{
			Exchange:   types.StringValue(e.Exchange),
			AreaCode:   types.StringValue(e.AreaCode),
			NumbersURL: stringOrNull(e.NumbersURL),
			Region:     stringOrNull(p.region),
			Location:   stringOrNull(p.location),
		}
	}, &config.Exchanges)
}
