package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const edgeStrategiesAddress = "data.flowroute_edge_strategies.all"

// The list holds every edge strategy, and a route picks one by name.
func TestAccEdgeStrategies_list(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	elements := make([]knownvalue.Check, len(simulator.EdgeStrategies))
	for i, e := range simulator.EdgeStrategies {
		elements[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":             knownvalue.Int64Exact(int64(e.ID)),
			"name":           knownvalue.StringExact(e.Name),
			"description":    knownvalue.StringExact(e.Description),
			"naptr":          knownvalue.StringExact(e.NAPTR),
			"firewall_rules": knownvalue.StringExact(e.FirewallRules),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []resource.TestStep{{
			Config: env.routeConfig(`route_type = "host"
  value = "pbx.example.com"
  alias = "pbx"
  edge_strategy_id = [for s in data.flowroute_edge_strategies.all.edge_strategies : s.id if s.name == "US-East-VA"][0]`) + `
data "flowroute_edge_strategies" "all" {
  timeouts = { read = "1m" }
}
`,
			ConfigStateChecks: append(expectRoute("98396", "host", "pbx.example.com", "pbx", 4),
				statecheck.ExpectKnownValue(edgeStrategiesAddress, tfjsonpath.New("edge_strategies"), knownvalue.ListExact(elements))),
			Check: env.expectLastWrite(http.MethodPost, simulator.PathRoutes,
				`{"data": {"type": "route", "attributes": {"route_type": "host", "value": "pbx.example.com", "alias": "pbx", "edge_strategy_id": 4}}}`),
		}},
	})
}

func TestAccEdgeStrategies_errors(t *testing.T) {
	for _, tc := range []struct {
		name, timeouts string
		fault          *simulator.Fault
		want           []string
	}{
		{"timeouts_zero", `timeouts = { read = "0s" }`, nil, []string{`timeouts.read must be a positive duration such as "30s" or "10m", got "0s"`}},
		{"server_error", "", &simulator.Fault{Path: simulator.PathEdgeStrategies, Status: http.StatusServiceUnavailable},
			[]string{"Unable to list edge strategies", "Flowroute answered GET /v2/routes/edge_strategies with HTTP 503",
				"kept failing through the retries that max_retries allows", "No partial list was stored"}},
		{"rejected", "", &simulator.Fault{Path: simulator.PathEdgeStrategies, Status: http.StatusUnprocessableEntity},
			[]string{"HTTP 422", "Flowroute rejected a request that takes no arguments"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			if tc.fault != nil {
				env.sim.AddFault(*tc.fault)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      env.providerConfig() + `data "flowroute_edge_strategies" "all" {` + tc.timeouts + `}`,
					ExpectError: errorPattern(tc.want...),
				}},
			})
			if tc.fault == nil && env.sim.RequestCount() != 0 {
				t.Errorf("%d requests for an invalid argument", env.sim.RequestCount())
			}
		})
	}
}
