package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const areaCodesPath = "/v2/numbers/available/areacodes"

// expectAreaCodes checks the whole list, element for element.
func (e *testEnv) expectAreaCodes(ids []string) statecheck.StateCheck {
	elements := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		elements[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"area_code":     knownvalue.StringExact(id),
			"exchanges_url": knownvalue.StringExact(e.baseURL + "/numbers/available/exchanges?areacode=" + id),
		})
	}
	return statecheck.ExpectKnownValue(areaCodesAddress, tfjsonpath.New("area_codes"), knownvalue.ListExact(elements))
}

// expectRequests checks the simulator's request log after a step. The CLI
// reads a data source more than once per step, so checks hold for every read.
func (e *testEnv) expectRequests(check func(requests []simulator.Request) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		requests := e.sim.Requests()
		if len(requests) == 0 {
			return fmt.Errorf("the simulator got no request")
		}
		for _, r := range requests {
			if !r.AuthOK {
				return fmt.Errorf("request %s?%s had wrong credentials", r.Path, r.Query.Encode())
			}
		}
		return check(requests)
	}
}

func TestAccAvailableAreaCodes_all(t *testing.T) {
	// More than one page of 400, so the paging is exercised.
	inventory := simulator.Generate(simulator.DefaultSeed, simulator.Size{AreaCodes: 700, ExchangesPerAreaCode: 1, NumbersPerExchange: 1})
	env := newTestEnv(t, simulator.Options{Inventory: inventory})
	want := inventory.AreaCodes(nil)
	if len(want) <= 400 {
		t.Fatalf("the inventory has %d area codes, want more than one page", len(want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + `data "flowroute_available_areacodes" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectAreaCodes(want),
				statecheck.ExpectKnownValue(areaCodesAddress, tfjsonpath.New("offset"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(areaCodesAddress, tfjsonpath.New("limit"), knownvalue.Null()),
			},
			Check: env.expectRequests(func(requests []simulator.Request) error {
				// Pages of 400; at most one speculative page beyond the end per read.
				pages := (len(want) + 399) / 400
				reads := 0
				for _, r := range requests {
					if r.Path != areaCodesPath || r.Query.Get("limit") != "400" || r.Query.Has("max_setup_cost") {
						return fmt.Errorf("unexpected request %s?%s", r.Path, r.Query.Encode())
					}
					if r.Query.Get("offset") == "0" {
						reads++
					}
				}
				if len(requests) > reads*(pages+1) {
					return fmt.Errorf("%d requests for %d reads, want at most %d per read", len(requests), reads, pages+1)
				}
				return nil
			}),
		}},
	})
}

func TestAccAvailableAreaCodes_arguments(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	all := env.sim.Inventory().AreaCodes(nil)
	maxSetupCost := 1.5
	cheap := env.sim.Inventory().AreaCodes(&maxSetupCost)
	if len(cheap) < 5 || len(cheap) == len(all) {
		t.Fatalf("the default inventory does not exercise max_setup_cost: %d of %d area codes", len(cheap), len(all))
	}

	for _, tc := range []struct {
		name, arguments string
		want            []string
		query           string // the only query every request must carry
	}{
		{"limit_is_one_request", "limit = 2", all[:2], "limit=2&offset=0"},
		{"limit_and_offset", "limit = 3\n  offset = 5", all[5:8], "limit=3&offset=5"},
		{"max_setup_cost", "limit = 4\n  max_setup_cost = 1.5", cheap[:4], "limit=4&max_setup_cost=1.5&offset=0"},
		{"max_setup_cost_small_decimal", "limit = 1\n  max_setup_cost = 0.05", env.sim.Inventory().AreaCodes(ptr(0.05))[:1], "limit=1&max_setup_cost=0.05&offset=0"},
		{"offset_past_the_end", fmt.Sprintf("limit = 5\n  offset = %d", len(all)+10), []string{}, fmt.Sprintf("limit=5&offset=%d", len(all)+10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: env.providerConfig() + fmt.Sprintf(`
data "flowroute_available_areacodes" "test" {
  %s
}
`, tc.arguments),
					ConfigStateChecks: []statecheck.StateCheck{env.expectAreaCodes(tc.want)},
					Check: env.expectRequests(func(requests []simulator.Request) error {
						for _, r := range requests {
							if r.Path != areaCodesPath || r.Query.Encode() != tc.query {
								return fmt.Errorf("request %s?%s, want only %s?%s", r.Path, r.Query.Encode(), areaCodesPath, tc.query)
							}
						}
						return nil
					}),
				}},
			})
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestAccAvailableAreaCodes_emptyInventory(t *testing.T) {
	env := newTestEnv(t, simulator.Options{Inventory: &simulator.Inventory{}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:            env.providerConfig() + `data "flowroute_available_areacodes" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{expectAreaCodeCount(0)},
		}},
	})
}

func TestAccAvailableAreaCodes_validation(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	for _, tc := range []struct {
		name, arguments, want string
	}{
		{"limit_zero", "limit = 0", "Attribute limit value must be at least 1, got: 0"},
		{"offset_negative", "offset = -1", "Attribute offset value must be at least 0, got: -1"},
		{"max_setup_cost_negative", "max_setup_cost = -0.5", "Attribute max_setup_cost value must be at least 0.000000, got: -0.500000"},
		{"timeouts_read_malformed", `timeouts = { read = "soon" }`, `"soon" must be a string containing a sequence of decimal numbers`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: env.providerConfig() + fmt.Sprintf(`
data "flowroute_available_areacodes" "test" {
  %s
}
`, tc.arguments),
					PlanOnly:    true,
					ExpectError: errorPattern(tc.want),
				}},
			})
		})
	}
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none for invalid arguments", n)
	}
}

func TestAccAvailableAreaCodes_apiErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault simulator.Fault
		want  []string
	}{
		{"unauthorized", simulator.Fault{}, []string{"HTTP 401", "Authentication failed.", "error id", "Check the access key and secret key"}},
		{"unprocessable", simulator.Fault{Status: http.StatusUnprocessableEntity},
			[]string{"HTTP 422", "check the arguments limit, offset and max_setup_cost"}},
		{"server_error_after_retries", simulator.Fault{Status: http.StatusServiceUnavailable},
			[]string{"HTTP 503", "kept failing through the retries that max_retries allows"}},
		{"truncated_json", simulator.Fault{Body: simulator.BodyTruncated}, []string{"malformed"}},
		// Every page repeats the first one and links to itself.
		{"next_never_advances", simulator.Fault{StuckNext: true, Overlap: 1 << 20}, []string{"repeats items already received"}},
		{"html_error_page", simulator.Fault{Status: http.StatusBadGateway, Body: simulator.BodyHTML},
			[]string{"HTTP 502", "not Flowroute's JSON error format"}},
		{"not_found", simulator.Fault{Status: http.StatusNotFound}, []string{"HTTP 404", "Check base_url"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			config := env.providerConfig()
			if tc.name == "unauthorized" {
				config = fmt.Sprintf(`
provider "flowroute" {
  access_key = %q
  secret_key = "not-the-secret"
  base_url   = %q
}
`, testAccessKey, env.baseURL)
			} else {
				tc.fault.Path = areaCodesPath
				env.sim.AddFault(tc.fault)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      config + `data "flowroute_available_areacodes" "test" {}`,
					ExpectError: errorPattern(append([]string{"Unable to list available area codes"}, tc.want...)...),
				}},
			})
		})
	}
}
