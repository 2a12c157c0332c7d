package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var _ datasource.DataSourceWithConfigure = (*edgeStrategiesDataSource)(nil)

func newEdgeStrategiesDataSource() datasource.DataSource { return &edgeStrategiesDataSource{} }

// edgeStrategiesDataSource lists the points of presence a route's calls can
// come through, so that a configuration can pick one by name.
type edgeStrategiesDataSource struct {
	data *providerData
}

type edgeStrategiesModel struct {
	Timeouts       timeouts.Value      `tfsdk:"timeouts"`
	EdgeStrategies []edgeStrategyModel `tfsdk:"edge_strategies"`
}

type edgeStrategyModel struct {
	ID            types.Int64  `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
	NAPTR         types.String `tfsdk:"naptr"`
	FirewallRules types.String `tfsdk:"firewall_rules"`
}

func (d *edgeStrategiesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_edge_strategies"
}

func (d *edgeStrategiesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists Flowroute's edge strategies: the points of presence through which calls reach a route, in " +
			"the API's order. A `flowroute_route` names one by its id in `edge_strategy_id`; pick one by name with " +
			"`[for s in data.flowroute_edge_strategies.all.edge_strategies : s.id if s.name == \"US-East-VA\"][0]`. " +
			"The read, retries included, must finish within `timeouts.read` (default 5 minutes).",
		Attributes: map[string]schema.Attribute{
			"timeouts": timeoutsAttribute(ctx),
			"edge_strategies": computedList("The edge strategies, in the API's order.", map[string]schema.Attribute{
				"id": schema.Int64Attribute{
					Description: "The edge strategy's id, as a route's `edge_strategy_id` takes it.",
					Computed:    true,
				},
				"name":        computedString("The point of presence's name, such as `US-East-VA`."),
				"description": computedString("What Flowroute says of it. Null when the API leaves it out."),
				"naptr": computedString("The DNS name of the point of presence, such as `us-east-va.sip.flowroute.com`. " +
					"Null when the API leaves it out."),
				"firewall_rules": computedString("What a firewall in front of the route's host must let through from " +
					"this point of presence. Null when the API leaves it out."),
			}),
		},
	}
}

func (d *edgeStrategiesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (d *edgeStrategiesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("Unconfigured Flowroute provider",
			"The data source was read before the provider was configured. This is a bug in the provider; please report it.")
		return
	}
	var config edgeStrategiesModel
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

	strategies, err := d.data.client.ListEdgeStrategies(ctx)
	count, err := storeList(strategies, err, &config.EdgeStrategies, func(e flowroute.EdgeStrategy) edgeStrategyModel {
		return edgeStrategyModel{
			ID:            types.Int64Value(int64(e.ID)),
			Name:          types.StringValue(e.Name),
			Description:   stringOrNull(e.Description),
			NAPTR:         stringOrNull(e.NAPTR),
			FirewallRules: stringOrNull(e.FirewallRules),
		}
	})
	if err != nil {
		addReadError(&resp.Diagnostics, "Unable to list edge strategies", err, "", readTimeout)
		return
	}
	tflog.Debug(ctx, "listed edge strategies", map[string]any{"count": count})
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
