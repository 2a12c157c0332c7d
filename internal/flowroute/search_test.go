package flowroute

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func TestListAvailableExchanges(t *testing.T) {
	const total = 450
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		offset, limit := queryInt(t, q, "offset"), queryInt(t, q, "limit")
		var items []string
		for i := offset; i < min(offset+limit, total); i++ {
			id := fmt.Sprintf("347%03d", i)
			items = append(items, `{"type":"exchange","id":"`+id+`","links":{"related":"https://api.flowroute.com/v2/numbers/available?starts_with=1`+id+`"}}`)
		}
		next := ""
		if offset+len(items) < total {
			next = `,"next":"https://elsewhere.example/next"`
		}
		fmt.Fprintf(w, `{"data":[%s],"links":{"self":"x"%s}}`, strings.Join(items, ","), next)
	})
	got, err := newTestClient(t, srv.URL+"/v2/").ListAvailableExchanges(t.Context(), ExchangesQuery{
		AreaCode: "347", MaxSetupCost: floatPtr(0.5), Window: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != total {
		t.Fatalf("%d exchanges, want %d", len(got), total)
	}
	want := Exchange{Exchange: "347449", AreaCode: "347", NumbersURL: "https://api.flowroute.com/v2/numbers/available?starts_with=1347449"}
	if got[total-1] != want {
		t.Errorf("last exchange %+v, want %+v", got[total-1], want)
	}
	wantQueries := []string{
		"areacode=347&limit=200&max_setup_cost=0.5&offset=0",
		"areacode=347&limit=200&max_setup_cost=0.5&offset=200",
		"areacode=347&limit=200&max_setup_cost=0.5&offset=400",
	}
	if q := rec.queries(); !sameElements(q, wantQueries) {
		t.Errorf("queries %v", q)
	}
	for _, req := range rec.all() {
		if req.URL.Path != "/v2/numbers/available/exchanges" {
			t.Errorf("request to %s", req.URL.Path)
		}
	}
}

func TestExchangesBadInput(t *testing.T) {
	srv, rec := serve(t, func(http.ResponseWriter, *http.Request) {})
	c := newTestClient(t, srv.URL)
	for name, q := range map[string]ExchangesQuery{
		"short area code":   {AreaCode: "34"},
		"letters":           {AreaCode: "3a7"},
		"page size too big": {PageSize: MaxExchangesPageSize + 1},
		"zero limit":        {Limit: intPtr(0)},
		"negative cost":     {MaxSetupCost: floatPtr(-1)},
	} {
		if _, err := c.ListAvailableExchanges(t.Context(), q); err == nil || !strings.HasPrefix(err.Error(), "invalid exchanges query: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d requests", rec.count())
	}
}

func TestExchangeIDMustBeSixDigits(t *testing.T) {
	for _, id := range []string{"34721", "1347215", "34721x"} {
		_, _, err := decodeExchangesPage([]byte(`{"data":[{"id":"` + id + `"}]}`))
		if err == nil {
			t.Errorf("exchange id %q accepted", id)
		}
	}
}

func TestSearchAvailableNumbers(t *testing.T) {
	const body = `{"data": [
		{"type": "number", "id": "16463439507",
		 "attributes": {"value": "16463439507", "rate_center": "nwyrcyzn01", "state": "ny", "number_type": "standard",
		                "setup_cost": 1, "monthly_cost": 1.25},
		 "links": {"related": "https://api.flowroute.com/v2/numbers/16463439507"}},
		{"type": "number", "id": "18004567890",
		 "attributes": {"value": "18004567890", "rate_center": null, "state": null, "number_type": "toll-free",
		                "setup_cost": "3.99", "inbound_rate": 0.01, "rate_type": "local", "tier": "Standard", "iso_country": "US"}},
		{"type": "number", "id": "12125550100"}],
		"links": {"self": "x"}}`
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
	got, err := newTestClient(t, srv.URL+"/v2").SearchAvailableNumbers(t.Context(), NumbersQuery{
		StartsWith: "+1646", Contains: "343", EndsWith: "07", State: "NY", RateCenter: "nwyrcyzn01", NumberType: "longcode",
		Limit: intPtr(3),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Number{
		{Number: "16463439507", State: "ny", RateCenter: "nwyrcyzn01", NumberType: "standard",
			SetupCost: floatPtr(1), MonthlyCost: floatPtr(1.25), DetailsURL: "https://api.flowroute.com/v2/numbers/16463439507"},
		{Number: "18004567890", NumberType: "toll-free", SetupCost: floatPtr(3.99)},
		{Number: "12125550100"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	req := rec.all()[0]
	if req.URL.Path != "/v2/numbers/available" {
		t.Errorf("path %s", req.URL.Path)
	}
	const wantQuery = "contains=343&ends_with=07&limit=3&number_type=longcode&offset=0&rate_center=nwyrcyzn01&starts_with=%2B1646&state=NY"
	if req.URL.RawQuery != wantQuery {
		t.Errorf("query %s\nwant  %s", req.URL.RawQuery, wantQuery)
	}
}

func TestSearchNumbersSendsOnlyGivenFilters(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"data": []}`)) })
	got, err := newTestClient(t, srv.URL).SearchAvailableNumbers(t.Context(), NumbersQuery{Window: 1})
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
	if q := rec.queries(); len(q) != 1 || q[0] != "limit=200&offset=0" {
		t.Errorf("queries %v", q)
	}
}

func TestSearchNumbersBadInput(t *testing.T) {
	srv, rec := serve(t, func(http.ResponseWriter, *http.Request) {})
	c := newTestClient(t, srv.URL)
	for name, q := range map[string]NumbersQuery{
		"starts with letters": {StartsWith: "64a"},
		"bare plus":           {StartsWith: "+"},
		"contains a space":    {Contains: "3 4"},
		"ends with a dash":    {EndsWith: "-07"},
		"page size too big":   {PageSize: MaxNumbersPageSize + 1},
		"negative offset":     {Offset: -2},
		"negative window":     {Window: -1},
	} {
		if _, err := c.SearchAvailableNumbers(t.Context(), q); err == nil || !strings.HasPrefix(err.Error(), "invalid numbers query: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d requests", rec.count())
	}
}

func TestMalformedNumberPages(t *testing.T) {
	for name, body := range map[string]string{
		"cost not a number": `{"data": [{"id": "1", "attributes": {"setup_cost": "free"}}]}`,
		"cost out of range": `{"data": [{"id": "1", "attributes": {"monthly_cost": 1e400}}]}`,
		"no id":             `{"data": [{"attributes": {"value": "1"}}]}`,
		"truncated":         `{"data": [{"id": "1", "attributes": {"val`,
	} {
		if _, _, err := decodeNumbersPage([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
