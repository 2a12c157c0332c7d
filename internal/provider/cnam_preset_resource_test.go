package provider

import (
	"fmt"
	"net/http"
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
			// Approved: a new value is a new preset.
			{
				Config:            env.cnamConfig("ACME DESK"),
				ConfigPlanChecks:  expectPresetAction(plancheck.ResourceActionReplace),
				ConfigStateChecks: expectPreset("23455", "ACME DESK", false, ""),
			},
		},
	})

	created := env.bodiesSent(http.MethodPost, simulator.PathCNAMs)
	if len(created) != 2 || created[0] != `{"value":"ACME SUPPORT"}` || created[1] != `{"value":"ACME DESK"}` {
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
		!strings.Contains(d.Detail(), "Run plan again: it will replace the preset") {
		t.Fatalf("diagnostic %q: %q", d.Summary(), d.Detail())
	}
	if p := env.sim.CNAMPresets(); p[0].Value != "ACME" {
		t.Fatalf("the approved preset changed: %+v", p[0])
	}
}
