package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const areaCodesPath = simulator.PathAreaCodes

var areaCodesTest = listTest{
	typeName: "flowroute_available_areacodes",
	listAttr: "area_codes",
	path:     areaCodesPath,
	pageSize: 400,
}

// expectAreaCodes checks the whole list, element for element.
func (e *testEnv) expectAreaCodes(ids []string) statecheck.StateCheck {
	elements := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		place := flowroute.PlaceOfPrefix("1" + id)
		elements[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"area_code":     knownvalue.StringExact(id),
			"exchanges_url": knownvalue.StringExact(e.baseURL + "/numbers/available/exchanges?areacode=" + id),
			"region":        stringOrNullCheck(place.Region),
			"location":      stringOrNullCheck(place.Location),
		})
	}
	return areaCodesTest.expectList(elements)
}

func TestAccAvailableAreaCodes_lists(t *testing.T) {
	// More area codes than one page of 400, so the paging is exercised.
	inventory := simulator.Generate(simulator.DefaultSeed, simulator.Size{AreaCodes: 700, ExchangesPerAreaCode: 2, NumbersPerExchange: 3})
	all := inventory.AreaCodes(nil)
	cheap := inventory.AreaCodes(ptr(1.5))
	if len(all) <= areaCodesTest.pageSize || len(cheap) < 5 || len(cheap) == len(all) {
		t.Fatalf("the inventory does not exercise paging and max_setup_cost: %d area codes, %d cheap", len(all), len(cheap))
	}

	runListCases(t, areaCodesTest, simulator.Options{Inventory: inventory},
		func(env *testEnv, want []string) statecheck.StateCheck { return env.expectAreaCodes(want) },
		[]listCase[string]{
			{name: "all", want: all, query: "limit=400"},
			{name: "limit_is_one_request", arguments: "limit = 2", want: all[:2], query: "limit=2", maxPerRead: 1},
			{name: "limit_and_offset", arguments: "limit = 3\n  offset = 5", want: all[5:8], query: "limit=3", offset: 5, maxPerRead: 1},
			{name: "max_setup_cost", arguments: "limit = 4\n  max_setup_cost = 1.5", want: cheap[:4],
				query: "limit=4&max_setup_cost=1.5", maxPerRead: 1},
			{name: "max_setup_cost_small_decimal", arguments: "max_setup_cost = 0.05", want: inventory.AreaCodes(ptr(0.05)),
				query: "limit=400&max_setup_cost=0.05"},
			{name: "offset_past_the_end", arguments: fmt.Sprintf("offset = %d", len(all)+10), want: []string{},
				query: "limit=400", offset: len(all) + 10},
		})
}

func TestAccAvailableAreaCodes_emptyInventory(t *testing.T) {
	runListCases(t, areaCodesTest, simulator.Options{Inventory: &simulator.Inventory{}},
		func(env *testEnv, want []string) statecheck.StateCheck { return env.expectAreaCodes(want) },
		[]listCase[string]{{name: "all", want: []string{}, query: "limit=400"}})
}

func TestAccAvailableAreaCodes_validation(t *testing.T) {
	runValidationCases(t, areaCodesTest, inventoryValidationCases)
}

// Every other fault is a row of TestAccFaultMatrix.
func TestAccAvailableAreaCodes_apiErrors(t *testing.T) {
	runAPIErrorCases(t, areaCodesTest, "Unable to list available area codes", "limit, offset, max_setup_cost and state")
}

// stringOrNullCheck expects s, or null for "".
func stringOrNullCheck(s string) knownvalue.Check {
	if s == "" {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(s)
}
