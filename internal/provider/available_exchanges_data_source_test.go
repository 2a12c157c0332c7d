package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

var exchangesTest = listTest{
	typeName: "flowroute_available_exchanges",
	listAttr: "exchanges",
	path:     simulator.PathExchanges,
	pageSize: 200,
}

// expectExchanges checks the whole list, element for element.
func expectExchanges(env *testEnv, ids []string) statecheck.StateCheck {
	elements := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		elements[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"exchange":    knownvalue.StringExact(id),
			"area_code":   knownvalue.StringExact(id[:3]),
			"numbers_url": knownvalue.StringExact(env.baseURL + "/numbers/available?starts_with=1" + id),
			"region":      stringOrNullCheck(flowroute.PlaceOfPrefix("1" + id[:3]).Region),
			"location":    stringOrNullCheck(flowroute.PlaceOfPrefix("1" + id).Location),
		})
	}
	return exchangesTest.expectList(elements)
}

func TestAccAvailableExchanges_lists(t *testing.T) {
	// The default inventory: 1,200 exchanges, so the full list is six pages.
	inventory := simulator.Generate(simulator.DefaultSeed, simulator.DefaultSize)
	all := inventory.Exchanges("", nil)
	areaCodes := inventory.AreaCodes(nil)
	areaCode := areaCodes[len(areaCodes)/2]
	inAreaCode := inventory.Exchanges(areaCode, nil)
	cheap := inventory.Exchanges("", ptr(1.5))
	cheapAreaCode := ""
	for _, a := range areaCodes {
		if n := len(inventory.Exchanges(a, ptr(1.5))); n > 0 && n < len(inventory.Exchanges(a, nil)) {
			cheapAreaCode = a
			break
		}
	}
	if len(all) <= 2*exchangesTest.pageSize || len(cheap) <= exchangesTest.pageSize || len(cheap) == len(all) ||
		len(inAreaCode) < 2 || cheapAreaCode == "" || len(inventory.Exchanges("999", nil)) != 0 {
		t.Fatalf("the inventory does not exercise the filters: %d exchanges, %d cheap, %d in %s, cheap area code %q",
			len(all), len(cheap), len(inAreaCode), areaCode, cheapAreaCode)
	}

	runListCases(t, exchangesTest, simulator.Options{Inventory: inventory}, expectExchanges, []listCase[string]{
		{name: "all", want: all, query: "limit=200"},
		{name: "areacode", arguments: fmt.Sprintf("areacode = %q", areaCode), want: inAreaCode,
			query: "areacode=" + areaCode + "&limit=200"},
		{name: "max_setup_cost", arguments: "max_setup_cost = 1.5", want: cheap, query: "limit=200&max_setup_cost=1.5"},
		{name: "areacode_and_max_setup_cost", arguments: fmt.Sprintf("areacode = %q\n  max_setup_cost = 1.5", cheapAreaCode),
			want: inventory.Exchanges(cheapAreaCode, ptr(1.5)), query: "areacode=" + cheapAreaCode + "&limit=200&max_setup_cost=1.5"},
		{name: "limit_is_one_request", arguments: "limit = 2", want: all[:2], query: "limit=2", maxPerRead: 1},
		{name: "limit_and_offset", arguments: "limit = 3\n  offset = 5", want: all[5:8], query: "limit=3", offset: 5, maxPerRead: 1},
		// Pages of 200 from offset 1,000: 200 items, then the rest.
		{name: "offset_and_paging", arguments: "offset = 1000", want: all[1000:], query: "limit=200", offset: 1000},
		{name: "unknown_areacode_is_empty", arguments: `areacode = "999"`, want: []string{}, query: "areacode=999&limit=200"},
		{name: "offset_past_the_end", arguments: fmt.Sprintf("offset = %d", len(all)+10), want: []string{},
			query: "limit=200", offset: len(all) + 10},
	})
}

func TestAccAvailableExchanges_emptyInventory(t *testing.T) {
	runListCases(t, exchangesTest, simulator.Options{Inventory: &simulator.Inventory{}}, expectExchanges, []listCase[string]{
		{name: "all", want: []string{}, query: "limit=200"},
	})
}

func TestAccAvailableExchanges_validation(t *testing.T) {
	const notNANP = `must be a three-digit NANP area code (the first digit from 2 to 9), such as "347", got: `
	runValidationCases(t, exchangesTest, append([]validationCase{
		{"areacode_starts_with_1", `areacode = "147"`, "Attribute areacode " + notNANP + "147"},
		{"areacode_starts_with_0", `areacode = "047"`, "Attribute areacode " + notNANP + "047"},
		{"areacode_too_long", `areacode = "3471"`, "Attribute areacode " + notNANP + "3471"},
		{"areacode_not_digits", `areacode = "34a"`, "Attribute areacode " + notNANP + "34a"},
		{"areacode_empty", `areacode = ""`, "Attribute areacode " + notNANP},
	}, inventoryValidationCases...))
}

func TestAccAvailableExchanges_apiErrors(t *testing.T) {
	runAPIErrorCases(t, exchangesTest, "Unable to list available exchanges", "areacode, limit, offset, max_setup_cost and state")
}

// A link the API leaves out is null in the state, not "".
func TestMissingLinksStoredAsNull(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/exchanges") {
			fmt.Fprint(w, `{"data":[{"id":"201555","type":"exchange"}],"links":{}}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"id":"201","type":"areacode"}],"links":{}}`)
	}))
	t.Cleanup(srv.Close)
	client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	var areaCodes availableAreaCodesModel
	if _, err := areaCodes.list(t.Context(), client); err != nil {
		t.Fatal(err)
	}
	if len(areaCodes.AreaCodes) != 1 || !areaCodes.AreaCodes[0].ExchangesURL.IsNull() {
		t.Errorf("area codes %+v, want one with a null exchanges_url", areaCodes.AreaCodes)
	}
	var exchanges availableExchangesModel
	if _, err := exchanges.list(t.Context(), client); err != nil {
		t.Fatal(err)
	}
	if len(exchanges.Exchanges) != 1 || !exchanges.Exchanges[0].NumbersURL.IsNull() {
		t.Errorf("exchanges %+v, want one with a null numbers_url", exchanges.Exchanges)
	}
}
