package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// availableAreaCodesDataSource is the flowroute_available_areacodes data source.
type availableAreaCodesDataSource = listDataSource[availableAreaCodesModel, *availableAreaCodesModel]

var _ datasource.DataSourceWithConfigure = (*availableAreaCodesDataSource)(nil)

type availableAreaCodesModel struct {
	listArguments
	MaxSetupCost types.Float64   `tfsdk:"max_setup_cost"`
	State        types.String    `tfsdk:"state"`
	AreaCodes    []areaCodeModel `tfsdk:"area_codes"`
}

type areaCodeModel struct {
	AreaCode     types.String `tfsdk:"area_code"`
	ExchangesURL types.String `tfsdk:"exchanges_url"`
	Region       types.String `tfsdk:"region"`
	Location     types.String `tfsdk:"location"`
}

func (*availableAreaCodesModel) describe() listDescription {
	return listDescription{
		typeName: "_available_areacodes",
		schema:   availableAreaCodesSchema,
		items:    "available area codes",
		blamed:   "limit, offset, max_setup_cost and state",
	}
}

func availableAreaCodesSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Description: "Lists the area codes (NPA) in which Flowroute has phone numbers to purchase, in the API's order, each " +
			"with its place, optionally only those of one state or province. " +
			"The data source pages through the API by itself, with the largest pages the API allows, and returns " +
			"one list: all of it or, when anything fails, an error and no list. The whole read, retries included, " +
			"must finish within `timeouts.read` (default 5 minutes).",
		Attributes: map[string]schema.Attribute{
			"limit":          limitAttribute("area codes", false),
			"offset":         offsetAttribute("area codes"),
			"max_setup_cost": maxSetupCostAttribute("area codes"),
			"state":          stateFilterAttribute("area codes"),
			"timeouts":       timeoutsAttribute(ctx),
			"area_codes": computedList("The matching area codes, in the API's order.", placeAttributes(map[string]schema.Attribute{
				"area_code":     computedString("The three-digit area code, such as `201`."),
				"exchanges_url": computedString("The API URL that lists the purchasable exchanges of this area code."),
			}, "Where the area code is, in English, such as `New Jersey` or `Manitoba`.")),
		},
	}
}

func (config *availableAreaCodesModel) list(ctx context.Context, client *flowroute.Client) (int, error) {
	list := func(limit *int, offset int) ([]flowroute.AreaCode, error) {
		return client.ListAvailableAreaCodes(ctx, flowroute.AreaCodesQuery{
			Limit:        limit,
			Offset:       offset,
			MaxSetupCost: config.MaxSetupCost.ValueFloat64Pointer(),
		})
	}
	place := func(a flowroute.AreaCode) areaPlace { return placeOfArea(a.AreaCode, "") }
	return withPlaces(&config.listArguments, config.State, list, place, func(a flowroute.AreaCode, p areaPlace) areaCodeModel {
		return areaCodeModel{
			AreaCode:     types.StringValue(a.AreaCode),
			ExchangesURL: stringOrNull(a.ExchangesURL),
			Region:       stringOrNull(p.region),
			Location:     stringOrNull(p.location),
		}
	}, &config.AreaCodes)
}
