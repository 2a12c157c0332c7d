package provider

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// Shared acceptance tests of the list data sources: each runs against its
// own simulator, so its request log holds its requests only.

// listTest names a list data source under test.
type listTest struct {
	typeName string // "flowroute_available_exchanges"
	listAttr string // the computed list: "exchanges"
	path     string // the endpoint it reads
	pageSize int    // the endpoint's largest page, which the client asks for
	// required are arguments every configuration must set, such as "limit = 5".
	required string
}

func (lt listTest) address() string { return "data." + lt.typeName + ".test" }

// config is the provider block and the data source "test" with arguments.
func (lt listTest) config(env *testEnv, arguments string) string {
	return env.providerConfig() + fmt.Sprintf(`
data %q "test" {
  %s
}
`, lt.typeName, arguments)
}

// expectList checks the whole list, element for element.
func (lt listTest) expectList(elements []knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(lt.address(), tfjsonpath.New(lt.listAttr), knownvalue.ListExact(elements))
}

// expectRequests checks the simulator's request log after a step: every
// request had the right keys, and check holds. The CLI reads a data source
// more than once per step, so check must hold for every read.
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

// listCase is one configuration and the list it must give.
type listCase[T any] struct {
	name, arguments string
	want            []T
	// query is what every request must carry but offset, encoded: a
	// filter in the argument must reach the API, and nothing else.
	query string
	// offset is where each read starts (the offset argument).
	offset int
	// maxPerRead bounds the requests of one read. 0 means the pages that
	// want needs plus one: the client keeps two pages in flight, so one may
	// ask past the end.
	maxPerRead int
}

// runListCases runs each case against a new simulator serving opts, and
// checks the list with expect and the requests against the case.
func runListCases[T any](t *testing.T, lt listTest, opts simulator.Options, expect func(env *testEnv, want []T) statecheck.StateCheck, cases []listCase[T]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, opts)
			maxPerRead := tc.maxPerRead
			if maxPerRead == 0 {
				maxPerRead = max(1, (len(tc.want)+lt.pageSize-1)/lt.pageSize) + 1
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:            lt.config(env, tc.arguments),
					ConfigStateChecks: []statecheck.StateCheck{expect(env, tc.want)},
					Check: env.expectRequests(func(requests []simulator.Request) error {
						reads := 0
						for _, r := range requests {
							query := r.Query
							offset, err := strconv.Atoi(query.Get("offset"))
							query.Del("offset")
							if r.Path != lt.path || query.Encode() != tc.query || err != nil || offset < tc.offset {
								return fmt.Errorf("request %s?%s, want %s?%s with an offset of at least %d",
									r.Path, r.Query.Encode(), lt.path, tc.query, tc.offset)
							}
							if offset == tc.offset {
								reads++
							}
						}
						if len(requests) > reads*maxPerRead {
							return fmt.Errorf("%d requests for %d reads, want at most %d per read", len(requests), reads, maxPerRead)
						}
						return nil
					}),
				}},
			})
		})
	}
}

// validationCase is an invalid argument and the error it must draw.
type validationCase struct{ name, arguments, want string }

// inventoryValidationCases are the arguments that the area codes and
// exchanges data sources share, each invalid.
var inventoryValidationCases = []validationCase{
	{"limit_zero", "limit = 0", "Attribute limit value must be at least 1, got: 0"},
	{"offset_negative", "offset = -1", "Attribute offset value must be at least 0, got: -1"},
	{"max_setup_cost_negative", "max_setup_cost = -0.5", "Attribute max_setup_cost value must be at least 0.000000, got: -0.500000"},
	{"timeouts_read_malformed", `timeouts = { read = "soon" }`, `"soon" must be a string containing a sequence of decimal numbers`},
	{"timeouts_read_zero", `timeouts = { read = "0s" }`, `timeouts.read must be a positive duration such as "30s" or "10m", got "0s"`},
	{"timeouts_read_negative", `timeouts = { read = "-1m" }`, `timeouts.read must be a positive duration`},
	{"offset_too_large", "offset = 9223372036854775500", "Attribute offset value must be at most 9223372036854775407, got: 9223372036854775500"},
}

// runValidationCases checks that each invalid configuration fails at plan
// time with its error, before any request.
func runValidationCases(t *testing.T, lt listTest, cases []validationCase) {
	t.Helper()
	env := newTestEnv(t, simulator.Options{})
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: factories(),
					Steps: []resource.TestStep{{
						Config:      lt.config(env, tc.arguments),
						PlanOnly:    true,
						ExpectError: errorPattern(tc.want),
					}},
				})
			})
		}
	})
	// The parallel subtests have finished once the group has.
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none for invalid arguments", n)
	}
}

// runAPIErrorCases checks the diagnostics of a rejected read: wrong keys
// (401) and a rejected query (422), which names the blamed arguments.
func runAPIErrorCases(t *testing.T, lt listTest, summary, blamed string) {
	t.Helper()
	for _, tc := range []struct {
		name  string
		fault simulator.Fault
		want  []string
	}{
		{"unauthorized", simulator.Fault{}, []string{"HTTP 401", "Authentication failed.", "error id", "Check the access key and secret key"}},
		{"unprocessable", simulator.Fault{Status: http.StatusUnprocessableEntity},
			[]string{"HTTP 422", "Injected fault: Unprocessable Entity", "check the arguments " + blamed}},
		{"server_error_after_retries", simulator.Fault{Status: http.StatusServiceUnavailable},
			[]string{"HTTP 503", "kept failing through the retries that max_retries allows"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			config := lt.config(env, lt.required)
			if tc.name == "unauthorized" {
				config = strings.Replace(config, testSecretKey, "not-the-secret", 1)
			} else {
				tc.fault.Path = lt.path
				env.sim.AddFault(tc.fault)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: config,
					ExpectError: errorPattern(append([]string{summary, "Flowroute answered GET " + lt.path}, append(tc.want,
						"No partial list was stored")...)...),
				}},
			})
		})
	}
}
