package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// unconfirmedConfig buys number with the extra arguments, with the provider
// block's unconfirmed_purchase_window set to window ("" for its default).
func (e *testEnv) unconfirmedConfig(number, window, arguments string) string {
	provider := fmt.Sprintf("base_url = %q", e.baseURL)
	if window != "" {
		provider += fmt.Sprintf("\n  unconfirmed_purchase_window = %q", window)
	}
	return keysConfig(provider) + fmt.Sprintf(`
resource "flowroute_phone_number" "test" {
  number              = %q
  deletion_protection = false
  %s
}
`, number, arguments)
}

// purchasesOf lists the numbers of the purchase requests logged.
func (e *testEnv) purchasesOf() []string {
	var numbers []string
	for _, r := range e.sim.Requests() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, simulator.PathOwnedNumbers+"/") {
			numbers = append(numbers, strings.TrimPrefix(r.Path, simulator.PathOwnedNumbers+"/"))
		}
	}
	return numbers
}

// expectOnePurchaseOf checks that every purchase request was for number,
// and that there was one.
func (e *testEnv) expectOnePurchaseOf(number string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.purchasesOf(); !slices.Equal(got, []string{number}) {
			return fmt.Errorf("purchase requests %v, want one, of %s", got, number)
		}
		return nil
	}
}

// A purchase whose wait is cut short while Flowroute still carries it out
// is never "nothing bought": the number goes into the state, unconfirmed,
// and the next refresh, once the account owns it, keeps it. One purchase
// in all; the state holds exactly what the account owns.
func TestAccPhoneNumber_cutShortPurchase(t *testing.T) {
	for name, tc := range map[string]struct {
		arguments string
		held      time.Duration
	}{
		"create time limit": {arguments: `timeouts = { create = "1s" }`, held: 3 * time.Second},
		"per-attempt limit": {held: 2 * attemptTimeout},
	} {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			number := candidates(env, testAreaCode(t, env))[0].Number
			env.sim.AddFault(simulator.Fault{Method: http.MethodPost, PathPrefix: simulator.PathOwnedNumbers + "/",
				ActLater: tc.held, Times: 1})
			config := env.unconfirmedConfig(number, "", tc.arguments)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{
					{
						Config: config,
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr(phoneNumberAddress, "number", number),
							func(*terraform.State) error {
								if owned := env.sim.OwnedNumbers(); len(owned) != 0 {
									return fmt.Errorf("the account owns %v already: the purchase was not held", owned)
								}
								return nil
							},
						),
					},
					{
						// Flowroute finishes the purchase; the refresh confirms it.
						PreConfig: env.sim.WaitLate,
						Config:    config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
						}},
						Check: resource.ComposeTestCheckFunc(env.expectOnePurchaseOf(number),
							env.expectOwnedInState(phoneNumberAddress)),
					},
				},
			})
		})
	}
}

// While a purchase is unconfirmed, refreshes keep the number and nothing
// else is bought; once unconfirmed_purchase_window has passed with the
// account still not owning it, the refresh removes it from the state, and
// only then does the plan offer to buy again.
func TestAccPhoneNumber_unconfirmedPurchaseNeverCarriedOut(t *testing.T) {
	sentAt := make(chan time.Time, 1)
	env := newTestEnv(t, simulator.Options{OnRequest: func(r simulator.Request) {
		if r.Method == http.MethodPost {
			select {
			case sentAt <- time.Now():
			default:
			}
		}
	}})
	number := candidates(env, testAreaCode(t, env))[0].Number
	// The connection drops before Flowroute acts: the purchase never happens.
	env.sim.AddFault(simulator.Fault{Method: http.MethodPost, PathPrefix: simulator.PathOwnedNumbers + "/",
		ResetConnection: true, Times: 1})
	const window = 15 * time.Second
	config := env.unconfirmedConfig(number, window.String(), "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  resource.TestCheckResourceAttr(phoneNumberAddress, "number", number),
			},
			{
				// Within the window: kept, and nothing bought.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
				}},
				Check: env.expectOnePurchaseOf(number),
			},
			{
				// Past the window: removed, and the plan buys again.
				PreConfig: func() { time.Sleep(time.Until((<-sentAt).Add(window + 100*time.Millisecond))) },
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionCreate),
				}},
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if got := env.purchasesOf(); !slices.Equal(got, []string{number}) {
		t.Errorf("purchase requests %v, want the one that failed", got)
	}
}

// An interrupt (Ctrl-C) while Flowroute holds the purchase: the CLI stops
// the provider, which keeps the number as unconfirmed rather than report
// nothing bought; the next apply confirms it and buys nothing.
func TestAccPhoneNumber_interruptedPurchase(t *testing.T) {
	// Not parallel: the test interrupts the CLI that this process runs.
	env := newTestEnv(t, simulator.Options{})
	number := candidates(env, testAreaCode(t, env))[0].Number
	env.sim.AddFault(simulator.Fault{Method: http.MethodPost, PathPrefix: simulator.PathOwnedNumbers + "/",
		ActLater: 3 * time.Second, Times: 1})
	config := env.unconfirmedConfig(number, "", "")
	interrupted := make(chan error, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					go func() { interrupted <- interruptCLIOnPurchase(env) }()
				},
				Config:      config,
				ExpectError: errorPattern("execution halted"),
			},
			{
				PreConfig: func() {
					if err := <-interrupted; err != nil {
						t.Fatal(err)
					}
					env.sim.WaitLate()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(phoneNumberAddress, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeTestCheckFunc(env.expectOnePurchaseOf(number),
					env.expectOwnedInState(phoneNumberAddress)),
			},
		},
	})
}

// interruptCLIOnPurchase waits for a purchase request, then sends SIGINT to
// the CLI that this test process runs, as Ctrl-C does.
func interruptCLIOnPurchase(env *testEnv) error {
	deadline := time.Now().Add(time.Minute)
	for len(env.purchasesOf()) == 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("no purchase request within a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid, err := childCLI()
	if err != nil {
		return err
	}
	return syscall.Kill(pid, syscall.SIGINT)
}

// childCLI finds the OpenTofu or Terraform process that this process runs.
func childCLI() (int, error) {
	cli := filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH"))
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range stats {
		raw, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so split after it.
		fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(os.Getpid()) {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(stat)))
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); filepath.Base(exe) == cli {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("no %s process started by this test", cli)
}
