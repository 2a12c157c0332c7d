package provider

import (
	"fmt"
	"maps"
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

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const e911Address = "flowroute_e911_address.test"

// testAddress is the API reference's example address.
var testAddress = map[string]string{
	"label": "HQ", "first_name": "Chris", "last_name": "Smith", "street_number": "1218", "street_name": "3rd Ave",
	"city": "Seattle", "state": "WA", "country": "US", "zip": "98101", "address_type": "Suite", "address_type_number": "300",
}

// e911Config is the provider block and the test address with the changes
// given; a change to "" leaves the attribute out, one starting with "{" is
// an object written as it is.
func (e *testEnv) e911Config(changes map[string]string) string {
	attributes := maps.Clone(testAddress)
	maps.Copy(attributes, changes)
	var b strings.Builder
	b.WriteString(e.providerConfig() + "\nresource \"flowroute_e911_address\" \"test\" {\n")
	for _, name := range slices.Sorted(maps.Keys(attributes)) {
		switch value := attributes[name]; {
		case strings.HasPrefix(value, "{"):
			fmt.Fprintf(&b, "  %s = %s\n", name, value)
		case value != "":
			fmt.Fprintf(&b, "  %s = %q\n", name, value)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// expectAddress checks every attribute of the address in the state.
func expectAddress(id string, attributes map[string]string) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{statecheck.ExpectKnownValue(e911Address, tfjsonpath.New("id"), knownvalue.StringExact(id))}
	for name := range testAddress {
		var want knownvalue.Check = knownvalue.Null()
		if attributes[name] != "" {
			want = knownvalue.StringExact(attributes[name])
		}
		checks = append(checks, statecheck.ExpectKnownValue(e911Address, tfjsonpath.New(name), want))
	}
	return checks
}

// bodiesSent are the bodies of the requests of method to path.
func (e *testEnv) bodiesSent(method, path string) []string {
	var bodies []string
	for _, r := range e.sim.Requests() {
		if r.Method == method && r.Path == path {
			bodies = append(bodies, r.Body)
		}
	}
	return bodies
}

// checkNoAddressLeft is a CheckDestroy: the simulator keeps no address.
func (e *testEnv) checkNoAddressLeft(*terraform.State) error {
	if left := e.sim.E911Addresses(); len(left) != 0 {
		return fmt.Errorf("addresses left after destroy: %+v", left)
	}
	return nil
}

func TestAccE911Address_lifecycle(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	moved := map[string]string{"label": "Main office", "street_number": "1220", "address_type": "", "address_type_number": ""}
	movedAddress := maps.Clone(testAddress)
	maps.Copy(movedAddress, moved)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoAddressLeft,
		Steps: []resource.TestStep{
			{
				Config:            env.e911Config(nil),
				ConfigStateChecks: expectAddress("21301", testAddress),
			},
			{
				Config: env.e911Config(moved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(e911Address, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: expectAddress("21301", movedAddress),
			},
			{
				ResourceName:      e911Address,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:  e911Address,
				ImportState:   true,
				ImportStateId: "HQ",
				ExpectError:   errorPattern("Invalid import ID", "the digits Flowroute gave it", `got "HQ"`),
			},
			// New time limits change nothing on the account: nothing is sent.
			{
				Config: env.e911Config(map[string]string{"label": "Main office", "street_number": "1220",
					"address_type": "", "address_type_number": "", "timeouts": `{ update = "5m" }`}),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(e911Address, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: append(expectAddress("21301", movedAddress), statecheck.ExpectKnownValue(e911Address,
					tfjsonpath.New("timeouts").AtMapKey("update"), knownvalue.StringExact("5m"))),
			},
		},
	})

	// One creation, in the documented envelope; the update sends every
	// attribute, the address type as null to clear it.
	created := env.bodiesSent(http.MethodPost, simulator.PathE911s)
	if len(created) != 1 || !strings.HasPrefix(created[0], `{"data":{"attributes":{`) || !strings.Contains(created[0], `"type":"e911"`) ||
		!strings.Contains(created[0], `"address_type":"Suite"`) {
		t.Errorf("creations %q", created)
	}
	updated := env.bodiesSent(http.MethodPatch, simulator.PathE911s+"/21301")
	if len(updated) != 1 || !strings.Contains(updated[0], `"address_type":null`) || !strings.Contains(updated[0], `"zip":"98101"`) {
		t.Errorf("updates %q", updated)
	}
}

func TestAccE911Address_refusedField(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: env.e911Config(map[string]string{"zip": "9810"}),
				// On the attribute: the CLI shows its line of the configuration.
				ExpectError: errorPattern("Invalid zip", `zip = "9810"`,
					"Flowroute refused the address's zip: must be a ZIP code of 5 digits, or ZIP+4", "HTTP 422"),
			},
			{
				Config:      env.e911Config(map[string]string{"country": "CA"}),
				ExpectError: errorPattern("Invalid zip", `zip = "98101"`, "must be a postal code such as K1A 0B1"),
			},
			{Config: env.e911Config(nil)},
			{
				// An update is refused on the attribute too, and changes nothing.
				Config: env.e911Config(map[string]string{"zip": "98101-12"}),
				ExpectError: errorPattern("Invalid zip", `zip = "98101-12"`,
					"Flowroute refused the address's zip: must be a ZIP code of 5 digits, or ZIP+4",
					"PATCH /v2/e911s/21301 answered HTTP 422"),
			},
			{
				Config:           env.e911Config(nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
		CheckDestroy: env.checkNoAddressLeft,
	})
}

func TestAccE911Address_notGeocoded(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoAddressLeft,
		Steps: []resource.TestStep{
			{
				Config: env.e911Config(map[string]string{"zip": simulator.UngeocodableZip}),
				ExpectError: errorPattern("Address could not be geocoded", "1218 3rd Ave, Seattle, WA 00000, US",
					"Could not geocode this address", "Check the street number, street name, city, state and zip"),
			},
			// An update is checked the same way, and leaves the address as it was.
			{Config: env.e911Config(nil)},
			{
				Config:      env.e911Config(map[string]string{"zip": simulator.UngeocodableZip}),
				ExpectError: errorPattern("Address could not be geocoded"),
			},
			{
				Config:            env.e911Config(nil),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectAddress("21301", testAddress),
			},
		},
	})
}

func TestAccE911Address_planTimeErrors(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	var steps []resource.TestStep
	for _, tc := range []struct {
		changes map[string]string
		want    []string
	}{
		{map[string]string{"state": "wa"}, []string{"state", "must be two upper-case letters, such as WA"}},
		{map[string]string{"state": "WAS"}, []string{"state", "must be two upper-case letters"}},
		{map[string]string{"country": "MX"}, []string{"country", `value must be one of: ["US" "CA"]`}},
		{map[string]string{"label": "  "}, []string{"label", "must not be empty or blank"}},
		{map[string]string{"address_type_number": ""}, []string{"Invalid Attribute Combination", `address_type = "Suite"`, "must be configured together"}},
		{map[string]string{"address_type": ""}, []string{"Invalid Attribute Combination", `address_type_number = "300"`, "must be configured together"}},
		{map[string]string{"timeouts": `{ create = "0s" }`}, []string{"Invalid timeout", "timeouts.create must be a positive duration"}},
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.e911Config(tc.changes),
			PlanOnly:    true,
			ExpectError: errorPattern(tc.want...),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none for invalid arguments", n)
	}
}

func TestAccE911Address_goneOutside(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoAddressLeft,
		Steps: []resource.TestStep{
			{Config: env.e911Config(nil)},
			{
				PreConfig: func() {
					if err := env.sim.DeleteE911Outside("21301"); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.e911Config(nil),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(e911Address, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: expectAddress("21302", testAddress),
			},
		},
	})
}

func TestAccE911Address_inUse(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := env.sim.Inventory().Numbers[0].Number
	if err := env.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(env.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoAddressLeft,
		Steps: []resource.TestStep{
			{Config: env.e911Config(nil)},
			{
				PreConfig: func() {
					if err := client.AttachE911(t.Context(), number, "21301"); err != nil {
						t.Fatal(err)
					}
				},
				Config:  env.e911Config(nil),
				Destroy: true,
				ExpectError: errorPattern("E911 address in use", `Flowroute refused to delete E911 address 21301 ("HQ")`,
					"This address is assigned to one or more numbers", "set their e911_address_id to another address"),
			},
			{
				PreConfig: func() {
					if err := client.DetachE911(t.Context(), number); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.e911Config(nil),
			},
		},
	})
}

// A creation that failed after Flowroute may have acted on it is not sent
// again: the diagnostic says to look for it and import it.
func TestAccE911Address_outcomeUnknown(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	env.sim.AddFault(simulator.Fault{Method: http.MethodPost, Path: simulator.PathE911s, Status: http.StatusBadGateway,
		ActFirst: true, Times: 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoAddressLeft,
		Steps: []resource.TestStep{
			{
				Config: env.e911Config(nil),
				ExpectError: errorPattern("Unable to create the E911 address", "HTTP 502 Bad Gateway",
					"Flowroute may have acted on the request all the same", "import it"),
			},
			{
				Config:             env.e911Config(nil),
				ResourceName:       e911Address,
				ImportState:        true,
				ImportStateId:      "21301",
				ImportStatePersist: true,
			},
			{
				Config:            env.e911Config(nil),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectAddress("21301", testAddress),
			},
		},
	})
	if created := env.bodiesSent(http.MethodPost, simulator.PathE911s); len(created) != 1 {
		t.Errorf("%d creations sent, want 1", len(created))
	}
}
