package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

var numbersTest = listTest{
	typeName: "flowroute_available_numbers",
	listAttr: "numbers",
	path:     simulator.PathNumbers,
	pageSize: 200,
	required: "limit = 5",
}

// expectNumbers checks the whole list, element for element.
func expectNumbers(env *testEnv, numbers []simulator.Number) statecheck.StateCheck {
	return numbersTest.expectList(numberChecks(env, numbers))
}

// numberChecks are the list's elements. The simulator sends every attribute;
// toll-free numbers have an empty state and rate center, which the data
// source stores as null.
func numberChecks(env *testEnv, numbers []simulator.Number) []knownvalue.Check {
	text := func(s string) knownvalue.Check {
		if s == "" {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(s)
	}
	elements := make([]knownvalue.Check, len(numbers))
	for i, n := range numbers {
		elements[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"number":       knownvalue.StringExact(n.Number),
			"state":        text(n.State),
			"rate_center":  text(n.RateCenter),
			"number_type":  knownvalue.StringExact(n.NumberType),
			"setup_cost":   knownvalue.Float64Exact(n.SetupCost),
			"monthly_cost": knownvalue.Float64Exact(n.MonthlyCost),
			"details_url":  knownvalue.StringExact(env.baseURL + "/numbers/" + n.Number),
		})
	}
	return elements
}

// firstNumbers is the first n of a search, as a limit cuts it.
func firstNumbers(inventory *simulator.Inventory, f simulator.NumberFilter, n int) []simulator.Number {
	found := inventory.SearchNumbers(f)
	return found[:min(n, len(found))]
}

func TestAccAvailableNumbers_search(t *testing.T) {
	// The default inventory: 6,000 numbers, 140 of them toll-free.
	inventory := simulator.Generate(simulator.DefaultSeed, simulator.DefaultSize)
	all := inventory.SearchNumbers(simulator.NumberFilter{})
	exchange := inventory.Exchanges("", nil)[10]
	// A number of the state with the most numbers, so that its list spans pages.
	perState := map[string]int{}
	var local simulator.Number
	for _, n := range all {
		if perState[n.State]++; n.State != "" && perState[n.State] > perState[local.State] {
			local = n
		}
	}
	contains, endsWith := all[123].Number[5:9], all[42].Number[8:]
	state, rateCenter := strings.ToUpper(local.State), strings.ToUpper(local.RateCenter)
	search := func(f simulator.NumberFilter) []simulator.Number { return firstNumbers(inventory, f, 1000) }
	tollFree := search(simulator.NumberFilter{NumberType: simulator.NumberTypeTollFree})
	inState := search(simulator.NumberFilter{State: state})
	for name, found := range map[string][]simulator.Number{
		"starts_with": search(simulator.NumberFilter{StartsWith: exchange}),
		"contains":    search(simulator.NumberFilter{Contains: contains}),
		"ends_with":   search(simulator.NumberFilter{EndsWith: endsWith}),
		"state":       inState,
		"rate_center": search(simulator.NumberFilter{RateCenter: rateCenter}),
		"toll-free":   tollFree,
	} {
		if len(found) < 2 || len(found) == len(all) {
			t.Fatalf("the inventory does not exercise %s: %d of %d numbers match", name, len(found), len(all))
		}
	}
	if len(inState) <= numbersTest.pageSize || tollFree[0].State != "" {
		t.Fatalf("want a state spanning pages and toll-free numbers without a state: %d numbers in %s, toll-free state %q",
			len(inState), state, tollFree[0].State)
	}

	runListCases(t, numbersTest, simulator.Options{Inventory: inventory}, expectNumbers, []listCase[simulator.Number]{
		{name: "starts_with_exchange", arguments: fmt.Sprintf("starts_with = %q\n  limit = 1000", exchange),
			want: search(simulator.NumberFilter{StartsWith: exchange}), query: "limit=200&starts_with=" + exchange},
		{name: "starts_with_country_code", arguments: fmt.Sprintf("starts_with = \"+1%s\"\n  limit = 1000", exchange),
			want: search(simulator.NumberFilter{StartsWith: exchange}), query: "limit=200&starts_with=%2B1" + exchange},
		{name: "contains", arguments: fmt.Sprintf("contains = %q\n  limit = 1000", contains),
			want: search(simulator.NumberFilter{Contains: contains}), query: "contains=" + contains + "&limit=200"},
		{name: "ends_with", arguments: fmt.Sprintf("ends_with = %q\n  limit = 1000", endsWith),
			want: search(simulator.NumberFilter{EndsWith: endsWith}), query: "ends_with=" + endsWith + "&limit=200"},
		{name: "state_over_pages", arguments: fmt.Sprintf("state = %q\n  limit = 1000", state),
			want: inState, query: "limit=200&state=" + state},
		{name: "rate_center", arguments: fmt.Sprintf("rate_center = %q\n  limit = 1000", rateCenter),
			want: search(simulator.NumberFilter{RateCenter: rateCenter}), query: "limit=200&rate_center=" + rateCenter},
		{name: "number_type_toll_free", arguments: "number_type = \"toll-free\"\n  limit = 1000",
			want: tollFree, query: "limit=200&number_type=toll-free"},
		{name: "number_type_any_case", arguments: "number_type = \"Toll-Free\"\n  limit = 1000",
			want: tollFree, query: "limit=200&number_type=toll-free"},
		{name: "number_type_longcode_capped", arguments: "number_type = \"LONGCODE\"\n  limit = 600",
			want:  firstNumbers(inventory, simulator.NumberFilter{NumberType: simulator.NumberTypeLongcode}, 600),
			query: "limit=200&number_type=longcode", maxPerRead: 3},
		{name: "filters_combined", arguments: fmt.Sprintf("state = %q\n  ends_with = \"5\"\n  number_type = \"longcode\"\n  limit = 1000", state),
			want:  search(simulator.NumberFilter{State: state, EndsWith: "5", NumberType: simulator.NumberTypeLongcode}),
			query: "ends_with=5&limit=200&number_type=longcode&state=" + state},
		{name: "limit_is_one_request", arguments: "limit = 2", want: all[:2], query: "limit=2", maxPerRead: 1},
		{name: "limit_and_offset", arguments: "limit = 3\n  offset = 5", want: all[5:8], query: "limit=3", offset: 5, maxPerRead: 1},
		{name: "no_match", arguments: "starts_with = \"+44\"\n  limit = 10", want: []simulator.Number{},
			query: "limit=10&starts_with=%2B44", maxPerRead: 1},
		{name: "offset_past_the_end", arguments: fmt.Sprintf("limit = 10\n  offset = %d", len(all)), want: []simulator.Number{},
			query: "limit=10", offset: len(all), maxPerRead: 1},
	})
}

// Ten thousand numbers are fifty pages of 200, and not one request more.
func TestAccAvailableNumbers_tenThousand(t *testing.T) {
	inventory := simulator.Generate(simulator.DefaultSeed, simulator.Size{AreaCodes: 2, ExchangesPerAreaCode: 3, NumbersPerExchange: 2000})
	all := inventory.SearchNumbers(simulator.NumberFilter{})
	if len(all) < 10000 {
		t.Fatalf("the inventory has %d numbers, want at least 10,000", len(all))
	}
	runListCases(t, numbersTest, simulator.Options{Inventory: inventory}, expectNumbers, []listCase[simulator.Number]{
		{name: "limit_10000", arguments: "limit = 10000", want: all[:10000], query: "limit=200", maxPerRead: 10000 / 200},
	})
}

func TestAccAvailableNumbers_emptyInventory(t *testing.T) {
	runListCases(t, numbersTest, simulator.Options{Inventory: &simulator.Inventory{}}, expectNumbers, []listCase[simulator.Number]{
		{name: "search", arguments: "limit = 1000", want: []simulator.Number{}, query: "limit=200"},
	})
}

func TestAccAvailableNumbers_validation(t *testing.T) {
	const (
		notPrefix = `must be digits, optionally after a "+" and a country code, such as "646" or "+1646", got: `
		notState  = `must be a two-letter state code, such as "ny", got: `
	)
	runValidationCases(t, numbersTest, []validationCase{
		{"limit_missing", "", `The argument "limit" is required`},
		{"limit_zero", "limit = 0", "Attribute limit value must be at least 1, got: 0"},
		{"offset_negative", "limit = 5\n  offset = -1", "Attribute offset value must be at least 0, got: -1"},
		{"starts_with_letters", "limit = 5\n  starts_with = \"64a\"", "Attribute starts_with " + notPrefix + "64a"},
		{"starts_with_plus_only", "limit = 5\n  starts_with = \"+\"", "Attribute starts_with " + notPrefix + "+"},
		{"starts_with_dash", "limit = 5\n  starts_with = \"1-646\"", "Attribute starts_with " + notPrefix + "1-646"},
		{"starts_with_empty", "limit = 5\n  starts_with = \"\"", "Attribute starts_with " + notPrefix},
		{"contains_plus", "limit = 5\n  contains = \"+1\"", `Attribute contains must be digits, such as "555", got: +1`},
		{"ends_with_space", "limit = 5\n  ends_with = \"00 \"", `Attribute ends_with must be digits, such as "0000", got: 00`},
		{"state_three_letters", "limit = 5\n  state = \"nyc\"", "Attribute state " + notState + "nyc"},
		{"state_digit", "limit = 5\n  state = \"n1\"", "Attribute state " + notState + "n1"},
		{"rate_center_empty", "limit = 5\n  rate_center = \"\"", "Attribute rate_center string length must be at least 1, got: 0"},
		{"number_type_unknown", "limit = 5\n  number_type = \"standard\"",
			`Attribute number_type value must be one of: ["longcode" "toll-free"], got: "standard"`},
		{"number_type_empty", "limit = 5\n  number_type = \"\"",
			`Attribute number_type value must be one of: ["longcode" "toll-free"], got: ""`},
		{"timeouts_read_malformed", "limit = 5\n  timeouts = { read = \"soon\" }", `"soon" must be a string containing a sequence of decimal numbers`},
	})
}

func TestAccAvailableNumbers_apiErrors(t *testing.T) {
	runAPIErrorCases(t, numbersTest, "Unable to list available numbers",
		"starts_with, contains, ends_with, state, rate_center, number_type, limit and offset")
}
