package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var _ datasource.DataSourceWithConfigure = (*availableAreaCodesDataSource)(nil)

func newAvailableAreaCodesDataSource() datasource.DataSource {
	return &availableAreaCodesDataSource{}
}

type availableAreaCodesDataSource struct {
	data *providerData
}

type availableAreaCodesModel struct {
	Limit        types.Int64     `tfsdk:"limit"`
	Offset       types.Int64     `tfsdk:"offset"`
	MaxSetupCost types.Float64   `tfsdk:"max_setup_cost"`
	Timeouts     timeouts.Value  `tfsdk:"timeouts"`
	AreaCodes    []areaCodeModel `tfsdk:"area_codes"`
}

type areaCodeModel struct {
	AreaCode     types.String `tfsdk:"area_code"`
	ExchangesURL types.String `tfsdk:"exchanges_url"`
}

func (d *availableAreaCodesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_available_areacodes"
}

func (d *availableAreaCodesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the area codes (NPA) in which Flowroute has phone numbers to purchase, in the API's order. " +
			"The data source pages through the API by itself, with the largest pages the API allows, and returns " +
			"one list: all of it or, when anything fails, an error and no list. The whole read, retries included, " +
			"must finish within `timeouts.read` (default 5 minutes).",
		Attributes: map[string]schema.Attribute{
			"limit": schema.Int64Attribute{
				Description: "The most area codes to return in total. Unset: all of them.",
				Optional:    true,
				Validators:  []validator.Int64{int64validator.AtLeast(1)},
			},
			"offset": schema.Int64Attribute{
				Description: "How many area codes to skip from the start of the list. Defaults to 0.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.Int64{int64validator.AtLeast(0)},
			},
			"max_setup_cost": schema.Float64Attribute{
				Description: "Keep only the area codes that hold at least one number whose one-off setup fee, in USD, " +
					"is at most this value.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"timeouts": timeouts.Attributes(ctx),
			"area_codes": schema.ListNestedAttribute{
				Description: "The matching area codes, in the API's order.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"area_code": schema.StringAttribute{
							Description: "The three-digit area code, such as `201`.",
							Computed:    true,
						},
						"exchanges_url": schema.StringAttribute{
							Description: "The API URL that lists the purchasable exchanges of this area code.",
							Computed:    true,
						},
					},
				},
			},
		},
	}
}

func (d *availableAreaCodesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureDataSource(req, resp)
}

func (d *availableAreaCodesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config availableAreaCodesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	readTimeout, diags := config.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(d.data.maskSecrets(ctx), readTimeout)
	defer cancel()

	query := flowroute.AreaCodesQuery{
		Limit:        optionalInt(config.Limit.IsNull(), config.Limit.ValueInt64()),
		Offset:       int(config.Offset.ValueInt64()),
		MaxSetupCost: optionalFloat(config.MaxSetupCost.IsNull(), config.MaxSetupCost.ValueFloat64()),
	}
	areaCodes, err := d.data.client.ListAvailableAreaCodes(ctx, query)
	if err != nil {
		addReadError(&resp.Diagnostics, "Unable to list available area codes", err,
			"limit, offset and max_setup_cost", readTimeout)
		return
	}
	tflog.Debug(ctx, "listed available area codes", map[string]any{"count": len(areaCodes)})

	config.Offset = types.Int64Value(int64(query.Offset))
	config.AreaCodes = make([]areaCodeModel, len(areaCodes))
	for i, a := range areaCodes {
		config.AreaCodes[i] = areaCodeModel{
			AreaCode:     types.StringValue(a.AreaCode),
			ExchangesURL: types.StringValue(a.ExchangesURL),
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
