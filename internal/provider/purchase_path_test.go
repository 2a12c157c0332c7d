package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// The purchase path example runs as it is, its provider block empty: the
// keys and base URL come from the environment, so the test is not parallel.
// The data sources choose, and what was bought stays: once the exchange it
// was bought in sells out, the next plan is still empty.
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
	exchangeChecks := make([]knownvalue.Check, len(exchanges))
	for i, e := range exchanges {
		exchangeChecks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"exchange": knownvalue.StringExact(e)})
	}
	bought := numbers[0].Number
	const (
		areaCodesData = "data.flowroute_available_areacodes.first"
		exchangesData = "data.flowroute_available_exchanges.in_area_code"
	)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: string(config),
			// The number bought is the first of the exchange. Re-read, step 3
			// no longer lists it; the search still matches it, and the plan
			// is empty.
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("bought", knownvalue.StringExact(bought)),
				statecheck.ExpectKnownValue("flowroute_phone_number.main", tfjsonpath.New("failover_route_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(areaCodesData, tfjsonpath.New("area_codes").AtSliceIndex(0).AtMapKey("area_code"),
					knownvalue.StringExact(areaCode)),
				statecheck.ExpectKnownValue(exchangesData, tfjsonpath.New("exchanges"), knownvalue.ListExact(exchangeChecks)),
				statecheck.ExpectKnownValue("data.flowroute_available_numbers.in_exchange", tfjsonpath.New("numbers"),
					knownvalue.ListExact(numberChecks(env, numbers))),
			},
		}, {
			// Others buy the rest of the exchange: the data sources now choose
			// another exchange, and the number bought stays, untouched.
			PreConfig: func() {
				for _, n := range inventory.SearchNumbers(simulator.NumberFilter{StartsWith: "1" + exchanges[0]}) {
					if n.Number == bought {
						continue
					}
					if err := env.sim.TakeNumber(n.Number); err != nil {
						t.Fatal(err)
					}
				}
				env.sim.ResetRequests()
			},
			Config: string(config),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("bought", knownvalue.StringExact(bought)),
				statecheck.ExpectKnownValue(exchangesData, tfjsonpath.New("exchanges").AtSliceIndex(0).AtMapKey("exchange"),
					knownvalue.StringFunc(func(first string) error {
						if first == exchanges[0] {
							return fmt.Errorf("exchange %s still listed first after it sold out", first)
						}
						return nil
					})),
			},
			Check: resource.ComposeTestCheckFunc(
				env.expectWrites(map[string]int{}),
				func(*terraform.State) error {
					if owned := env.sim.OwnedNumbers(); len(owned) != 1 || owned[0].Number != bought {
						return fmt.Errorf("numbers owned %+v, want %s only", owned, bought)
					}
					return nil
				},
			),
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
