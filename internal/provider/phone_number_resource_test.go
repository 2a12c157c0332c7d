package provider

import (
	"fmt"
	"net/http"
	"slices"
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

const phoneNumberAddress = "flowroute_phone_number.test"

// anyPurchase matches every purchase request.
var anyPurchase = simulator.Fault{Method: http.MethodPost, PathPrefix: simulator.PathOwnedNumbers + "/1"}

// phoneNumberConfig is the provider block and flowroute_phone_number "test"
// with the arguments.
func (e *testEnv) phoneNumberConfig(arguments string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "flowroute_phone_number" "test" {
  %s
}
`, arguments)
}

// writes counts the simulator's requests by method, for the write methods.
func (e *testEnv) writes() map[string]int {
	counts := map[string]int{}
	for _, r := range e.sim.Requests() {
		if r.Method != http.MethodGet {
			counts[r.Method]++
		}
	}
	return counts
}

// noWritesSince fails the test, when called, if a write request was sent
// since the log was last reset: for a step after one that failed.
func (e *testEnv) noWritesSince(t *testing.T) func() {
	return func() {
		if w := e.writes(); len(w) != 0 {
			t.Errorf("write requests %v, want none", w)
		}
	}
}

// expectWrites checks the write requests sent since the log was last reset.
func (e *testEnv) expectWrites(want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.writes(); fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("write requests %v, want %v", got, want)
		}
		return nil
	}
}

// expectOwnedInState checks that the account owns exactly the numbers of the
// resources at addresses, one each.
func (e *testEnv) expectOwnedInState(addresses ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		var inState []string
		for _, address := range addresses {
			rs, ok := s.RootModule().Resources[address]
			if !ok {
				return fmt.Errorf("%s is not in the state", address)
			}
			inState = append(inState, rs.Primary.Attributes["number"])
		}
		var owned []string
		for _, n := range e.sim.OwnedNumbers() {
			owned = append(owned, n.Number)
		}
		slices.Sort(inState)
		if !slices.Equal(inState, owned) || len(slices.Compact(slices.Clone(inState))) != len(addresses) {
			return fmt.Errorf("the state holds %v, the account owns %v: want the same distinct numbers", inState, owned)
		}
		return nil
	}
}

// candidates are the purchasable numbers a search for starts_with finds, in
// API order.
func candidates(env *testEnv, startsWith string) []simulator.Number {
	return env.sim.Inventory().SearchNumbers(simulator.NumberFilter{StartsWith: startsWith})
}

// testAreaCode is an area code of the default inventory with enough numbers.
func testAreaCode(t *testing.T, env *testEnv) string {
	t.Helper()
	for _, a := range env.sim.Inventory().AreaCodes(nil) {
		if len(candidates(env, a)) >= 10 {
			return a
		}
	}
	t.Fatal("no area code with 10 numbers")
	return ""
}

// TestAccPhoneNumber_purchaseFaults buys one number through each failure of
// the purchase request; each ends with exactly one number bought and that
// number in the state.
func TestAccPhoneNumber_purchaseFaults(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     simulator.Fault
		purchases int
		// second: the number bought is the second candidate, the first
		// having been taken by someone else.
		second bool
	}{
		{name: "429 retried", fault: simulator.Fault{Status: http.StatusTooManyRequests, Times: 2}, purchases: 3},
		{name: "503 before acting, then bought", fault: simulator.Fault{Status: http.StatusServiceUnavailable, Times: 1}, purchases: 2},
		{name: "503 after acting, adopted", fault: simulator.Fault{Status: http.StatusServiceUnavailable, ActFirst: true, Times: 1}, purchases: 1},
		{name: "reset after acting, adopted", fault: simulator.Fault{ResetConnection: true, ActFirst: true, Times: 1}, purchases: 1},
		{name: "timeout after acting, adopted", fault: simulator.Fault{Latency: 2 * attemptTimeout, ActFirst: true, Times: 1}, purchases: 1},
		{name: "answer cut off after acting, adopted", fault: simulator.Fault{Body: simulator.BodyCutOff, Times: 1}, purchases: 1},
		{name: "taken between listing and purchase", fault: simulator.Fault{TakeNumber: true, Times: 1}, purchases: 2, second: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			area := testAreaCode(t, env)
			found := candidates(env, area)
			want := found[0].Number
			if tc.second {
				want = found[1].Number
			}
			fault := anyPurchase
			fault.Status, fault.ActFirst, fault.Times = tc.fault.Status, tc.fault.ActFirst, tc.fault.Times
			fault.ResetConnection, fault.Latency, fault.Body, fault.TakeNumber = tc.fault.ResetConnection, tc.fault.Latency, tc.fault.Body, tc.fault.TakeNumber
			env.sim.AddFault(fault)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  deletion_protection = false", area)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("number"), knownvalue.StringExact(want)),
					},
					Check: resource.ComposeTestCheckFunc(
						env.expectOwnedInState(phoneNumberAddress),
						env.expectWrites(map[string]int{http.MethodPost: tc.purchases}),
					),
				}},
			})
		})
	}
}

func TestAccPhoneNumber_countBuysDistinctNumbers(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	config := env.providerConfig() + fmt.Sprintf(`
resource "flowroute_phone_number" "test" {
  count               = 5
  search              = { starts_with = %q }
  deletion_protection = false
}
`, area)
	addresses := make([]string, 5)
	for i := range addresses {
		addresses[i] = fmt.Sprintf("%s.%d", phoneNumberAddress, i)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				env.expectOwnedInState(addresses...),
				env.expectWrites(map[string]int{http.MethodPost: 5}),
			),
		}},
	})
}

func TestAccPhoneNumber_exactNumberSettingsAndImport(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[3]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// One search to resolve, one purchase, one update for both settings.
				Config: env.phoneNumberConfig(fmt.Sprintf(`number = %q
  alias                = "NYC office"
  cnam_lookups_enabled = false
  messaging_enabled    = true
  max_setup_cost       = %v
  max_monthly_cost     = %v
  deletion_protection  = false`, number.Number, number.SetupCost, number.MonthlyCost)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("id"), knownvalue.StringExact(number.Number)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("alias"), knownvalue.StringExact("NYC office")),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("cnam_lookups_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("messaging_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("state"), knownvalue.StringExact(number.State)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("setup_cost"), knownvalue.Float64Exact(number.SetupCost)),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("monthly_cost"), knownvalue.Float64Exact(number.MonthlyCost)),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectOwnedInState(phoneNumberAddress),
					env.expectWrites(map[string]int{http.MethodPost: 1, http.MethodPatch: 1}),
					env.expectBody(http.MethodPatch, `{"alias":"NYC office","cnam_lookups_enabled":false,"messaging_enabled":true,"type":"number"}`),
				),
			},
			{
				// The alias alone changes: one update with it alone, in place.
				// messaging_enabled, now unset, stays as the account has it.
				PreConfig: env.sim.ResetRequests,
				Config: env.phoneNumberConfig(fmt.Sprintf(`number = %q
  alias                = "LA office"
  cnam_lookups_enabled = false
  deletion_protection  = false`, number.Number)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectWrites(map[string]int{http.MethodPatch: 1}),
					env.expectBody(http.MethodPatch, `{"alias":"LA office","type":"number"}`),
				),
			},
			{
				ResourceName:      phoneNumberAddress,
				ImportState:       true,
				ImportStateVerify: true,
				// Import starts protected; the guards and timeouts live in the configuration only.
				ImportStateVerifyIgnore: []string{"deletion_protection", "timeouts"},
			},
			{
				// Removing the alias clears it.
				PreConfig: env.sim.ResetRequests,
				Config: env.phoneNumberConfig(fmt.Sprintf(`number = %q
  cnam_lookups_enabled = false
  deletion_protection  = false`, number.Number)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("alias"), knownvalue.Null()),
				},
				Check: env.expectBody(http.MethodPatch, `{"alias":null,"type":"number"}`),
			},
		},
	})
}

// expectBody checks the body of the last request of the method.
func (e *testEnv) expectBody(method, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		requests := e.sim.Requests()
		for i := len(requests) - 1; i >= 0; i-- {
			if requests[i].Method == method {
				if requests[i].Body != want {
					return fmt.Errorf("%s body %s, want %s", method, requests[i].Body, want)
				}
				return nil
			}
		}
		return fmt.Errorf("no %s request", method)
	}
}

func TestAccPhoneNumber_guardsStopPurchase(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	// An area code where a later candidate costs less to set up than the first.
	var (
		area    string
		found   []simulator.Number
		cheaper = -1
	)
	for _, a := range env.sim.Inventory().AreaCodes(nil) {
		found = candidates(env, a)
		for i := 1; i < len(found) && cheaper < 0; i++ {
			if found[i].SetupCost < found[0].SetupCost {
				area, cheaper = a, i
			}
		}
		if cheaper >= 0 {
			break
		}
	}
	if cheaper < 0 {
		t.Fatal("no area code with a candidate cheaper than its first")
	}
	for _, tc := range []struct {
		name, arguments string
		want            []string
	}{
		// The error is on the guard's attribute, whose line the CLI shows.
		{"exact number above max_setup_cost", fmt.Sprintf("number = %q\n  max_setup_cost = %v", found[0].Number, found[0].SetupCost/2),
			[]string{"Number above the cost guards", "max_setup_cost = ", "above max_setup_cost"}},
		{"exact number above max_monthly_cost", fmt.Sprintf("number = %q\n  max_monthly_cost = 0", found[0].Number),
			[]string{"Number above the cost guards", "max_monthly_cost = 0", "above max_monthly_cost = 0.00"}},
		{"search with nothing within the guards", fmt.Sprintf("search = { starts_with = %q }\n  max_monthly_cost = 0", area),
			[]string{"no purchasable number matches the search"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      env.phoneNumberConfig(tc.arguments + "\n  deletion_protection = false"),
					ExpectError: errorPattern(tc.want...),
				}},
			})
		})
	}
	if w := env.writes(); len(w) != 0 || len(env.sim.OwnedNumbers()) != 0 {
		t.Errorf("writes %v and %d numbers owned, want none", w, len(env.sim.OwnedNumbers()))
	}
	// A search skips the dearer candidates and buys the first within the guard.
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  max_setup_cost = %v\n  deletion_protection = false",
				area, found[cheaper].SetupCost)),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(phoneNumberAddress, "number", firstWithin(found, found[cheaper].SetupCost)),
				env.expectWrites(map[string]int{http.MethodPost: 1}),
			),
		}},
	})
}

func firstWithin(found []simulator.Number, maxSetupCost float64) string {
	for _, n := range found {
		if n.SetupCost <= maxSetupCost {
			return n.Number
		}
	}
	return ""
}

func TestAccPhoneNumber_alreadyOwned(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[0].Number
	if err := env.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:      env.phoneNumberConfig(fmt.Sprintf("number = %q", number)),
			ExpectError: errorPattern("Number already on the account", "already owns "+number, "import it"),
		}},
	})
	if w := env.writes(); len(w) != 0 {
		t.Errorf("writes %v, want none", w)
	}
}

func TestAccPhoneNumber_deletionProtection(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	protected := env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }", area))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: protected,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
			},
			{
				PreConfig:   env.sim.ResetRequests,
				Config:      protected,
				Destroy:     true,
				ExpectError: errorPattern("Deletion protection is on", "deletion_protection = false"),
			},
			{
				// A search the number does not match would replace it: refused too.
				Config:      env.phoneNumberConfig(`search = { starts_with = "+1800" }`),
				ExpectError: errorPattern("Deletion protection is on", "would buy another number and release"),
			},
			{
				Config: env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  deletion_protection = false", area)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				// Nothing was released, nor sent, by the refused destroy and
				// replacement, nor by turning protection off.
				Check: resource.ComposeTestCheckFunc(env.expectWrites(map[string]int{}), env.expectOwnedInState(phoneNumberAddress)),
			},
		},
	})
	if n := len(env.sim.OwnedNumbers()); n != 0 {
		t.Errorf("%d numbers still owned after the final destroy", n)
	}
}

func TestAccPhoneNumber_searchChanges(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	first := candidates(env, area)[0]
	otherArea := ""
	for _, a := range env.sim.Inventory().AreaCodes(nil) {
		if a != area && len(candidates(env, a)) > 0 {
			otherArea = a
			break
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  deletion_protection = false", area)),
				Check:  resource.TestCheckResourceAttr(phoneNumberAddress, "number", first.Number),
			},
			{
				// Narrower, and the number still matches: in place, nothing sent.
				PreConfig: env.sim.ResetRequests,
				Config: env.phoneNumberConfig(fmt.Sprintf(`search = {
    starts_with = "+1%s"
    ends_with   = %q
    state       = %q
  }
  deletion_protection = false`, area, first.Number[7:], strings.ToUpper(first.State))),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(phoneNumberAddress, "number", first.Number),
					env.expectWrites(map[string]int{}),
				),
			},
			{
				// The number no longer matches: replaced, one release and one purchase.
				PreConfig: env.sim.ResetRequests,
				Config:    env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  deletion_protection = false", otherArea)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(phoneNumberAddress, "number", candidates(env, otherArea)[0].Number),
					env.expectWrites(map[string]int{http.MethodDelete: 1, http.MethodPost: 1}),
					env.expectOwnedInState(phoneNumberAddress),
				),
			},
		},
	})
}

func TestAccPhoneNumber_releasedOutside(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	config := env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  deletion_protection = false", area))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Released in the portal: the refresh drops it and the plan buys again.
				PreConfig: func() {
					owned := env.sim.OwnedNumbers()
					if len(owned) != 1 {
						t.Fatalf("%d numbers owned, want 1", len(owned))
					}
					if err := env.sim.ReleaseOutside(owned[0].Number); err != nil {
						t.Fatal(err)
					}
					env.sim.ResetRequests()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectOwnedInState(phoneNumberAddress),
					env.expectWrites(map[string]int{http.MethodPost: 1}),
				),
			},
		},
	})
}

// A failure to apply the settings after a purchase keeps the number, and the
// next plan updates it in place: never a replacement, never a second purchase.
func TestAccPhoneNumber_settingsFailAfterPurchase(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	env.sim.AddFault(simulator.Fault{Method: http.MethodPatch, PathPrefix: simulator.PathOwnedNumbers + "/",
		Status: http.StatusServiceUnavailable, Times: 5})
	config := env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  alias = \"front desk\"\n  deletion_protection = false", area))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					env.expectOwnedInState(phoneNumberAddress),
					env.expectWrites(map[string]int{http.MethodPost: 1, http.MethodPatch: 5}),
				),
				// The refresh shows the alias still to apply.
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: env.sim.ResetRequests,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectOwnedInState(phoneNumberAddress),
					env.expectWrites(map[string]int{http.MethodPatch: 1}),
					func(*terraform.State) error {
						if alias := env.sim.OwnedNumbers()[0].Alias; alias == nil || *alias != "front desk" {
							return fmt.Errorf("alias %v, want front desk", alias)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccPhoneNumber_importBlock(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[0].Number
	if err := env.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	env.sim.ResetRequests()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: env.phoneNumberConfig(fmt.Sprintf("number = %q", number)) + fmt.Sprintf(`
import {
  to = flowroute_phone_number.test
  id = %q
}
`, number),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
			},
			Check: env.expectWrites(map[string]int{}),
		}, {
			// Unprotect, so that the test's own destroy can release it.
			Config: env.phoneNumberConfig(fmt.Sprintf("number = %q\n  deletion_protection = false", number)),
		}},
	})
}

func TestAccPhoneNumber_validation(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	cases := []validationCase{
		{"neither number nor search", "", "Exactly one of these attributes must be configured: [number,search]"},
		{"both number and search", "number = \"12015550100\"\n  search = { starts_with = \"201\" }", "Exactly one of these attributes must be configured: [number,search]"},
		{"number with a plus", `number = "+12015550100"`, `must be a number in E.164 digits without "+"`},
		{"number too short", `number = "2015550100"`, `must be a number in E.164 digits`},
		{"negative guard", "number = \"12015550100\"\n  max_setup_cost = -1", "max_setup_cost value must be at least 0"},
		{"bad number_type", `search = { number_type = "mobile" }`, `number_type value must be one of`},
		{"empty alias", "number = \"12015550100\"\n  alias = \"\"", "alias string length must be at least 1"},
		{"zero timeout", "number = \"12015550100\"\n  timeouts = { create = \"0s\" }", "timeouts.create must be a positive duration"},
	}
	// The parallel subtests have finished once the group has.
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(),
					Steps: []resource.TestStep{{
						Config:      env.phoneNumberConfig(tc.arguments),
						PlanOnly:    true,
						ExpectError: errorPattern(tc.want),
					}},
				})
			})
		}
	})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("%d requests, want none for invalid arguments", n)
	}
}

// A search whose filters are known only after apply does not replace the
// number on a guess: the change is in place, and the next plan decides.
func TestAccPhoneNumber_searchKnownAfterApply(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	config := func(trigger string, protect bool) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "area" {
  input            = %q
  triggers_replace = [%q]
}

resource "flowroute_phone_number" "test" {
  search              = { starts_with = terraform_data.area.output }
  deletion_protection = %v
}
`, area, trigger, protect)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: config("a", true)},
			{
				// The search is unknown until terraform_data is replaced.
				PreConfig: env.sim.ResetRequests,
				Config:    config("b", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(env.expectWrites(map[string]int{}), env.expectOwnedInState(phoneNumberAddress)),
			},
			{Config: config("b", false)},
		},
	})
}

// A release whose answer is lost after Flowroute acted is sent again, finds
// the number gone, and counts as done: the destroy succeeds.
func TestAccPhoneNumber_releaseAnswerLost(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	config := env.phoneNumberConfig(fmt.Sprintf("search = { starts_with = %q }\n  deletion_protection = false", testAreaCode(t, env)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.sim.OwnedNumbers()); n != 0 {
				return fmt.Errorf("%d numbers still owned", n)
			}
			// One release acted on, its answer lost, then one that found it gone.
			if w := env.writes(); w[http.MethodDelete] != 2 || w[http.MethodPost] != 1 {
				return fmt.Errorf("write requests %v, want 1 purchase and 2 releases", w)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				env.sim.AddFault(simulator.Fault{Method: http.MethodDelete, PathPrefix: simulator.PathOwnedNumbers + "/",
					ResetConnection: true, ActFirst: true, Times: 1})
				return nil
			},
		}},
	})
}

// A number known only after apply keeps the resource in place: the same
// number changes nothing; another stops the apply before anything is
// bought or released, and the next plan shows the replacement.
func TestAccPhoneNumber_numberKnownAfterApply(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	numbers := candidates(env, testAreaCode(t, env))
	config := func(number, trigger string, protect bool) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "number" {
  input            = %q
  triggers_replace = [%q]
}

resource "flowroute_phone_number" "test" {
  number              = terraform_data.number.output
  deletion_protection = %v
}
`, number, trigger, protect)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: config(numbers[0].Number, "a", true)},
			{
				// Unknown until terraform_data is replaced, then the same number.
				PreConfig: env.sim.ResetRequests,
				Config:    config(numbers[0].Number, "b", true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(env.expectWrites(map[string]int{}), env.expectOwnedInState(phoneNumberAddress)),
			},
			{
				// Another number under protection: refused during apply, nothing done.
				Config:      config(numbers[1].Number, "c", true),
				ExpectError: errorPattern("Deletion protection is on", "nothing was done"),
			},
			{
				PreConfig: env.noWritesSince(t),
				Config:    config(numbers[0].Number, "c", false),
			},
			{
				// Unprotected: the apply stops before buying or releasing.
				PreConfig:   env.sim.ResetRequests,
				Config:      config(numbers[1].Number, "d", false),
				ExpectError: errorPattern("inconsistent final plan"),
			},
			{
				PreConfig: env.noWritesSince(t),
				Config:    config(numbers[1].Number, "d", false),
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A replacement that the CLI decides (replace_triggered_by) is refused at
// plan time while the number is protected, with create_before_destroy too,
// so no number is bought that the refused release would leave deposed. The
// way out that the error gives works: apply deletion_protection = false,
// then replace.
func TestAccPhoneNumber_protectedReplacementByTheCLI(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	config := func(trigger string, protect bool) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "terraform_data" "generation" {
  input = %q
}

resource "flowroute_phone_number" "test" {
  search              = { starts_with = %q }
  deletion_protection = %v

  lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [terraform_data.generation]
  }
}
`, trigger, area, protect)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: config("a", true)},
			{
				PreConfig:   env.sim.ResetRequests,
				Config:      config("b", true),
				ExpectError: errorPattern("Deletion protection is on", "replace_triggered_by", "nothing was done"),
			},
			{
				PreConfig: env.noWritesSince(t),
				Config:    config("a", false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
			},
			{
				PreConfig: env.sim.ResetRequests,
				Config:    config("b", false),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectWrites(map[string]int{http.MethodPost: 1, http.MethodDelete: 1}),
					env.expectOwnedInState(phoneNumberAddress)),
			},
		},
	})
}

// Three resources with the same number: one buys it, and the others are told
// that another resource of the configuration holds it, not to import it.
func TestAccPhoneNumber_sameNumberTwice(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[0].Number
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + fmt.Sprintf(`
resource "flowroute_phone_number" "test" {
  count               = 3
  number              = %q
  deletion_protection = false
}
`, number),
			ExpectError: errorPattern("another flowroute_phone_number of this configuration"),
		}},
	})
	if got := env.purchasesOf(); !slices.Equal(got, []string{number}) {
		t.Errorf("purchase requests %v, want one, of %s", got, number)
	}
}
