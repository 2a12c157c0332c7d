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
	AreaCodes    []areaCodeModel `tfsdk:"area_codes"`
}

type areaCodeModel struct {
	AreaCode     types.String `tfsdk:"area_code"`
	ExchangesURL types.String `tfsdk:"exchanges_url"`
}

func (*availableAreaCodesModel) describe() listDescription {
	return listDescription{
		typeName: "_available_areacodes",
		schema:   availableAreaCodesSchema,
		items:    "available area codes",
		blamed:   "limit, offset and max_setup_cost",
	}
}

func availableAreaCodesSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Description: "Lists the area codes (NPA) in which Flowroute has phone numbers to purchase, in the API's order. " +
			"The data source pages through the API by itself, with the largest pages the API allows, and returns " +
			"one list: all of it or, when anything fails, an error and no list. The whole read, retries included, " +
			"must finish within `timeouts.read` (default 5 minutes).",
		Attributes: map[string]schema.Attribute{
			"limit":          limitAttribute("area codes", false),
			"offset":         offsetAttribute("area codes"),
			"max_setup_cost": maxSetupCostAttribute("area codes"),
			"timeouts":       timeoutsAttribute(ctx),
			"area_codes": computedList("The matching area codes, in the API's order.", map[string]schema.Attribute{
				"area_code":     computedString("The three-digit area code, such as `201`."),
				"exchanges_url": computedString("The API URL that lists the purchasable exchanges of this area code."),
			}),
		},
	}
}

func (config *availableAreaCodesModel) list(ctx context.Context, client *flowroute.Client) (int, error) {
	areaCodes, err := client.ListAvailableAreaCodes(ctx, flowroute.AreaCodesQuery{
		Limit:        config.limit(),
		Offset:       config.offset(),
		MaxSetupCost: config.MaxSetupCost.ValueFloat64Pointer(),
	})
	return storeList(areaCodes, err, &config.AreaCodes, func(a flowroute.AreaCode) areaCodeModel {
		return areaCodeModel{
			AreaCode:     types.StringValue(a.AreaCode),
			ExchangesURL: stringOrNull(a.ExchangesURL),
		}
	})
}
