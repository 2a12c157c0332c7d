package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// routedNumberConfig is a number with a primary host route and a failover
// number route, and the attachment arguments given.
func (e *testEnv) routedNumberConfig(area, attachments string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "flowroute_route" "pbx" {
  route_type = "host"
  value      = "pbx.example.com:5060"
  alias      = "pbx"
}

resource "flowroute_route" "cell" {
  route_type = "number"
  value      = "12065550100"
  alias      = "on-call cell"
}

resource "flowroute_phone_number" "test" {
  search              = { starts_with = %q }
  deletion_protection = false
  %s
}
`, area, attachments)
}

// expectRouting checks the number's routes on the account, by route alias
// ("sip-reg" for the built-in route, "" for none).
func (e *testEnv) expectRouting(primary, failover string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		owned := e.sim.OwnedNumbers()
		if len(owned) != 1 {
			return fmt.Errorf("%d numbers owned, want 1", len(owned))
		}
		aliases := map[string]string{"": ""}
		for _, r := range e.sim.Routes() {
			aliases[r.ID] = r.Alias
		}
		if got := [2]string{aliases[owned[0].PrimaryRouteID], aliases[owned[0].FailoverRouteID]}; got != [2]string{primary, failover} {
			return fmt.Errorf("routes %q, want primary %q and failover %q", got, primary, failover)
		}
		return nil
	}
}

func TestAccPhoneNumber_routes(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	routeOf := func(name string) knownvalue.Check {
		return knownvalue.StringFunc(func(v string) error {
			for _, r := range env.sim.Routes() {
				if r.ID == v && r.Alias == name {
					return nil
				}
			}
			return fmt.Errorf("%q is not the id of route %q", v, name)
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy: func(*terraform.State) error {
			if n, r := len(env.sim.OwnedNumbers()), len(env.sim.Routes()); n != 0 || r != 1 {
				return fmt.Errorf("%d numbers and %d routes left, want none but the built-in route", n, r-1)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// Created in one apply: the routes first, as the references order it.
				Config: env.routedNumberConfig(area, `primary_route_id  = flowroute_route.pbx.id
  failover_route_id = flowroute_route.cell.id`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("primary_route_id"), routeOf("pbx")),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("failover_route_id"), routeOf("on-call cell")),
				},
				Check: env.expectRouting("pbx", "on-call cell"),
			},
			{
				// Swapped, in place.
				Config: env.routedNumberConfig(area, `primary_route_id  = flowroute_route.cell.id
  failover_route_id = flowroute_route.pbx.id`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: env.expectRouting("on-call cell", "pbx"),
			},
			{
				// Removed from the configuration: back to sip-reg, no failover.
				PreConfig: env.sim.ResetRequests,
				Config:    env.routedNumberConfig(area, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("primary_route_id"), knownvalue.StringExact("0")),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("failover_route_id"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectRouting("sip-reg", ""),
					env.expectWrites(map[string]int{http.MethodDelete: 2}),
				),
			},
			{
				// Unset and never configured since: what the account has stays.
				PreConfig: func() {
					for _, r := range env.sim.Routes() {
						if r.Alias == "on-call cell" {
							if err := env.sim.SetFailoverRoute(env.sim.OwnedNumbers()[0].Number, r.ID); err != nil {
								t.Fatal(err)
							}
						}
					}
					env.sim.ResetRequests()
				},
				Config: env.routedNumberConfig(area, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
				}},
				Check: env.expectWrites(map[string]int{}),
			},
			{
				// Configured again, then everything destroyed in one apply: the
				// references order it, so the number is released before the
				// routes it uses are deleted.
				Config: env.routedNumberConfig(area, `primary_route_id  = flowroute_route.pbx.id
  failover_route_id = flowroute_route.cell.id`),
				Check: env.expectRouting("pbx", "on-call cell"),
			},
		},
	})
}

func TestAccPhoneNumber_routeValidation(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:      env.phoneNumberConfig("number = \"12015550100\"\n  primary_route_id = \"pbx\""),
			PlanOnly:    true,
			ExpectError: errorPattern("primary_route_id", `must be the id of a record of the account: digits, such as "98396"`),
		}},
	})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

// recordsConfig is a number with two E911 addresses and two caller-name
// presets to choose from, and the attachment arguments given.
func (e *testEnv) recordsConfig(area, attachments string) string {
	address := func(name, label, street string) string {
		return fmt.Sprintf(`
resource "flowroute_e911_address" %q {
  label         = %q
  first_name    = "Chris"
  last_name     = "Smith"
  street_number = "1218"
  street_name   = %q
  city          = "Seattle"
  state         = "WA"
  country       = "US"
  zip           = "98101"
}
`, name, label, street)
	}
	return e.providerConfig() + address("hq", "HQ", "3rd Ave") + address("branch", "Branch", "Pine St") + fmt.Sprintf(`
resource "flowroute_cnam_preset" "support" {
  value = "ACME SUPPORT"
}

resource "flowroute_cnam_preset" "sales" {
  value = "ACME SALES"
}

resource "flowroute_phone_number" "test" {
  search              = { starts_with = %q }
  deletion_protection = false
  %s
}
`, area, attachments)
}

// expectRecords checks the number's E911 address and caller-name preset on
// the account, by label and value ("" for none).
func (e *testEnv) expectRecords(label, preset string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		owned := e.sim.OwnedNumbers()
		if len(owned) != 1 {
			return fmt.Errorf("%d numbers owned, want 1", len(owned))
		}
		labels, values := map[string]string{"": ""}, map[string]string{"": ""}
		for _, a := range e.sim.E911Addresses() {
			labels[a.ID] = a.Label
		}
		for _, p := range e.sim.CNAMPresets() {
			values[p.ID] = p.Value
		}
		if got := [2]string{labels[owned[0].E911AddressID], values[owned[0].CNAMPresetID]}; got != [2]string{label, preset} {
			return fmt.Errorf("records %q, want E911 address %q and preset %q", got, label, preset)
		}
		return nil
	}
}

func TestAccPhoneNumber_e911AndCallerName(t *testing.T) {
	// Presets are approved by the request after their creation.
	env := newTestEnv(t, simulator.Options{CNAMApprovalDelay: time.Nanosecond})
	area := testAreaCode(t, env)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy: func(*terraform.State) error {
			if n, a, p := len(env.sim.OwnedNumbers()), len(env.sim.E911Addresses()), len(env.sim.CNAMPresets()); n+a+p != 0 {
				return fmt.Errorf("%d numbers, %d addresses and %d presets left, want none", n, a, p)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// The presets were approved before the number is bought: it
				// refreshes them first. Created in one apply.
				Config: env.recordsConfig(area, ""),
			},
			{
				Config: env.recordsConfig(area, `e911_address_id = flowroute_e911_address.hq.id
  cnam_preset_id  = flowroute_cnam_preset.support.id`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: env.expectRecords("HQ", "ACME SUPPORT"),
			},
			{
				// Swapped, in place.
				Config: env.recordsConfig(area, `e911_address_id = flowroute_e911_address.branch.id
  cnam_preset_id  = flowroute_cnam_preset.sales.id`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: env.expectRecords("Branch", "ACME SALES"),
			},
			{
				// Removed from the configuration: detached.
				PreConfig: env.sim.ResetRequests,
				Config:    env.recordsConfig(area, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("e911_address_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("cnam_preset_id"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectRecords("", ""),
					env.expectWrites(map[string]int{http.MethodDelete: 2}),
				),
			},
			{
				// Attached again, then all destroyed in one apply, in order.
				Config: env.recordsConfig(area, `e911_address_id = flowroute_e911_address.hq.id
  cnam_preset_id  = flowroute_cnam_preset.support.id`),
				Check: env.expectRecords("HQ", "ACME SUPPORT"),
			},
		},
	})
}

// Attaching a preset that awaits approval fails, saying so; once approved,
// the same apply attaches it.
func TestAccPhoneNumber_callerNameAwaitingApproval(t *testing.T) {
	env := newTestEnv(t, simulator.Options{}) // presets wait for ApproveCNAM
	area := testAreaCode(t, env)
	config := env.providerConfig() + fmt.Sprintf(`
resource "flowroute_cnam_preset" "support" {
  value = "ACME SUPPORT"
}

resource "flowroute_phone_number" "test" {
  search              = { starts_with = %q }
  deletion_protection = false
  cnam_preset_id      = flowroute_cnam_preset.support.id
}
`, area)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// Bought: the preset's refusal is a warning, since an error would
				// taint the number; the next plan shows the attachment still to make.
				Config:             config,
				ExpectNonEmptyPlan: true,
				Check:              env.expectRecords("", ""),
			},
			{
				Config: config,
				ExpectError: errorPattern("Unable to update a phone number", "While setting cnam_preset_id", "HTTP 422",
					"awaits Flowroute's approval"),
			},
			{
				PreConfig: func() {
					for _, p := range env.sim.CNAMPresets() {
						if err := env.sim.ApproveCNAM(p.ID); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: config,
				Check:  env.expectRecords("", "ACME SUPPORT"),
			},
		},
	})
}

// An attachment already in place, imported or set in the portal, then
// written into the configuration becomes managed: the plan says so and
// sends nothing, and removing it from the configuration later detaches it.
func TestAccPhoneNumber_attachmentWrittenAfterImport(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[0].Number
	if err := env.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	routeID := env.sim.AddRoute(simulator.Route{RouteType: "host", Value: "pbx.example.com:5060", Alias: "pbx"})
	if err := env.sim.SetPrimaryRoute(number, routeID); err != nil {
		t.Fatal(err)
	}
	config := func(attachment string) string {
		return env.providerConfig() + fmt.Sprintf(`
import {
  to = flowroute_phone_number.test
  id = %q
}

resource "flowroute_phone_number" "test" {
  number              = %q
  deletion_protection = false
  %s
}
`, number, number, attachment)
	}
	managed := func(names ...string) statecheck.StateCheck {
		values := []knownvalue.Check{}
		for _, n := range names {
			values = append(values, knownvalue.StringExact(n))
		}
		return statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("managed_attachments"), knownvalue.SetExact(values))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// Imported without the attachment in the configuration: the
				// account's (the update is deletion_protection's).
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("primary_route_id"), knownvalue.StringExact(routeID)),
					plancheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("managed_attachments"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("primary_route_id"), knownvalue.StringExact(routeID)),
				},
				Check: env.expectWrites(map[string]int{}),
			},
			{
				// Written into the configuration as it is: managed, nothing sent.
				Config: config(fmt.Sprintf("primary_route_id = %q", routeID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("primary_route_id"), knownvalue.StringExact(routeID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{managed("primary_route_id")},
				Check:             env.expectWrites(map[string]int{}),
			},
			{
				// Removed from the configuration: detached, back to sip-reg.
				Config: config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					managed(),
					statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New("primary_route_id"), knownvalue.StringExact("0")),
				},
				Check: env.expectRouting("sip-reg", ""),
			},
		},
	})
}
