package provider

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	tfresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const cnamPreset = "flowroute_cnam_preset.test"

// cnamConfig is the provider block and a preset of the value, with the
// extra lines given.
func (e *testEnv) cnamConfig(value string, extra ...string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "flowroute_cnam_preset" "test" {
  value = %q
  %s
}
`, value, strings.Join(extra, "\n  "))
}

// expectPreset checks the preset in the state: an approved one has an
// approval time, a rejection of "" is null.
func expectPreset(id, value string, approved bool, rejection string) []statecheck.StateCheck {
	var approval, reason knownvalue.Check = knownvalue.Null(), knownvalue.Null()
	if approved {
		approval = knownvalue.NotNull()
	}
	if rejection != "" {
		reason = knownvalue.StringExact(rejection)
	}
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(cnamPreset, tfjsonpath.New("id"), knownvalue.StringExact(id)),
		statecheck.ExpectKnownValue(cnamPreset, tfjsonpath.New("value"), knownvalue.StringExact(value)),
		statecheck.ExpectKnownValue(cnamPreset, tfjsonpath.New("is_approved"), knownvalue.Bool(approved)),
		statecheck.ExpectKnownValue(cnamPreset, tfjsonpath.New("approval_datetime"), approval),
		statecheck.ExpectKnownValue(cnamPreset, tfjsonpath.New("rejection_reason"), reason),
	}
}

func (e *testEnv) checkNoPresetLeft(*terraform.State) error {
	if left := e.sim.CNAMPresets(); len(left) != 0 {
		return fmt.Errorf("presets left after destroy: %+v", left)
	}
	return nil
}

func expectPresetAction(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(cnamPreset, action)}}
}

func TestAccCNAMPreset_approval(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoPresetLeft,
		Steps: []resource.TestStep{
			{
				Config:            env.cnamConfig("ACME SUPPORT"),
				ConfigStateChecks: expectPreset("23454", "ACME SUPPORT", false, ""),
			},
			// Not approved yet: the value changes in place.
			{
				Config:            env.cnamConfig("ACME HELP"),
				ConfigPlanChecks:  expectPresetAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: expectPreset("23454", "ACME HELP", false, ""),
			},
			{
				ResourceName:      cnamPreset,
				ImportState:       true,
				ImportStateVerify: true,
			},
			// Approved outside Terraform: the refresh shows it, and nothing changes.
			{
				PreConfig: func() {
					if err := env.sim.ApproveCNAM("23454"); err != nil {
						t.Fatal(err)
					}
				},
				Config:            env.cnamConfig("ACME HELP"),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectPreset("23454", "ACME HELP", true, ""),
			},
			// Approved: a new value fails at plan time, saying how to rename it.
			{
				Config: env.cnamConfig("ACME DESK"),
				ExpectError: errorPattern("Approved CNAM preset cannot be renamed", `value = "ACME DESK"`,
					`CNAM preset 23454 ("ACME HELP") is approved`, "Nothing was changed",
					`add a new flowroute_cnam_preset with value = "ACME DESK"`, "wait until Flowroute approves it",
					"set the numbers' cnam_preset_id to the new preset's id", "remove this resource"),
			},
			{
				Config:            env.cnamConfig("ACME HELP"),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectPreset("23454", "ACME HELP", true, ""),
			},
		},
	})

	created := env.bodiesSent(http.MethodPost, simulator.PathCNAMs)
	if len(created) != 1 || created[0] != `{"value":"ACME SUPPORT"}` {
		t.Errorf("creations %q", created)
	}
	updated := env.bodiesSent(http.MethodPatch, simulator.PathCNAMs+"/23454")
	if len(updated) != 1 || updated[0] != `{"data":{"attributes":{"value":"ACME HELP"},"type":"cnam"}}` {
		t.Errorf("updates %q", updated)
	}
}

func TestAccCNAMPreset_rejected(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.checkNoPresetLeft,
		Steps: []resource.TestStep{
			{Config: env.cnamConfig("ACME")},
			{
				PreConfig: func() {
					if err := env.sim.RejectCNAM("23454", "not the account's name"); err != nil {
						t.Fatal(err)
					}
				},
				Config:            env.cnamConfig("ACME"),
				ConfigStateChecks: expectPreset("23454", "ACME", false, "not the account's name"),
			},
			// Rejected is not approved: a new value is reviewed afresh, in place.
			{
				Config:            env.cnamConfig("ACME INC"),
				ConfigPlanChecks:  expectPresetAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: expectPreset("23454", "ACME INC", false, ""),
			},
			// Gone outside Terraform: created again.
			{
				PreConfig: func() {
					if err := env.sim.DeleteCNAMOutside("23454"); err != nil {
						t.Fatal(err)
					}
				},
				Config:            env.cnamConfig("ACME INC"),
				ConfigPlanChecks:  expectPresetAction(plancheck.ResourceActionCreate),
				ConfigStateChecks: expectPreset("23455", "ACME INC", false, ""),
			},
			// New time limits change nothing on the account: nothing is sent.
			{
				Config:           env.cnamConfig("ACME INC", `timeouts = { update = "5m" }`),
				ConfigPlanChecks: expectPresetAction(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(cnamPreset,
					tfjsonpath.New("timeouts").AtMapKey("update"), knownvalue.StringExact("5m"))},
			},
		},
	})
	if updates := env.bodiesSent(http.MethodPatch, simulator.PathCNAMs+"/23455"); len(updates) != 0 {
		t.Errorf("updates %q sent for new time limits", updates)
	}
}

func TestAccCNAMPreset_valueTaken(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(env.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateCNAM(t.Context(), "ACME SUPPORT"); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: env.cnamConfig("Acme Support"),
			ExpectError: errorPattern("CNAM value refused", `value = "Acme Support"`, "HTTP 422",
				`A CNAM preset with the value "ACME SUPPORT" already exists.`, "import that one, or choose another value"),
		}},
	})
}

func TestAccCNAMPreset_planTimeErrors(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	var steps []resource.TestStep
	for value, want := range map[string]string{
		"SIXTEEN CHARS XX": "string length must be between 1 and 15",
		"":                 "string length must be between 1 and 15",
		"12345":            "must contain at least one letter",
		"ACME!":            "may hold only letters, digits, spaces and . , ' - &",
		"CAFÉ":             "may hold only letters, digits, spaces and . , ' - &",
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.cnamConfig(value),
			PlanOnly:    true,
			ExpectError: errorPattern("value", want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      env.cnamConfig("ACME", `timeouts = { read = "-1m" }`),
		PlanOnly:    true,
		ExpectError: errorPattern("Invalid timeout", "timeouts.read must be a positive duration"),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none for invalid values", n)
	}
}

// Flowroute may approve a preset between the plan, which changed its value
// in place, and the apply: the update says so on the value. The CLI runs
// both in one step, so Update is called directly.
func TestCNAMPreset_approvedSincePlan(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(env.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	preset, err := client.CreateCNAM(ctx, "ACME")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.sim.ApproveCNAM(preset.ID); err != nil {
		t.Fatal(err)
	}

	r := &cnamPresetResource{data: &providerData{client: client}}
	var schemaResp tfresource.SchemaResponse
	r.Schema(ctx, tfresource.SchemaRequest{}, &schemaResp)
	objectType := schemaResp.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: objectValue(t, objectType, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, preset.ID),
		"value":       tftypes.NewValue(tftypes.String, "ACME"),
		"is_approved": tftypes.NewValue(tftypes.Bool, false),
	})}
	plan := tfsdk.Plan{Schema: schemaResp.Schema, Raw: objectValue(t, objectType, map[string]tftypes.Value{
		"id":                tftypes.NewValue(tftypes.String, preset.ID),
		"value":             tftypes.NewValue(tftypes.String, "ACME TWO"),
		"is_approved":       tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
		"approval_datetime": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"rejection_reason":  tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	})}
	resp := tfresource.UpdateResponse{State: state}
	r.Update(ctx, tfresource.UpdateRequest{Plan: plan, State: state}, &resp)

	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("diagnostics %v", resp.Diagnostics)
	}
	d := resp.Diagnostics.Errors()[0]
	withPath, ok := d.(interface{ Path() path.Path })
	if !ok || !withPath.Path().Equal(path.Root("value")) || d.Summary() != "CNAM preset approved since the plan" ||
		!strings.Contains(d.Detail(), `its value is still "ACME"`) ||
		!strings.Contains(d.Detail(), `add a new flowroute_cnam_preset with value = "ACME TWO"`) {
		t.Fatalf("diagnostic %q: %q", d.Summary(), d.Detail())
	}
	if p := env.sim.CNAMPresets(); p[0].Value != "ACME" {
		t.Fatalf("the approved preset changed: %+v", p[0])
	}
}

// expectWritesExactly checks the requests other than GET since the log was
// reset, in order, as "METHOD path".
func (e *testEnv) expectWritesExactly(want ...string) resource.TestCheckFunc {
	return e.expectRequests(func(requests []simulator.Request) error {
		var writes []string
		for _, r := range requests {
			if r.Method != http.MethodGet {
				writes = append(writes, r.Method+" "+r.Path)
			}
		}
		if !slices.Equal(writes, want) {
			return fmt.Errorf("writes %q, want %q", writes, want)
		}
		return nil
	})
}

// The way to rename an approved preset that numbers use, as the plan-time
// error tells it: the number moves to the new preset once it is approved,
// before the old one is deleted, so it never goes without a caller name.
func TestAccCNAMPreset_renameThroughNewPreset(t *testing.T) {
	env := newTestEnv(t, simulator.Options{}) // presets wait for ApproveCNAM
	area := testAreaCode(t, env)
	// config has the presets by name, and the number when it is attached to one.
	config := func(presets map[string]string, attached string) string {
		var b strings.Builder
		b.WriteString(env.providerConfig())
		for _, name := range slices.Sorted(maps.Keys(presets)) {
			fmt.Fprintf(&b, "\nresource \"flowroute_cnam_preset\" %q {\n  value = %q\n}\n", name, presets[name])
		}
		if attached != "" {
			fmt.Fprintf(&b, `
resource "flowroute_phone_number" "test" {
  search              = { starts_with = %q }
  deletion_protection = false
  cnam_preset_id      = flowroute_cnam_preset.%s.id
}
`, area, attached)
		}
		return b.String()
	}
	approveAll := func() {
		for _, p := range env.sim.CNAMPresets() {
			if !p.IsApproved {
				if err := env.sim.ApproveCNAM(p.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy: func(*terraform.State) error {
			if n, p := len(env.sim.OwnedNumbers()), len(env.sim.CNAMPresets()); n+p != 0 {
				return fmt.Errorf("%d numbers and %d presets left, want none", n, p)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config(map[string]string{"old": "ACME SUPPORT"}, "")},
			{
				PreConfig: approveAll,
				Config:    config(map[string]string{"old": "ACME SUPPORT"}, "old"),
				Check:     env.expectRecords("", "ACME SUPPORT"),
			},
			{
				// Renamed in place of the approved preset: refused, nothing sent.
				PreConfig:   env.sim.ResetRequests,
				Config:      config(map[string]string{"old": "ACME HELP"}, "old"),
				ExpectError: errorPattern("Approved CNAM preset cannot be renamed", `value = "ACME HELP"`),
			},
			{
				// 1. The new preset, beside the old one that the number keeps.
				Config: config(map[string]string{"old": "ACME SUPPORT", "new": "ACME HELP"}, "old"),
				Check: resource.ComposeTestCheckFunc(
					env.expectRecords("", "ACME SUPPORT"),
					env.expectWrites(map[string]int{http.MethodPost: 1}),
				),
			},
			{
				// 2.-3. Approved: the number moves to it, and keeps a caller name.
				PreConfig: func() {
					approveAll()
					env.sim.ResetRequests()
				},
				Config: config(map[string]string{"old": "ACME SUPPORT", "new": "ACME HELP"}, "new"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectRecords("", "ACME HELP"),
					func(s *terraform.State) error {
						return env.expectWritesExactly(http.MethodPatch + " " + simulator.PathOwnedNumbers + "/" +
							env.sim.OwnedNumbers()[0].Number + "/relationships/cnams/23455")(s)
					},
				),
			},
			{
				// 4. The old preset goes, which no number uses any more.
				PreConfig: env.sim.ResetRequests,
				Config:    config(map[string]string{"new": "ACME HELP"}, "new"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("flowroute_cnam_preset.old", plancheck.ResourceActionDestroy),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectRecords("", "ACME HELP"),
					env.expectWritesExactly(http.MethodDelete+" "+simulator.PathCNAMs+"/23454"),
				),
			},
		},
	})
}
