package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

func TestAccQuery_cnamPresets(t *testing.T) {
	useQueryCLI(t)
	env := newTestEnv(t, simulator.Options{})
	client := env.testClient(t)
	for _, value := range []string{"ACME SUPPORT", "ACME SALES", "ACME BILLING"} {
		if _, err := client.CreateCNAM(t.Context(), value); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.sim.ApproveCNAM("23454"); err != nil {
		t.Fatal(err)
	}
	if err := env.sim.RejectCNAM("23456", "not a business name"); err != nil {
		t.Fatal(err)
	}
	support := map[string]knownvalue.Check{"id": knownvalue.StringExact("23454")}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Query: true,
			Config: env.queryConfig("flowroute_cnam_preset", map[string]string{
				"all":      "",
				"limited":  "limit = 2",
				"approved": "config { is_approved = true }",
				"pending":  "config { is_approved = false }",
				"full":     "include_resource = true",
			}),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("flowroute_cnam_preset.all", 3),
				querycheck.ExpectLength("flowroute_cnam_preset.limited", 2),
				querycheck.ExpectLength("flowroute_cnam_preset.approved", 1),
				querycheck.ExpectIdentity("flowroute_cnam_preset.approved", support),
				querycheck.ExpectLength("flowroute_cnam_preset.pending", 2),
				expectDisplayName("flowroute_cnam_preset.all", "id", "23454", "ACME SUPPORT (approved)"),
				expectDisplayName("flowroute_cnam_preset.all", "id", "23455", "ACME SALES (awaiting approval)"),
				expectDisplayName("flowroute_cnam_preset.all", "id", "23456", "ACME BILLING (rejected: not a business name)"),
				querycheck.ExpectResourceKnownValues("flowroute_cnam_preset.full", queryfilter.ByResourceIdentity(support),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("value"), KnownValue: knownvalue.StringExact("ACME SUPPORT")},
						{Path: tfjsonpath.New("is_approved"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("approval_datetime"), KnownValue: knownvalue.NotNull()},
					}),
			},
		}},
	})
}
