package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

var phoneNumbersTest = listTest{
	typeName: "flowroute_phone_numbers",
	listAttr: "numbers",
	path:     simulator.PathOwnedNumbers,
	pageSize: 200,
}

// ownAll puts the first n numbers of the default inventory on the account.
func ownAll(t *testing.T, env *testEnv, n int) []simulator.Number {
	t.Helper()
	all := env.sim.Inventory().SearchNumbers(simulator.NumberFilter{})
	if len(all) < n {
		t.Fatalf("the inventory has %d numbers, want %d", len(all), n)
	}
	numbers := make([]string, n)
	for i, num := range all[:n] {
		numbers[i] = num.Number
	}
	if err := env.sim.AddOwned(numbers...); err != nil {
		t.Fatal(err)
	}
	env.sim.ResetRequests()
	return all[:n]
}

// expectOwnedNumbers checks the list, element for element, against the
// account's numbers whose value passes keep.
func expectOwnedNumbers(env *testEnv, keep func(simulator.OwnedNumber) bool) statecheck.StateCheck {
	var elements []knownvalue.Check
	for _, n := range env.sim.OwnedNumbers() {
		if !keep(n) {
			continue
		}
		var alias knownvalue.Check = knownvalue.Null()
		if n.Alias != nil {
			alias = knownvalue.StringExact(*n.Alias)
		}
		elements = append(elements, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"number":               knownvalue.StringExact(n.Number),
			"alias":                alias,
			"state":                nullOr(n.State),
			"rate_center":          nullOr(n.RateCenter),
			"number_type":          nullOr(n.NumberType),
			"cnam_lookups_enabled": knownvalue.Bool(n.CNAMLookupsEnabled),
		}))
	}
	if elements == nil {
		elements = []knownvalue.Check{}
	}
	return phoneNumbersTest.expectList(elements)
}

func nullOr(s string) knownvalue.Check {
	if s == "" {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(s)
}

func TestAccPhoneNumbers_lists(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	owned := ownAll(t, env, 450) // three pages of 200
	aliased := owned[7].Number
	setAlias(t, env, aliased, "front desk")
	area := owned[0].Number[:4]
	for _, tc := range []struct {
		name, arguments string
		keep            func(simulator.OwnedNumber) bool
		requests        int
	}{
		{"all, across pages", "", func(simulator.OwnedNumber) bool { return true }, 3},
		{"starts_with", fmt.Sprintf("starts_with = %q", area), func(n simulator.OwnedNumber) bool { return strings.HasPrefix(n.Number, area) }, 0},
		{"ends_with", `ends_with = "1"`, func(n simulator.OwnedNumber) bool { return strings.HasSuffix(n.Number, "1") }, 0},
		{"alias", `alias = "front desk"`, func(n simulator.OwnedNumber) bool { return n.Number == aliased }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					PreConfig:         env.sim.ResetRequests,
					Config:            phoneNumbersTest.config(env, tc.arguments),
					ConfigStateChecks: []statecheck.StateCheck{expectOwnedNumbers(env, tc.keep)},
					Check: func(*terraform.State) error {
						for _, r := range env.sim.Requests() {
							if r.Path != simulator.PathOwnedNumbers || r.Query.Get("limit") != "200" {
								return fmt.Errorf("request %s?%s, want pages of 200 of %s", r.Path, r.Query.Encode(), simulator.PathOwnedNumbers)
							}
						}
						// Each read takes its pages plus at most one read-ahead; the CLI reads twice per step.
						if tc.requests > 0 && env.sim.RequestCount() > 2*(tc.requests+1) {
							return fmt.Errorf("%d requests for two reads of %d pages", env.sim.RequestCount(), tc.requests)
						}
						return nil
					},
				}},
			})
		})
	}
}

// setAlias gives an owned number an alias through the API, as the portal would.
func setAlias(t *testing.T, env *testEnv, number, alias string) {
	t.Helper()
	env.sendOutside(t, http.MethodPatch, simulator.PathOwnedNumbers+"/"+number, fmt.Sprintf(`{"type": "number", "alias": %q}`, alias))
}

func TestAccPhoneNumbers_emptyAccount(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: phoneNumbersTest.config(env, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.flowroute_phone_numbers.test", tfjsonpath.New("numbers"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccPhoneNumbers_validation(t *testing.T) {
	runValidationCases(t, phoneNumbersTest, []validationCase{
		{"starts_with_plus", `starts_with = "+1646"`, `Attribute starts_with must be digits, such as "1646", got: +1646`},
		{"ends_with_letters", `ends_with = "12a"`, `Attribute ends_with must be digits`},
		{"alias_empty", `alias = ""`, "Attribute alias string length must be at least 1, got: 0"},
		{"limit_zero", "limit = 0", "Attribute limit value must be at least 1, got: 0"},
	})
}

// Adoption at scale: the example brings 50 owned numbers under
// flowroute_phone_number in one apply, buying and releasing nothing, and the
// next plan is empty.
func TestAccPhoneNumbers_adoptionAtScale(t *testing.T) {
	config, err := os.ReadFile("../../examples/adoption/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, simulator.Options{})
	owned := ownAll(t, env, 50)
	setAlias(t, env, owned[3].Number, "reception")
	env.sim.ResetRequests()
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_BASE_URL", env.baseURL)
	t.Setenv("FLOWROUTE_ACCESS_KEY", testAccessKey)
	t.Setenv("FLOWROUTE_SECRET_KEY", testSecretKey)
	t.Setenv(resource.EnvTfAccProviderNamespace, "flowroute-community")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: string(config),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("adopted", knownvalue.Int64Exact(50)),
					stateFunc(func(state *tfjson.State) error {
						if w := env.writes(); len(w) != 0 {
							return fmt.Errorf("write requests %v, want none", w)
						}
						resources := state.Values.RootModule.Resources
						if n := len(resources) - 1; n != 50 {
							return fmt.Errorf("%d resources in the state, want 50", n)
						}
						if n := len(env.sim.OwnedNumbers()); n != 50 {
							return fmt.Errorf("the account owns %d numbers, want 50", n)
						}
						for _, r := range resources {
							if r.AttributeValues["number"] == owned[3].Number && r.AttributeValues["alias"] != "reception" {
								return fmt.Errorf("%s has alias %v, want the account's", owned[3].Number, r.AttributeValues["alias"])
							}
						}
						return nil
					}),
				},
			},
			{
				// The second plan is empty.
				Config:   string(config),
				PlanOnly: true,
			},
			{
				// Forgotten, not released: a removed block takes them out of the
				// state (the test's shimmed state cannot hold for_each instances)
				// and the account keeps them.
				Config: env.providerConfig() + `
data "flowroute_phone_numbers" "owned" {}

removed {
  from = flowroute_phone_number.adopted

  lifecycle {
    destroy = false
  }
}
`,
				ConfigStateChecks: []statecheck.StateCheck{stateFunc(func(*tfjson.State) error {
					if w := env.writes(); len(w) != 0 {
						return fmt.Errorf("write requests %v, want none", w)
					}
					if n := len(env.sim.OwnedNumbers()); n != 50 {
						return fmt.Errorf("the account owns %d numbers, want 50", n)
					}
					return nil
				})},
			},
		},
	})
}

// stateFunc is a state check written as a function of the whole state, for
// what the shimmed state of Check cannot hold (for_each instances).
type stateFunc func(*tfjson.State) error

func (f stateFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}
