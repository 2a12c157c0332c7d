package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

func TestAccQuery_routes(t *testing.T) {
	useQueryCLI(t)
	env := newTestEnv(t, simulator.Options{})
	east := env.sim.AddRoute(simulator.Route{RouteType: "host", Value: "24.239.23.40:5060", Alias: "pbx-east", EdgeStrategyID: ptr(4)})
	env.sim.AddRoute(simulator.Route{RouteType: "uri", Value: "sip:pbx@example.com", Alias: "pbx-uri"})
	env.sim.AddRoute(simulator.Route{RouteType: "host", Value: "pbx.example.com", Alias: "pbx-west"})
	env.sim.AddRoute(simulator.Route{RouteType: "number", Value: "12065551234", Alias: "forward"})
	env.sim.ResetRequests()

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Query: true,
			Config: env.queryConfig("flowroute_route", map[string]string{
				"all":     "",
				"limited": "limit = 2",
				"hosts":   `config { route_type = "host" }`,
				"full":    "include_resource = true",
			}),
			QueryResultChecks: []querycheck.QueryResultCheck{
				// The built-in sip-reg route is left out, and not counted
				// against the limit.
				querycheck.ExpectLength("flowroute_route.all", 4),
				querycheck.ExpectNoIdentity("flowroute_route.all", map[string]knownvalue.Check{"id": knownvalue.StringExact("0")}),
				querycheck.ExpectLength("flowroute_route.limited", 2),
				querycheck.ExpectIdentity("flowroute_route.limited", map[string]knownvalue.Check{"id": knownvalue.StringExact(east)}),
				querycheck.ExpectLength("flowroute_route.hosts", 2),
				querycheck.ExpectNoIdentity("flowroute_route.hosts", map[string]knownvalue.Check{"id": knownvalue.StringExact("98397")}),
				expectDisplayName("flowroute_route.all", "id", east, "pbx-east (host 24.239.23.40:5060)"),
				expectDisplayName("flowroute_route.all", "id", "98399", "forward (number 12065551234)"),
				querycheck.ExpectResourceKnownValues("flowroute_route.full",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(east)}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("route_type"), KnownValue: knownvalue.StringExact("host")},
						{Path: tfjsonpath.New("value"), KnownValue: knownvalue.StringExact("24.239.23.40:5060")},
						{Path: tfjsonpath.New("alias"), KnownValue: knownvalue.StringExact("pbx-east")},
						{Path: tfjsonpath.New("edge_strategy_id"), KnownValue: knownvalue.Int64Exact(4)},
					}),
				queryFunc(func() error {
					// One listing per block, include_resource asking nothing more.
					if n, lists := len(env.sim.Requests()), len(requestsTo(env, simulator.PathRoutes)); n != 4 || lists != 4 {
						return fmt.Errorf("%d requests, %d of them listings: want the 4 listings only", n, lists)
					}
					return nil
				}),
			},
		}},
	})
}
