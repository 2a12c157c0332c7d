package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// testClient is a client of the simulator, to set up the account as the
// portal would.
func (e *testEnv) testClient(t *testing.T) *flowroute.Client {
	t.Helper()
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(e.baseURL))
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func TestAccQuery_e911Addresses(t *testing.T) {
	useQueryCLI(t)
	env := newTestEnv(t, simulator.Options{})
	client := env.testClient(t)
	for _, a := range []flowroute.E911Address{
		{Label: "HQ", StreetNumber: "1218", StreetName: "3rd Ave", City: "Seattle", State: "WA", AddressType: "Suite", AddressTypeNumber: "300"},
		{Label: "Depot", StreetNumber: "400", StreetName: "Pine St", City: "Seattle", State: "WA"},
		{Label: "Branch", StreetNumber: "1", StreetName: "Main St", City: "Portland", State: "OR"},
	} {
		a.FirstName, a.LastName, a.Country, a.Zip = "Chris", "Smith", "US", "98101"
		if _, err := client.CreateE911(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
	env.sim.ResetRequests()
	hq := map[string]knownvalue.Check{"id": knownvalue.StringExact("21301")}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Query: true,
			Config: env.queryConfig("flowroute_e911_address", map[string]string{
				"all":     "",
				"limited": "limit = 1",
				"seattle": `config {
    city  = "Seattle"
    state = "WA"
  }`,
				"street": `config { street_name = "Main St" }`,
				"label":  `config { label = "Depot" }`,
				"full":   "include_resource = true",
			}),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("flowroute_e911_address.all", 3),
				querycheck.ExpectLength("flowroute_e911_address.limited", 1),
				querycheck.ExpectIdentity("flowroute_e911_address.limited", hq),
				querycheck.ExpectLength("flowroute_e911_address.seattle", 2),
				querycheck.ExpectLength("flowroute_e911_address.street", 1),
				querycheck.ExpectLength("flowroute_e911_address.label", 1),
				expectDisplayName("flowroute_e911_address.all", "id", "21301", "HQ (1218 3rd Ave, Seattle WA)"),
				expectDisplayName("flowroute_e911_address.label", "id", "21302", "Depot (400 Pine St, Seattle WA)"),
				querycheck.ExpectResourceKnownValues("flowroute_e911_address.full", queryfilter.ByResourceIdentity(hq),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("label"), KnownValue: knownvalue.StringExact("HQ")},
						{Path: tfjsonpath.New("zip"), KnownValue: knownvalue.StringExact("98101")},
						{Path: tfjsonpath.New("address_type"), KnownValue: knownvalue.StringExact("Suite")},
						{Path: tfjsonpath.New("address_type_number"), KnownValue: knownvalue.StringExact("300")},
						{Path: tfjsonpath.New("timeouts"), KnownValue: knownvalue.Null()},
					}),
				queryFunc(func() error {
					lists := requestsTo(env, simulator.PathE911s)
					if n := len(env.sim.Requests()); n != 6 || len(lists) != 6 {
						return fmt.Errorf("%d requests, %d of them listings: want the 6 listings only", n, len(lists))
					}
					for _, r := range lists {
						if r.Query.Get("limit") != "100" && r.Query.Get("limit") != "1" {
							return fmt.Errorf("listing %s?%s, want Terraform's default limit or the block's", r.Path, r.Query.Encode())
						}
					}
					return nil
				}),
			},
		}},
	})
}
