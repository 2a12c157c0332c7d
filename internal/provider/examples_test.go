package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const examplesDir = "../../examples"

var (
	// An import example, import.sh: `terraform import ADDRESS ID`.
	importCommand = regexp.MustCompile(`(?m)^terraform import (\S+) (\S+)$`)
	// An import example as a block, import-by-string-id.tf.
	importBlockTo = regexp.MustCompile(`(?m)^\s*to\s*=\s*(\S+)$`)
	importBlockID = regexp.MustCompile(`(?m)^\s*id\s*=\s*"([^"]+)"$`)
	// The first line of a flowroute_phone_number block, to turn off its
	// deletion protection before the destroy.
	phoneNumberBlock = regexp.MustCompile(`(?m)^resource "flowroute_phone_number" "\w+" \{$`)
	// A resource block, as the examples are formatted, and its for_each.
	resourceBlock = regexp.MustCompile(`(?ms)^resource "\w+" "\w+" \{$.*?^\}$`)
	forEach       = regexp.MustCompile(`(?m)^  for_each\s*=`)
)

// outputsChangeAfterApply names the examples whose outputs read what their
// own apply changes, so the plan after it is not empty (but for outputs).
var outputsChangeAfterApply = map[string]bool{
	// Whether the preset is approved: the review ends after the apply.
	"resources/flowroute_cnam_preset": true,
}

// TestAccExamples applies every example under examples/ as written against
// the simulator's default inventory, the provider configured from the
// environment as the examples say, then imports what its import examples
// name. A number, search or guard that does not fit the inventory fails it.
// Not parallel: the keys come from the environment.
func TestAccExamples(t *testing.T) {
	var dirs []string
	err := filepath.WalkDir(examplesDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".tf" && !slices.Contains(dirs, filepath.Dir(path)) {
			dirs = append(dirs, filepath.Dir(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 15 {
		t.Fatalf("found %d example directories under %s, want every one", len(dirs), examplesDir)
	}
	for _, dir := range dirs {
		name, _ := filepath.Rel(examplesDir, dir)
		t.Run(name, func(t *testing.T) { testExample(t, dir) })
	}
}

func testExample(t *testing.T, dir string) {
	config, importBlock := readExample(t, dir)
	// Flowroute's review of a caller name, instant here, so that the example
	// attaching a new preset applies in one run.
	env := newTestEnv(t, simulator.Options{CNAMApprovalDelay: time.Nanosecond})
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_BASE_URL", env.baseURL)
	t.Setenv("FLOWROUTE_ACCESS_KEY", testAccessKey)
	t.Setenv("FLOWROUTE_SECRET_KEY", testSecretKey)
	t.Setenv("TF_VAR_flowroute_access_key", testAccessKey)
	t.Setenv("TF_VAR_flowroute_secret_key", testSecretKey)
	if strings.Contains(config, `"flowroute-community/flowroute"`) {
		// Serve the provider where the example's required_providers names it.
		t.Setenv(resource.EnvTfAccProviderNamespace, "flowroute-community")
	}

	name, _ := filepath.Rel(examplesDir, dir)
	steps := []resource.TestStep{{
		Config:             config,
		ExpectNonEmptyPlan: outputsChangeAfterApply[filepath.ToSlash(name)],
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{noResourceChanges{}},
		},
		ConfigStateChecks: []statecheck.StateCheck{stateFunc(noEmptyOutputs)},
	}}
	if phoneNumberBlock.MatchString(config) {
		// Release what was bought: the destroy is refused while protected.
		config = phoneNumberBlock.ReplaceAllString(config, "$0\n  deletion_protection = false")
		steps = append(steps, resource.TestStep{Config: config})
	}
	if imports := importSteps(t, dir, importBlock); len(imports) > 0 {
		// The import check reads a state that cannot hold for_each instances.
		config = withoutForEach(config)
		steps = append(steps, resource.TestStep{Config: config})
		for _, step := range imports {
			step.Config = config
			steps = append(steps, step)
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps})

	if owned := env.sim.OwnedNumbers(); len(owned) != 0 {
		t.Errorf("%d numbers left on the account after the destroy", len(owned))
	}
}

// readExample returns the example's configuration, and its import block
// example apart: that one imports what the configuration creates.
func readExample(t *testing.T, dir string) (config, importBlock string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(filepath.Base(f), "import") {
			importBlock = string(b)
			continue
		}
		parts = append(parts, string(b))
	}
	return strings.Join(parts, "\n"), importBlock
}

// accountOutputs list what the account owns, empty on a new simulator.
var accountOutputs = map[string]bool{"owned": true}

// noEmptyOutputs fails when an output lists nothing: a search that finds
// nothing in the inventory is an example that does not fit it.
func noEmptyOutputs(state *tfjson.State) error {
	var err error
	if state.Values == nil {
		return nil
	}
	for name, output := range state.Values.Outputs {
		switch v := output.Value.(type) {
		case []any:
			if len(v) == 0 && !accountOutputs[name] {
				err = errors.Join(err, fmt.Errorf("output %s is empty", name))
			}
		case map[string]any:
			if len(v) == 0 && !accountOutputs[name] {
				err = errors.Join(err, fmt.Errorf("output %s is empty", name))
			}
		}
	}
	return err
}

// withoutForEach removes the resources with for_each from the configuration.
func withoutForEach(config string) string {
	return resourceBlock.ReplaceAllStringFunc(config, func(block string) string {
		if forEach.MatchString(block) {
			return ""
		}
		return block
	})
}

// noResourceChanges fails a plan that changes a resource: after an apply,
// only outputs may change.
type noResourceChanges struct{}

func (noResourceChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() && !rc.Change.Actions.Read() {
			resp.Error = errors.Join(resp.Error, fmt.Errorf("%s: %v planned after the apply", rc.Address, rc.Change.Actions))
		}
	}
}

// importSteps imports what the example's import.sh and import block name.
// A number is imported by the id written there, which the example bought;
// records (routes, addresses, presets) get their ids from Flowroute, so
// they are imported by the id in the state, at the address written there.
func importSteps(t *testing.T, dir, importBlock string) []resource.TestStep {
	t.Helper()
	type target struct{ address, id string }
	var targets []target
	if b, err := os.ReadFile(filepath.Join(dir, "import.sh")); err == nil {
		m := importCommand.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("%s/import.sh has no `terraform import ADDRESS ID` line", dir)
		}
		targets = append(targets, target{m[1], m[2]})
	}
	if importBlock != "" {
		to, id := importBlockTo.FindStringSubmatch(importBlock), importBlockID.FindStringSubmatch(importBlock)
		if to == nil || id == nil {
			t.Fatalf("%s: the import block example has no to or id", dir)
		}
		targets = append(targets, target{to[1], id[1]})
	}

	var steps []resource.TestStep
	for _, tg := range targets {
		resourceType, _, _ := strings.Cut(tg.address, ".")
		step := resource.TestStep{
			ResourceName:      tg.address,
			ImportState:       true,
			ImportStateVerify: true,
			// The guards, protection and timeouts live in the configuration
			// only; a preset's review goes on between the apply and the import.
			ImportStateVerifyIgnore: []string{
				"deletion_protection", "timeouts", "max_setup_cost", "max_monthly_cost",
				"is_approved", "approval_datetime",
			},
		}
		if resourceType == "flowroute_phone_number" {
			step.ImportStateId = tg.id
		}
		steps = append(steps, step)
	}
	return steps
}
