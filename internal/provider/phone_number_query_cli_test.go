package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// queryProviderAddress is the provider's address in the configurations the
// CLI test writes.
const queryProviderAddress = "registry.terraform.io/flowroute-community/flowroute"

// serveProvider serves the provider in-process, as the acceptance tests
// do, until the test ends, and returns the TF_REATTACH_PROVIDERS value that
// points the CLI at it.
func serveProvider(t *testing.T) string {
	t.Helper()
	server, err := factories()["flowroute"]()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	configs := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(queryProviderAddress, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, configs, closed), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-configs:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	reattach, err := json.Marshal(map[string]any{queryProviderAddress: map[string]any{
		"Protocol": config.Protocol, "ProtocolVersion": config.ProtocolVersion, "Pid": config.Pid, "Test": true,
		"Addr": map[string]string{"Network": config.Addr.Network(), "String": config.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(reattach)
}

// The adoption of a whole account in one command: terraform query
// -generate-config-out writes a resource and an import block for each of
// 250 numbers, the apply imports them all and sends nothing that changes
// the account, and the next plan is empty.
func TestAccQuery_generatedConfigAdoptsTheAccount(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("an acceptance test: set TF_ACC=1 to run it")
	}
	cli := useQueryCLI(t)
	env := newTestEnv(t, simulator.Options{})
	owned := ownAll(t, env, 250)
	setAlias(t, env, owned[10].Number, "reception")
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": `terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}
` + env.providerConfig(),
		"account.tfquery.hcl": `list "flowroute_phone_number" "account" {
  provider = flowroute
  limit    = 1000
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cliEnv := append(os.Environ(), "TF_REATTACH_PROVIDERS="+serveProvider(t), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	run := func(args ...string) (string, error) {
		cmd := exec.Command(cli, args...)
		cmd.Dir, cmd.Env = dir, cliEnv
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	mustRun := func(args ...string) string {
		out, err := run(args...)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(cli), strings.Join(args, " "), err, out)
		}
		return out
	}
	mustRun("init", "-input=false", "-no-color")

	env.sim.ResetRequests()
	mustRun("query", "-no-color", "-generate-config-out=numbers.tf")
	var lists, reads int
	for _, r := range env.sim.Requests() {
		switch {
		case r.Method != http.MethodGet:
			t.Errorf("the query sent %s %s", r.Method, r.Path)
		case r.Path == simulator.PathOwnedNumbers:
			lists++
		default:
			reads++
		}
	}
	// Pages of 200, two in flight: two pages, and at most one asked past the
	// end. Each number is read on its own for its attachments, as
	// generating configuration asks for the resources.
	if lists < 2 || lists > 3 || reads != 250 {
		t.Errorf("the query sent %d listings and %d reads, want 2 or 3 listings and 250 reads", lists, reads)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "numbers.tf"))
	if err != nil {
		t.Fatal(err)
	}
	generated := string(raw)
	// hclwrite aligns the equals signs of a block, hence \s+.
	for pattern, want := range map[string]int{
		`resource "flowroute_phone_number"`: 250,
		`import \{`:                         250,
		`deletion_protection\s+= true`:      250,
		`alias\s+= "reception"`:             1,
		`primary_route_id\s+= "0"`:          250,
	} {
		if n := len(regexp.MustCompile(pattern).FindAllString(generated, -1)); n != want {
			t.Errorf("the generated configuration matches %s %d times, want %d", pattern, n, want)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	env.sim.ResetRequests()
	out := mustRun("apply", "-input=false", "-no-color", "-auto-approve")
	if !strings.Contains(out, "Resources: 250 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("the apply says:\n%s", out)
	}
	for _, r := range env.sim.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("the apply sent %s %s", r.Method, r.Path)
		}
	}
	if n := len(env.sim.OwnedNumbers()); n != 250 {
		t.Errorf("the account owns %d numbers, want 250", n)
	}

	out, err = run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 2 {
		err = fmt.Errorf("the plan has changes")
	}
	if err != nil || !strings.Contains(out, "No changes.") {
		t.Errorf("the plan after adoption: %v\n%s", err, out)
	}
}
