package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// callbackNumberConfig is a messaging number bought by search in area, with
// the callback arguments given.
func (e *testEnv) callbackNumberConfig(area, callbacks string) string {
	return e.phoneNumberConfig(fmt.Sprintf(`search              = { starts_with = %q }
  messaging_enabled   = true
  deletion_protection = false
  %s`, area, callbacks))
}

// expectCallbacks checks the callbacks the simulator holds for the one
// number owned.
func (e *testEnv) expectCallbacks(want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		owned := e.sim.OwnedNumbers()
		if len(owned) != 1 {
			return fmt.Errorf("%d numbers owned, want 1", len(owned))
		}
		if got := e.sim.NumberCallbacks(owned[0].Number); !maps.Equal(got, want) {
			return fmt.Errorf("callbacks %v, want %v", got, want)
		}
		return nil
	}
}

// expectSent checks the requests sent since the log was last reset that
// describe names, as it describes them, in the order sent.
func (e *testEnv) expectSent(describe func(simulator.Request) (string, bool), want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range e.sim.Requests() {
			if d, ok := describe(r); ok {
				got = append(got, d)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			return fmt.Errorf("requests\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		return nil
	}
}

// expectCallbacksSent checks a number's callback requests: their type and
// body.
func (e *testEnv) expectCallbacksSent(want ...string) resource.TestCheckFunc {
	return e.expectSent(func(r simulator.Request) (string, bool) {
		_, callbackType, ok := strings.Cut(r.Path, "/relationships/")
		return r.Method + " " + callbackType + " " + r.Body, ok && strings.HasSuffix(callbackType, "_callback")
	}, want...)
}

func callbackSent(callbackType, url string) string {
	return fmt.Sprintf(`POST %s {"data":{"attributes":{"callback_url":%q}}}`, callbackType, url)
}

func expectStateCallback(attr string, want knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(phoneNumberAddress, tfjsonpath.New(attr), want)
}

func TestAccPhoneNumber_callbacks(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// Sent after the purchase, one request each.
				Config: env.callbackNumberConfig(area, `sms_callback_url     = "https://hooks.example.com/sms"
  mms_dlr_callback_url = "https://hooks.example.com/dlr?kind=mms"`),
				ConfigStateChecks: []statecheck.StateCheck{
					expectStateCallback("sms_callback_url", knownvalue.StringExact("https://hooks.example.com/sms")),
					expectStateCallback("mms_callback_url", knownvalue.Null()),
					expectStateCallback("mms_dlr_callback_url", knownvalue.StringExact("https://hooks.example.com/dlr?kind=mms")),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms",
						"mms_dlr_callback": "https://hooks.example.com/dlr?kind=mms"}),
					env.expectCallbacksSent(callbackSent("sms_callback", "https://hooks.example.com/sms"),
						callbackSent("mms_dlr_callback", "https://hooks.example.com/dlr?kind=mms")),
				),
			},
			{
				// One changed and one added, in place: only those two are sent.
				PreConfig: env.sim.ResetRequests,
				Config: env.callbackNumberConfig(area, `sms_callback_url     = "https://hooks.example.com/sms/v2"
  mms_callback_url     = "https://hooks.example.com/mms"
  mms_dlr_callback_url = "https://hooks.example.com/dlr?kind=mms"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms/v2",
						"mms_callback": "https://hooks.example.com/mms", "mms_dlr_callback": "https://hooks.example.com/dlr?kind=mms"}),
					env.expectCallbacksSent(callbackSent("sms_callback", "https://hooks.example.com/sms/v2"),
						callbackSent("mms_callback", "https://hooks.example.com/mms")),
					env.expectWrites(map[string]int{http.MethodPost: 2}),
				),
			},
			{
				// Removed from the configuration: cleared with an empty URL.
				PreConfig: env.sim.ResetRequests,
				Config:    env.callbackNumberConfig(area, `mms_callback_url = "https://hooks.example.com/mms"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectStateCallback("sms_callback_url", knownvalue.Null()),
					expectStateCallback("mms_dlr_callback_url", knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectCallbacks(map[string]string{"mms_callback": "https://hooks.example.com/mms"}),
					env.expectCallbacksSent(callbackSent("sms_callback", ""), callbackSent("mms_dlr_callback", "")),
				),
			},
			{
				// A refresh cannot read them: nothing is asked, and the state keeps what was sent.
				PreConfig:          env.sim.ResetRequests,
				RefreshState:       true,
				ExpectNonEmptyPlan: false,
				Check: resource.ComposeTestCheckFunc(
					env.expectCallbacksSent(),
					resource.TestCheckResourceAttr(phoneNumberAddress, "mms_callback_url", "https://hooks.example.com/mms"),
				),
			},
			{
				// An import cannot know them.
				ResourceName:            phoneNumberAddress,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"deletion_protection", "timeouts", "search", "mms_callback_url"},
			},
		},
	})
}

// callbackFault fails the number's callback requests of the type once.
func callbackFault(number, callbackType string) simulator.Fault {
	return simulator.Fault{Method: http.MethodPost, Path: simulator.PathOwnedNumbers + "/" + number + "/relationships/" + callbackType,
		Status: http.StatusBadRequest, Times: 1}
}

const bothCallbacks = `sms_callback_url = "https://hooks.example.com/sms"
  mms_callback_url = "https://hooks.example.com/mms"`

// A failure part way through an update: the state keeps what was sent, and
// the next apply sends the rest.
func TestAccPhoneNumber_callbackUpdateFailure(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	area := testAreaCode(t, env)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{Config: env.callbackNumberConfig(area, "")},
			{
				PreConfig: func() {
					env.sim.AddFault(callbackFault(env.sim.OwnedNumbers()[0].Number, "mms_callback"))
				},
				Config: env.callbackNumberConfig(area, bothCallbacks),
				ExpectError: errorPattern("Unable to update a phone number", "setting mms_callback_url to",
					`"https://hooks.example.com/mms"`, "HTTP 400"),
			},
			{
				// The SMS callback was sent and stays in the state.
				PreConfig: env.sim.ResetRequests,
				Config:    env.callbackNumberConfig(area, bothCallbacks),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectCallbacksSent(callbackSent("mms_callback", "https://hooks.example.com/mms")),
					env.expectCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms",
						"mms_callback": "https://hooks.example.com/mms"}),
				),
			},
		},
	})
}

// A failure right after the purchase: the number is bought with a warning,
// and the next plan sends what was not sent, though the state of a create
// must hold the configured values.
func TestAccPhoneNumber_callbackCreateFailure(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[0].Number
	config := env.phoneNumberConfig(fmt.Sprintf(`number              = %q
  messaging_enabled   = true
  deletion_protection = false
  %s`, number, bothCallbacks))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				PreConfig:          func() { env.sim.AddFault(callbackFault(number, "mms_callback")) },
				Config:             config,
				ExpectNonEmptyPlan: true,
				Check:              env.expectCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms"}),
			},
			{
				PreConfig: env.sim.ResetRequests,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectCallbacksSent(callbackSent("mms_callback", "https://hooks.example.com/mms")),
					env.expectWrites(map[string]int{http.MethodPost: 1}),
				),
			},
		},
	})
}

func TestCallbackURLValidator(t *testing.T) {
	for value, want := range map[string]string{
		"https://hooks.example.com/sms":      "",
		"http://127.0.0.1:8080/sms":          "",
		"http://localhost/sms":               "",
		"http://hooks.example.com/sms":       "warning: Unencrypted callback URL",
		"ftp://hooks.example.com/sms":        "error: it must start with https:// (or http://)",
		"/sms":                               "error: it must start with https:// (or http://)",
		"hooks.example.com/sms":              "error: it must start with https:// (or http://)",
		"https:///sms":                       "error: it has no host",
		"https://hooks.example.com/sms#x":    "error: it must not have a fragment",
		"https://hooks.example.com/%zz":      "error: it is not a valid URL: invalid URL escape",
		"https://user:pw@hooks.example.com/": "",
	} {
		var resp validator.StringResponse
		callbackURLValidator{}.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("sms_callback_url"), ConfigValue: types.StringValue(value),
		}, &resp)
		var got string
		for _, d := range resp.Diagnostics {
			got = strings.ToLower(d.Severity().String()) + ": " + d.Summary() + " " + d.Detail()
		}
		if want == "" && got != "" || want != "" && !strings.Contains(strings.ReplaceAll(got, "\n", " "), strings.TrimPrefix(strings.TrimPrefix(want, "error: "), "warning: ")) ||
			want != "" && !strings.HasPrefix(got, strings.SplitN(want, ":", 2)[0]) {
			t.Errorf("%q: %q, want %q", value, got, want)
		}
		if strings.Contains(got, "pw@") {
			t.Errorf("%q: the diagnostic shows the password: %s", value, got)
		}
	}
}
