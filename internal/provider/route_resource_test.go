package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const routeAddress = "flowroute_route.test"

// routeConfig is the provider block and the route "test" with attributes.
func (e *testEnv) routeConfig(attributes string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "flowroute_route" "test" {
  %s
}
`, attributes)
}

// expectRoute checks the route's attributes in the state, and its edge
// strategy when one is given.
func expectRoute(id, routeType, value, alias string, edgeStrategyID ...int64) []statecheck.StateCheck {
	check := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(routeAddress, tfjsonpath.New(attr), v)
	}
	checks := []statecheck.StateCheck{
		check("id", knownvalue.StringExact(id)),
		check("route_type", knownvalue.StringExact(routeType)),
		check("value", knownvalue.StringExact(value)),
		check("alias", knownvalue.StringExact(alias)),
	}
	for _, n := range edgeStrategyID {
		checks = append(checks, check("edge_strategy_id", knownvalue.Int64Exact(n)))
	}
	return checks
}

// expectLastWrite checks the body of the last request with this method,
// compared as JSON.
func (e *testEnv) expectLastWrite(method, path, body string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		var last *simulator.Request
		for _, r := range e.sim.Requests() {
			if r.Method == method {
				last = &r
			}
		}
		if last == nil || last.Path != path {
			return fmt.Errorf("no %s %s was sent (last %+v)", method, path, last)
		}
		var got, want any
		if err := json.Unmarshal([]byte(last.Body), &got); err != nil {
			return fmt.Errorf("%s %s body %q: %w", method, path, last.Body, err)
		}
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("%s %s sent %s, want %s", method, path, last.Body, body)
		}
		return nil
	}
}

// onlyBuiltInRoute checks that every route created was deleted.
func (e *testEnv) onlyBuiltInRoute(*terraform.State) error {
	if routes := e.sim.Routes(); len(routes) != 1 {
		return fmt.Errorf("routes left: %+v", routes[1:])
	}
	return nil
}

func expectAction(action plancheck.ResourceActionType) tfresource.ConfigPlanChecks {
	return tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(routeAddress, action)}}
}

// Each type of route is created, changed in place (its value, alias, edge
// strategy, then its type), imported and deleted.
func TestAccRoute_lifecycle(t *testing.T) {
	for _, tc := range []struct {
		routeType, value, newValue string
		// otherType and otherValue are what the route becomes last.
		otherType, otherValue string
	}{
		{"host", "24.239.23.40:5060", "pbx.example.com;weight=10", "uri", "sip:pbx@example.com"},
		{"uri", "sip:pbx@example.com", "sip:+12065551234@[2001:db8::1]:5061;transport=tls", "number", "12065551234"},
		{"number", "12065551234", "12065559876;weight=500", "host", "[2001:db8::1]:5060"},
	} {
		t.Run(tc.routeType, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			alias := "pbx-" + tc.routeType
			config := func(routeType, value, alias, extra string) string {
				return env.routeConfig(fmt.Sprintf("route_type = %q\n  value = %q\n  alias = %q\n  %s", routeType, value, alias, extra))
			}
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: factories(),
				CheckDestroy:             env.onlyBuiltInRoute,
				Steps: []tfresource.TestStep{
					{
						Config:            config(tc.routeType, tc.value, alias, "edge_strategy_id = 1"),
						ConfigPlanChecks:  expectAction(plancheck.ResourceActionCreate),
						ConfigStateChecks: expectRoute("98396", tc.routeType, tc.value, alias, 1),
						Check: env.expectLastWrite(http.MethodPost, simulator.PathRoutes, fmt.Sprintf(
							`{"data": {"type": "route", "attributes": {"route_type": %q, "value": %q, "alias": %q, "edge_strategy_id": 1}}}`,
							tc.routeType, tc.value, alias)),
					},
					{
						Config:            config(tc.routeType, tc.newValue, alias+"-2", "edge_strategy_id = 4"),
						ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
						ConfigStateChecks: expectRoute("98396", tc.routeType, tc.newValue, alias+"-2", 4),
						Check: env.expectLastWrite(http.MethodPatch, simulator.PathRoutes+"/98396", fmt.Sprintf(
							`{"data": {"type": "route", "attributes": {"value": %q, "alias": %q, "edge_strategy_id": 4}}}`,
							tc.newValue, alias+"-2")),
					},
					{
						ResourceName:      routeAddress,
						ImportState:       true,
						ImportStateVerify: true,
					},
					{
						// Removing edge_strategy_id leaves the route's as it is.
						Config:            config(tc.otherType, tc.otherValue, alias+"-2", ""),
						ConfigPlanChecks:  expectAction(plancheck.ResourceActionUpdate),
						ConfigStateChecks: expectRoute("98396", tc.otherType, tc.otherValue, alias+"-2", 4),
						Check: env.expectLastWrite(http.MethodPatch, simulator.PathRoutes+"/98396", fmt.Sprintf(
							`{"data": {"type": "route", "attributes": {"route_type": %q, "value": %q}}}`, tc.otherType, tc.otherValue)),
					},
				},
			})
		})
	}
}

// A route without edge_strategy_id takes none in the simulator: the state
// holds null, and a refresh keeps it so.
func TestAccRoute_withoutEdgeStrategy(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []tfresource.TestStep{{
			Config: env.routeConfig(`route_type = "number"
  value = "12065551234"
  alias = "cell"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(routeAddress, tfjsonpath.New("edge_strategy_id"), knownvalue.Null()),
			},
			Check: env.expectLastWrite(http.MethodPost, simulator.PathRoutes,
				`{"data": {"type": "route", "attributes": {"route_type": "number", "value": "12065551234", "alias": "cell"}}}`),
		}},
	})
}

// Invalid arguments fail at plan time, before any request.
func TestAccRoute_invalidArguments(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	t.Run("cases", func(t *testing.T) {
		for _, tc := range []struct{ name, routeType, value, extra, want string }{
			{"host_empty_label", "host", "pbx..example.com", "", `"pbx..example.com" is not a host route's value`},
			{"host_port_too_large", "host", "24.239.23.40:65536", "", "with an optional :port from 1 to 65535"},
			{"host_bad_ipv4", "host", "24.239.23.400", "", "is not a host route's value"},
			{"host_is_a_uri", "host", "sip:pbx@example.com", "", "is not a host route's value"},
			{"uri_without_sip", "uri", "pbx@example.com", "", `"pbx@example.com" is not a uri route's value`},
			{"uri_bad_transport", "uri", "sip:pbx@example.com;transport=sctp", "", "[;transport=tcp|udp|tls]"},
			{"uri_without_user", "uri", "sip:example.com", "", "is not a uri route's value"},
			{"number_ten_digits", "number", "2065551234", "", "an 11-digit number to forward calls to"},
			{"number_with_plus", "number", "+12065551234", "", "is not a number route's value"},
			{"weight_too_large", "number", "12065551234;weight=1001", "", "the weight in \"12065551234;weight=1001\" must be from 0 to 1000"},
			{"route_type_sip_reg", "sip-reg", "x", "", `Attribute route_type value must be one of: ["host" "uri" "number"]`},
			{"alias_empty", "host", "pbx.example.com", `alias = ""`, "Attribute alias string length must be at least 1"},
			{"edge_strategy_zero", "host", "pbx.example.com", "edge_strategy_id = 0", "Attribute edge_strategy_id value must be at least 1"},
			{"timeouts_zero", "host", "pbx.example.com", `timeouts = { create = "0s" }`, "timeouts.create must be a positive duration"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				attributes := fmt.Sprintf("route_type = %q\n  value = %q\n  %s", tc.routeType, tc.value, tc.extra)
				if !strings.Contains(tc.extra, "alias") {
					attributes += "\n  alias = \"pbx\""
				}
				tfresource.ParallelTest(t, tfresource.TestCase{
					ProtoV6ProviderFactories: factories(),
					Steps: []tfresource.TestStep{{
						Config:      env.routeConfig(attributes),
						PlanOnly:    true,
						ExpectError: errorPattern(tc.want),
					}},
				})
			})
		}
	})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none for invalid arguments", n)
	}
}

// A value known only at apply is checked by the API, not at plan time.
func TestAccRoute_valueKnownLater(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []tfresource.TestStep{{
			Config: env.routeConfig(`route_type = "host"
  value = terraform_data.host.output
  alias = "pbx"`) + `
resource "terraform_data" "host" {
  input = "pbx.example.com:5060"
}
`,
			ConfigStateChecks: expectRoute("98396", "host", "pbx.example.com:5060", "pbx"),
		}},
	})
}

// A route deleted outside Terraform leaves the state, and the next plan
// creates it again.
func TestAccRoute_deletedOutside(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	config := env.routeConfig(`route_type = "host"
  value = "pbx.example.com"
  alias = "pbx"
  edge_strategy_id = 2`)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []tfresource.TestStep{
			{Config: config, ConfigStateChecks: expectRoute("98396", "host", "pbx.example.com", "pbx", 2)},
			{
				PreConfig: func() {
					if err := env.sim.DeleteRouteOutside("98396"); err != nil {
						t.Fatal(err)
					}
				},
				Config:            config,
				ConfigPlanChecks:  expectAction(plancheck.ResourceActionCreate),
				ConfigStateChecks: expectRoute("98397", "host", "pbx.example.com", "pbx", 2),
			},
		},
	})
}

// sendOutside sends a request to the simulator as another API client would,
// outside Terraform, and fails the test unless it succeeds.
func (e *testEnv) sendOutside(t *testing.T, method, path, body string) {
	t.Helper()
	req, err := http.NewRequest(method, strings.TrimSuffix(e.baseURL, "/v2")+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(testAccessKey, testSecretKey)
	req.Header.Set("Content-Type", "application/vnd.api+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		answer, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, answer)
	}
}

// An edge strategy cleared outside Terraform reads null, so the next plan
// shows the drift and the apply sets the configured one again.
func TestAccRoute_edgeStrategyClearedOutside(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	config := env.routeConfig(`route_type = "host"
  value = "pbx.example.com"
  alias = "pbx"
  edge_strategy_id = 4`)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []tfresource.TestStep{
			{Config: config, ConfigStateChecks: expectRoute("98396", "host", "pbx.example.com", "pbx", 4)},
			{
				PreConfig: func() {
					env.sendOutside(t, http.MethodPatch, simulator.PathRoutes+"/98396",
						`{"data": {"type": "route", "attributes": {"edge_strategy_id": null}}}`)
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: tfresource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(routeAddress, plancheck.ResourceActionUpdate),
				}},
				Check: tfresource.TestCheckNoResourceAttr(routeAddress, "edge_strategy_id"),
			},
			{
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(routeAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(routeAddress, tfjsonpath.New("edge_strategy_id"), knownvalue.Int64Exact(4)),
				}},
				ConfigStateChecks: expectRoute("98396", "host", "pbx.example.com", "pbx", 4),
				Check: env.expectLastWrite(http.MethodPatch, simulator.PathRoutes+"/98396",
					`{"data": {"type": "route", "attributes": {"edge_strategy_id": 4}}}`),
			},
		},
	})
}

// The CLI cannot show the test a warning, so Read is called directly.
func TestRouteRead_goneWarns(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(env.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	r := &routeResource{data: &providerData{client: client, routes: newRouteListing(client)}}
	ctx := t.Context()
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: objectValue(t, schemaResp.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"id":         tftypes.NewValue(tftypes.String, "12345"),
		"route_type": tftypes.NewValue(tftypes.String, "host"),
		"value":      tftypes.NewValue(tftypes.String, "pbx.example.com"),
		"alias":      tftypes.NewValue(tftypes.String, "pbx"),
	})}
	resp := resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), `Route 12345 (alias "pbx") is no longer on the Flowroute account`) {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("the route stays in the state")
	}
}

// Flowroute refuses to delete a route that a number uses: the diagnostic
// says how to detach it, and the route stays until it is detached.
func TestAccRoute_deleteInUse(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := env.sim.Inventory().SearchNumbers(simulator.NumberFilter{})[0].Number
	if err := env.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []tfresource.TestStep{
			{Config: env.routeConfig(`route_type = "host"
  value = "pbx.example.com"
  alias = "pbx"`)},
			{
				PreConfig: func() {
					if err := env.sim.SetFailoverRoute(number, "98396"); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.providerConfig(),
				ExpectError: errorPattern("Route in use", `route 98396 (alias "pbx")`, "Please disassociate all numbers before deleting.",
					"set their primary_route_id or failover_route_id to another route", "flowroute_route.<name>.id",
					"The route is still in the state"),
			},
			{
				PreConfig: func() {
					if err := env.sim.SetFailoverRoute(number, ""); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.providerConfig(),
			},
		},
	})
}

// A creation whose answer is lost adopts the one route it made; one that
// the API did not carry out fails, and nothing is created twice.
func TestAccRoute_createOutcomeUnknown(t *testing.T) {
	config := func(env *testEnv) string {
		return env.routeConfig(`route_type = "uri"
  value = "sip:pbx@example.com"
  alias = "pbx"`)
	}
	t.Run("acted_on", func(t *testing.T) {
		env := newTestEnv(t, simulator.Options{})
		env.sim.AddFault(simulator.Fault{Method: http.MethodPost, Path: simulator.PathRoutes, Status: http.StatusBadGateway, ActFirst: true, Times: 1})
		tfresource.ParallelTest(t, tfresource.TestCase{
			ProtoV6ProviderFactories: factories(),
			CheckDestroy:             env.onlyBuiltInRoute,
			Steps: []tfresource.TestStep{{
				Config:            config(env),
				ConfigStateChecks: expectRoute("98396", "uri", "sip:pbx@example.com", "pbx"),
				Check: func(*terraform.State) error {
					if routes := env.sim.Routes(); len(routes) != 2 {
						return fmt.Errorf("routes %+v, want one created", routes)
					}
					return nil
				},
			}},
		})
	})
	t.Run("not_acted_on", func(t *testing.T) {
		env := newTestEnv(t, simulator.Options{})
		env.sim.AddFault(simulator.Fault{Method: http.MethodPost, Path: simulator.PathRoutes, Status: http.StatusServiceUnavailable, Times: 1})
		tfresource.ParallelTest(t, tfresource.TestCase{
			ProtoV6ProviderFactories: factories(),
			CheckDestroy:             env.onlyBuiltInRoute,
			Steps: []tfresource.TestStep{
				{
					Config: config(env),
					ExpectError: errorPattern("Unable to create a route", `The creation of route "pbx" may or may not have taken place`,
						"POST /v2/routes: 503 Service Unavailable", "No such route is on the account now", "Run apply again"),
				},
				{Config: config(env), ConfigStateChecks: expectRoute("98396", "uri", "sip:pbx@example.com", "pbx")},
			},
		})
	})
}

// Routes are found through one listing per refresh, not one per route.
func TestAccRoute_refreshSharesListing(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	const routes = 12
	config := env.providerConfig() + fmt.Sprintf(`
resource "flowroute_route" "test" {
  count      = %d
  route_type = "number"
  value      = format("1206555%%04d", count.index)
  alias      = "route-${count.index}"
}
`, routes)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.onlyBuiltInRoute,
		Steps: []tfresource.TestStep{
			{Config: config},
			{
				PreConfig:    env.sim.ResetRequests,
				RefreshState: true,
				Check: env.expectRequests(func(requests []simulator.Request) error {
					lists := 0
					for _, r := range requests {
						if r.Method == http.MethodGet && r.Path == simulator.PathRoutes && r.Query.Get("offset") == "0" {
							lists++
						}
					}
					t.Logf("%d listings, %d requests to refresh %d routes", lists, len(requests), routes)
					if lists != 1 || len(requests) > 2 {
						return fmt.Errorf("%d listings in %d requests to refresh %d routes, want one listing", lists, len(requests), routes)
					}
					return nil
				}),
			},
		},
	})
}

// The built-in route and ids that are not a route's cannot be imported.
func TestAccRoute_importInvalid(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	config := env.routeConfig(`route_type = "host"
  value = "pbx.example.com"
  alias = "pbx"`)
	for id, want := range map[string]string{
		"0":     "Route 0 is the account's built-in sip-reg route",
		"pbx":   `digits such as 98396; got "pbx"`,
		"12345": "Cannot import non-existent remote object",
	} {
		t.Run(id, func(t *testing.T) {
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []tfresource.TestStep{{
					Config:        config,
					ResourceName:  routeAddress,
					ImportState:   true,
					ImportStateId: id,
					ExpectError:   errorPattern(want),
				}},
			})
		})
	}
}
