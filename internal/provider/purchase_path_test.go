package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// The purchase path example runs as it is, its provider block empty: the
// keys and base URL come from the environment, so the test is not parallel.
func TestAccPurchasePath(t *testing.T) {
	config, err := os.ReadFile("../../examples/purchase-path/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, simulator.Options{})
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_BASE_URL", env.baseURL)
	t.Setenv("FLOWROUTE_ACCESS_KEY", testAccessKey)
	t.Setenv("FLOWROUTE_SECRET_KEY", testSecretKey)
	// The example names the provider by its source address: serve it there.
	t.Setenv(resource.EnvTfAccProviderNamespace, "flowroute-community")

	inventory := env.sim.Inventory()
	areaCode := inventory.AreaCodes(nil)[0]
	exchanges := inventory.Exchanges(areaCode, nil)
	numbers := inventory.SearchNumbers(simulator.NumberFilter{StartsWith: "1" + exchanges[0]})
	if len(numbers) < 2 {
		t.Fatalf("exchange %s has %d numbers, want a few", exchanges[0], len(numbers))
	}
	numbers = numbers[:min(5, len(numbers))]
	numberIDs := make([]knownvalue.Check, len(numbers))
	for i, n := range numbers {
		numberIDs[i] = knownvalue.StringExact(n.Number)
	}
	exchangeIDs := make([]knownvalue.Check, len(exchanges))
	for i, e := range exchanges {
		exchangeIDs[i] = knownvalue.StringExact(e)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: string(config),
			// The number bought is the first of the exchange. Re-read, step 3
			// no longer lists it, which changes the numbers output only: the
			// search still matches the number bought, so the resource stays.
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("flowroute_phone_number.main", plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("bought", knownvalue.StringExact(numbers[0].Number)),
				statecheck.ExpectKnownValue("flowroute_phone_number.main", tfjsonpath.New("failover_route_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownOutputValue("area_codes", knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.StringExact(areaCode),
				})),
				statecheck.ExpectKnownOutputValue("exchanges", knownvalue.ListExact(exchangeIDs)),
				statecheck.ExpectKnownOutputValue("numbers", knownvalue.ListExact(numberIDs)),
				statecheck.ExpectKnownValue("data.flowroute_available_numbers.in_exchange", tfjsonpath.New("numbers"),
					knownvalue.ListExact(numberChecks(env, numbers))),
			},
		}, {
			// The example keeps deletion protection on; turning it off lets the
			// test's destroy release the number.
			Config: strings.Replace(string(config), `alias            = "main line"`,
				"alias = \"main line\"\n  deletion_protection = false", 1),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("flowroute_phone_number.main", plancheck.ResourceActionUpdate),
			}},
		}},
	})
	if owned, routes := env.sim.OwnedNumbers(), env.sim.Routes(); len(owned) != 0 || len(routes) != 1 {
		t.Errorf("%d numbers and %d routes left after the destroy, want none but the built-in route", len(owned), len(routes)-1)
	}
}
