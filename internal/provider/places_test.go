package provider

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// placesInventory has area codes of several states and both countries,
// and a toll-free one, an exchange each plus one more in 201.
func placesInventory() *simulator.Inventory {
	inv := &simulator.Inventory{}
	for _, exchange := range []string{
		"201200", // Jersey City, NJ
		"201333", // Jersey City, NJ
		"204200", // Manitoba
		"212200", // New York, NY
		"416200", // Ontario
		"514555", // Quebec: the data has no town for this exchange
		"646343", // New York
		"800555", // toll-free
		"973200", // New Jersey
	} {
		inv.Numbers = append(inv.Numbers, simulator.Number{
			Number: "1" + exchange + "0100", AreaCode: exchange[:3], Exchange: exchange,
			NumberType: simulator.NumberTypeLongcode, SetupCost: 1, MonthlyCost: 1.25,
		})
	}
	return inv
}

// placed is an area code or exchange as the data sources list it.
func placedItem(idAttr, id, region, location string) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		idAttr:     knownvalue.StringExact(id),
		"region":   stringOrNullCheck(region),
		"location": stringOrNullCheck(location),
	})
}

func TestAccAvailableAreaCodes_state(t *testing.T) {
	env := newTestEnv(t, simulator.Options{Inventory: placesInventory()})
	config := func(arguments string) string {
		return env.providerConfig() + fmt.Sprintf(`
data "flowroute_available_areacodes" "test" {
  %s
}
`, arguments)
	}
	areaCodes := func(items ...knownvalue.Check) []statecheck.StateCheck {
		return []statecheck.StateCheck{statecheck.ExpectKnownValue(areaCodesAddress, tfjsonpath.New("area_codes"),
			knownvalue.ListExact(items))}
	}
	// The first page of 400 holds the whole inventory, whatever the filter
	// (the client asks for the next one at the same time).
	onePage := env.expectRequests(func(requests []simulator.Request) error {
		for _, r := range requests {
			if q := r.Query.Encode(); q != "limit=400&offset=0" && q != "limit=400&offset=400" {
				return fmt.Errorf("request %s?%s, want the pages of 400 from 0, without state", r.Path, q)
			}
		}
		return nil
	})
	jersey := placedItem("area_code", "201", "US", "New Jersey")
	newark := placedItem("area_code", "973", "US", "New Jersey")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				// Without a filter every item is placed; the toll-free one by its country only.
				Config: config(""),
				ConfigStateChecks: areaCodes(jersey, placedItem("area_code", "204", "CA", "Manitoba"),
					placedItem("area_code", "212", "US", "New York, NY"), placedItem("area_code", "416", "CA", "Ontario"),
					placedItem("area_code", "514", "CA", "Quebec"), placedItem("area_code", "646", "US", "New York"),
					placedItem("area_code", "800", "US", ""), newark),
			},
			{PreConfig: env.sim.ResetRequests, Config: config(`state = "nj"`), ConfigStateChecks: areaCodes(jersey, newark), Check: onePage},
			{PreConfig: env.sim.ResetRequests, Config: config(`state = "MB"`), ConfigStateChecks: areaCodes(placedItem("area_code", "204", "CA", "Manitoba")), Check: onePage},
			{
				// limit and offset count the matches.
				PreConfig:         env.sim.ResetRequests,
				Config:            config("state  = \"NY\"\n  offset = 1\n  limit  = 1"),
				ConfigStateChecks: areaCodes(placedItem("area_code", "646", "US", "New York")),
				Check:             onePage,
			},
			{Config: config(`state = "AK"`), ConfigStateChecks: areaCodes()},
		},
	})
}

func TestAccAvailableExchanges_state(t *testing.T) {
	env := newTestEnv(t, simulator.Options{Inventory: placesInventory()})
	config := func(arguments string) string {
		return env.providerConfig() + fmt.Sprintf(`
data "flowroute_available_exchanges" "test" {
  %s
}
`, arguments)
	}
	const address = "data.flowroute_available_exchanges.test"
	exchanges := func(items ...knownvalue.Check) []statecheck.StateCheck {
		return []statecheck.StateCheck{statecheck.ExpectKnownValue(address, tfjsonpath.New("exchanges"), knownvalue.ListExact(items))}
	}
	// firstPageOnly checks that every read asked for the first page, query,
	// and nothing past the speculative second page that the client may ask
	// for at the same time: the whole listing is one page.
	firstPageOnly := func(query, speculative string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			got := env.sim.Requests()
			first := slices.ContainsFunc(got, func(r simulator.Request) bool { return r.Query.Encode() == query })
			other := slices.ContainsFunc(got, func(r simulator.Request) bool {
				return r.Query.Encode() != query && r.Query.Encode() != speculative
			})
			if !first || other {
				return fmt.Errorf("requests %v, want %s, and at most %s besides", got, query, speculative)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: env.sim.ResetRequests,
				Config:    config(`state = "Nj"`),
				ConfigStateChecks: exchanges(placedItem("exchange", "201200", "US", "Jersey City, NJ"),
					placedItem("exchange", "201333", "US", "Jersey City, NJ"), placedItem("exchange", "973200", "US", "New Jersey")),
				Check: firstPageOnly("limit=200&offset=0", "limit=200&offset=200"),
			},
			{
				PreConfig:         env.sim.ResetRequests,
				Config:            config("state    = \"nj\"\n  areacode = \"201\"\n  limit    = 1\n  offset   = 1"),
				ConfigStateChecks: exchanges(placedItem("exchange", "201333", "US", "Jersey City, NJ")),
				Check:             firstPageOnly("areacode=201&limit=200&offset=0", "areacode=201&limit=200&offset=200"),
			},
			{
				Config:            config(`state = "qc"`),
				ConfigStateChecks: exchanges(placedItem("exchange", "514555", "CA", "Quebec")),
			},
		},
	})
}

func TestAccAvailableAreaCodes_invalidState(t *testing.T) {
	env := newTestEnv(t, simulator.Options{Inventory: placesInventory()})
	var steps []resource.TestStep
	for _, typeName := range []string{"flowroute_available_areacodes", "flowroute_available_exchanges"} {
		steps = append(steps, resource.TestStep{
			Config: env.providerConfig() + fmt.Sprintf(`
data %q "test" {
  state = "XX"
}
`, typeName),
			ExpectError: errorPattern(`Attribute state value must be one of`, `"AB"`, `"YT"`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: factories(), Steps: steps})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("%d requests for an invalid state", n)
	}
}

func TestStatesOf(t *testing.T) {
	for location, want := range map[string][]string{
		"New Jersey":                          {"NJ"},
		"Jersey City, NJ":                     {"NJ"},
		"Montreal, QC":                        {"QC"},
		"Washington State":                    {"WA"},
		"Washington D.C.":                     {"DC"},
		"Nova Scotia/Prince Edward Island":    {"NS", "PE"},
		"Northwest Territories/Nunavut/Yukon": {"NT", "NU", "YT"},
		"United States":                       nil,
		"Puerto Rico":                         nil,
		"":                                    nil,
	} {
		if got := statesOf(location); !slices.Equal(got, want) {
			t.Errorf("statesOf(%q) = %v, want %v", location, got, want)
		}
	}
}

// The documentation names the version of the numbering plan data that
// go.mod requires.
func TestPhoneNumbersVersion(t *testing.T) {
	goMod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(goMod), "github.com/nyaruka/phonenumbers "+phoneNumbersVersion+"\n") {
		t.Errorf("go.mod does not require github.com/nyaruka/phonenumbers %s", phoneNumbersVersion)
	}
}
