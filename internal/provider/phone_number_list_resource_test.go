package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

func TestAccQuery_phoneNumbers(t *testing.T) {
	useQueryCLI(t)
	env := newTestEnv(t, simulator.Options{})
	owned := ownAll(t, env, 12)
	setAlias(t, env, owned[3].Number, "front desk")
	setAlias(t, env, owned[7].Number, "sales")
	last4 := owned[5].Number[len(owned[5].Number)-4:]
	count := func(keep func(string) bool) int {
		n := 0
		for _, o := range owned {
			if keep(o.Number) {
				n++
			}
		}
		return n
	}
	byNumber := func(number string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"number": knownvalue.StringExact(number)})
	}
	startsWith := owned[0].Number[:5]

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// Identities and display names only: one listing, nothing
				// asked of each number.
				PreConfig: env.sim.ResetRequests,
				Query:     true,
				Config: env.queryConfig("flowroute_phone_number", map[string]string{
					"all":     "",
					"limited": "limit = 5",
				}),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("flowroute_phone_number.all", 12),
					querycheck.ExpectLength("flowroute_phone_number.limited", 5),
					querycheck.ExpectIdentity("flowroute_phone_number.limited",
						map[string]knownvalue.Check{"number": knownvalue.StringExact(owned[4].Number)}),
					expectDisplayName("flowroute_phone_number.all", "number", owned[3].Number, owned[3].Number+" (front desk)"),
					expectDisplayName("flowroute_phone_number.all", "number", owned[4].Number, owned[4].Number),
					queryFunc(func() error {
						lists := requestsTo(env, simulator.PathOwnedNumbers)
						if len(env.sim.Requests()) != len(lists) {
							return fmt.Errorf("%d requests, %d of them listings: want listings only", len(env.sim.Requests()), len(lists))
						}
						// Terraform's default limit (100), then the block's: one page each.
						limits := map[string]bool{}
						for _, r := range lists {
							limits[r.Query.Get("limit")] = true
						}
						if len(lists) != 2 || !limits["100"] || !limits["5"] {
							return fmt.Errorf("listings %v, want one of limit 100 and one of limit 5", lists)
						}
						return nil
					}),
				},
			},
			{
				Query: true,
				Config: env.queryConfig("flowroute_phone_number", map[string]string{
					"alias":       `config { alias = "sales" }`,
					"ends_with":   fmt.Sprintf("config { ends_with = %q }", last4),
					"starts_with": fmt.Sprintf("config { starts_with = %q }", startsWith),
					"contains":    fmt.Sprintf("config { contains = %q }", owned[9].Number[3:9]),
				}),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("flowroute_phone_number.alias", 1),
					expectDisplayName("flowroute_phone_number.alias", "number", owned[7].Number, owned[7].Number+" (sales)"),
					querycheck.ExpectLength("flowroute_phone_number.ends_with",
						count(func(n string) bool { return strings.HasSuffix(n, last4) })),
					querycheck.ExpectLength("flowroute_phone_number.starts_with",
						count(func(n string) bool { return strings.HasPrefix(n, startsWith) })),
					querycheck.ExpectLength("flowroute_phone_number.contains",
						count(func(n string) bool { return strings.Contains(n, owned[9].Number[3:9]) })),
				},
			},
			{
				// The resources, as an import would store them: each number
				// read on its own for what it is attached to.
				PreConfig: env.sim.ResetRequests,
				Query:     true,
				Config: env.queryConfig("flowroute_phone_number", map[string]string{
					"full": "limit = 4\n  include_resource = true",
				}),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("flowroute_phone_number.full", 4),
					querycheck.ExpectResourceKnownValues("flowroute_phone_number.full", byNumber(owned[3].Number),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(owned[3].Number)},
							{Path: tfjsonpath.New("alias"), KnownValue: knownvalue.StringExact("front desk")},
							{Path: tfjsonpath.New("deletion_protection"), KnownValue: knownvalue.Bool(true)},
							{Path: tfjsonpath.New("primary_route_id"), KnownValue: knownvalue.StringExact("0")},
							{Path: tfjsonpath.New("failover_route_id"), KnownValue: knownvalue.Null()},
							{Path: tfjsonpath.New("search"), KnownValue: knownvalue.Null()},
						}),
					queryFunc(func() error {
						var reads []string
						for _, r := range env.sim.Requests() {
							if r.Method != http.MethodGet {
								return fmt.Errorf("a %s %s was sent", r.Method, r.Path)
							}
							if r.Path != simulator.PathOwnedNumbers {
								reads = append(reads, strings.TrimPrefix(r.Path, simulator.PathOwnedNumbers+"/"))
							}
						}
						if len(reads) != 4 {
							return fmt.Errorf("numbers read %v, want the 4 listed", reads)
						}
						return nil
					}),
				},
			},
			{
				Query:       true,
				Config:      env.queryConfig("flowroute_phone_number", map[string]string{"bad": `config { ends_with = "12a" }`}),
				ExpectError: errorPattern("ends_with", `must be digits, such as "0000"`),
			},
		},
	})
}
