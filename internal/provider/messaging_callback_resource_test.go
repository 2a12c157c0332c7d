package provider

import (
	"fmt"
	"maps"
	"net/http"
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

const messagingCallbackAddress = "flowroute_messaging_callback.test"

func (e *testEnv) messagingCallbackConfig(callbackType, callbackURL string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "flowroute_messaging_callback" "test" {
  callback_type = %q
  callback_url  = %q
}
`, callbackType, callbackURL)
}

// expectAccountCallbacks checks the account's callbacks on the simulator.
func (e *testEnv) expectAccountCallbacks(want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.sim.AccountCallbacks(); !maps.Equal(got, want) {
			return fmt.Errorf("account callbacks %v, want %v", got, want)
		}
		return nil
	}
}

// expectAccountCallbacksSent checks the PUT requests to /v2.1/messages, as
// "type body".
func (e *testEnv) expectAccountCallbacksSent(want ...string) resource.TestCheckFunc {
	return e.expectSent(func(r simulator.Request) (string, bool) {
		callbackType, ok := strings.CutPrefix(r.Path, simulator.PathMessages+"/")
		return callbackType + " " + r.Body, ok && r.Method == http.MethodPut
	}, want...)
}

func accountCallbackSent(callbackType, url string) string {
	return fmt.Sprintf(`%s {"data":{"attributes":{"callback_url":%q}}}`, callbackType, url)
}

func TestAccMessagingCallback(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	expectURL := func(url string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(messagingCallbackAddress, tfjsonpath.New("callback_url"), knownvalue.StringExact(url)),
			statecheck.ExpectKnownValue(messagingCallbackAddress, tfjsonpath.New("id"), knownvalue.StringExact("sms_callback")),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.expectAccountCallbacks(nil),
		Steps: []resource.TestStep{
			{
				Config:            env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/sms"),
				ConfigStateChecks: expectURL("https://hooks.example.com/sms"),
				Check: resource.ComposeTestCheckFunc(
					env.expectAccountCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms"}),
					env.expectAccountCallbacksSent(accountCallbackSent("sms_callback", "https://hooks.example.com/sms")),
				),
			},
			{
				// Changed in place.
				PreConfig: env.sim.ResetRequests,
				Config:    env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/sms/v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messagingCallbackAddress, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: expectURL("https://hooks.example.com/sms/v2"),
				Check:             env.expectAccountCallbacksSent(accountCallbackSent("sms_callback", "https://hooks.example.com/sms/v2")),
			},
			{
				// Changed in the portal: the plan sees the drift and sets it back.
				PreConfig: func() {
					env.sim.SetAccountCallbackOutside("sms_callback", "https://elsewhere.example.com/")
					env.sim.ResetRequests()
				},
				Config: env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/sms/v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messagingCallbackAddress, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectAccountCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms/v2"}),
					env.expectAccountCallbacksSent(accountCallbackSent("sms_callback", "https://hooks.example.com/sms/v2")),
				),
			},
			{
				ResourceName:            messagingCallbackAddress,
				ImportState:             true,
				ImportStateId:           "sms_callback",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Cleared in the portal: the resource is gone, and the plan sets it again.
				PreConfig: func() {
					env.sim.SetAccountCallbackOutside("sms_callback", "")
					env.sim.ResetRequests()
				},
				Config: env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/sms/v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messagingCallbackAddress, plancheck.ResourceActionCreate),
				}},
				Check: env.expectAccountCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms/v2"}),
			},
			{
				// Another type: the old one is cleared, the new one set.
				PreConfig: env.sim.ResetRequests,
				Config:    env.messagingCallbackConfig("mms_dlr_callback", "https://hooks.example.com/dlr"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(messagingCallbackAddress, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					env.expectAccountCallbacks(map[string]string{"mms_dlr_callback": "https://hooks.example.com/dlr"}),
					env.expectAccountCallbacksSent(accountCallbackSent("sms_callback", ""),
						accountCallbackSent("mms_dlr_callback", "https://hooks.example.com/dlr")),
				),
			},
		},
	})
}

func TestAccMessagingCallback_invalid(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	// The cases run in parallel, after this function returns.
	t.Cleanup(func() {
		if n := env.sim.RequestCount(); n != 0 {
			t.Errorf("%d requests sent for invalid configurations", n)
		}
	})
	for _, tc := range []struct{ name, callbackType, url, want string }{
		{"type", "voice_callback", "https://hooks.example.com/", `Attribute callback_type value must be one of`},
		{"scheme", "sms_callback", "ftp://hooks.example.com/", "it must start with https:// (or http://)"},
		{"relative", "sms_callback", "/hooks", "it must start with https:// (or http://)"},
		{"host", "sms_callback", "https:///hooks", "it has no host"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      env.messagingCallbackConfig(tc.callbackType, tc.url),
					PlanOnly:    true,
					ExpectError: errorPattern(tc.want),
				}},
			})
		})
	}
}

// Flowroute's refusals and failures: a refused URL on its attribute, a
// server error explained, nothing left in the state.
func TestAccMessagingCallback_failures(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	put := simulator.Fault{Method: http.MethodPut, Path: simulator.PathMessages + "/sms_callback", Times: 1}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		CheckDestroy:             env.expectAccountCallbacks(nil),
		Steps: []resource.TestStep{
			{
				// A URL too long for the simulator's rule is refused by the API, naming the field.
				Config:      env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/"+strings.Repeat("a", 2100)),
				ExpectError: errorPattern("Invalid callback_url", "Flowroute refused the messaging callback's callback_url"),
			},
			{
				PreConfig: func() {
					fault := put
					fault.Status = http.StatusForbidden
					env.sim.AddFault(fault)
				},
				Config:      env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/sms"),
				ExpectError: errorPattern("Unable to set the messaging callback", "HTTP 403"),
			},
			{
				// A 503 is retried.
				PreConfig: func() {
					fault := put
					fault.Status = http.StatusServiceUnavailable
					env.sim.AddFault(fault)
				},
				Config: env.messagingCallbackConfig("sms_callback", "https://hooks.example.com/sms"),
				Check:  env.expectAccountCallbacks(map[string]string{"sms_callback": "https://hooks.example.com/sms"}),
			},
		},
	})
}
