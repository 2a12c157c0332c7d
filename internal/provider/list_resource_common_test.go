package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// queryCLIEnv names the Terraform CLI, 1.14 or newer, that runs the tests
// of the list resources: OpenTofu has no terraform query yet.
// tools/install-terraform.sh builds one, and make test passes it when built.
const queryCLIEnv = "TF_ACC_TERRAFORM_QUERY_PATH"

// useQueryCLI runs the test on the CLI that queryCLIEnv names, or skips it
// and says why. The test cannot run in parallel: it changes the environment.
func useQueryCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv(queryCLIEnv)
	if cli == "" {
		t.Skipf("%s is not set: terraform query needs Terraform 1.14 or newer. Build it with "+
			"tools/install-terraform.sh (make test then runs these tests on it) and set %s to the path it prints.",
			queryCLIEnv, queryCLIEnv)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", cli)
	t.Setenv(resource.EnvTfAccProviderHost, "registry.terraform.io")
	return cli
}

// queryConfig is the provider block and the list blocks, each "name" =>
// its arguments (limit, include_resource, config { ... }).
func (e *testEnv) queryConfig(typeName string, blocks map[string]string) string {
	var b strings.Builder
	b.WriteString(e.providerConfig())
	for name, arguments := range blocks {
		fmt.Fprintf(&b, "\nlist %q %q {\n  provider = flowroute\n  %s\n}\n", typeName, name, arguments)
	}
	return b.String()
}

// queryFunc is a query check written as a function, for what the
// simulator's request log shows of the query.
type queryFunc func() error

func (f queryFunc) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	resp.Error = f()
}

// expectDisplayName checks the display name of the result with the identity.
func expectDisplayName(list, attr, id, name string) querycheck.QueryResultCheck {
	return querycheck.ExpectResourceDisplayName(list,
		queryfilter.ByResourceIdentity(map[string]knownvalue.Check{attr: knownvalue.StringExact(id)}),
		knownvalue.StringExact(name))
}

// requestsTo are the logged requests whose path is path.
func requestsTo(env *testEnv, path string) []simulator.Request {
	var out []simulator.Request
	for _, r := range env.sim.Requests() {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// The list resources' examples run as they are on an account that has a
// little of everything.
func TestAccQuery_examples(t *testing.T) {
	useQueryCLI(t)
	env := newTestEnv(t, simulator.Options{})
	ownAll(t, env, 3)
	env.sim.AddRoute(simulator.Route{RouteType: "host", Value: "pbx.example.com", Alias: "pbx"})
	examples, err := filepath.Glob("../../examples/list-resources/*/list-resource.tfquery.hcl")
	if err != nil || len(examples) != 4 {
		t.Fatalf("examples %v, %v: want one per list resource", examples, err)
	}
	var steps []resource.TestStep
	for _, path := range examples {
		example, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, resource.TestStep{Query: true, Config: env.providerConfig() + string(example)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps})
}
