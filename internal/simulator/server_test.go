package simulator

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestSeedExample(t *testing.T) {
	h := newHarness(t, Options{})
	resp, body := h.get("/v2/numbers/available/areacodes?limit=2")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.api+json" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	ids := h.sim.Inventory().AreaCodes(nil)[:2]
	if slices.Contains(h.sim.Inventory().AreaCodes(nil), "201") && !slices.Equal(ids, []string{"201", "202"}) {
		t.Fatalf("first area codes %v", ids)
	}
	// The seed's answer with api.flowroute.com replaced by the simulator.
	want := fmt.Sprintf(`{
		"data": [
			{"id": "%[2]s", "links": {"related": "%[1]s/v2/numbers/available/exchanges?areacode=%[2]s"}, "type": "areacode"},
			{"id": "%[3]s", "links": {"related": "%[1]s/v2/numbers/available/exchanges?areacode=%[3]s"}, "type": "areacode"}
		],
		"links": {
			"next": "%[1]s/v2/numbers/available/areacodes?limit=2&offset=2",
			"self": "%[1]s/v2/numbers/available/areacodes?limit=2&offset=0"
		}
	}`, h.ts.URL, ids[0], ids[1])
	assertSameJSON(t, body, []byte(want))
	if !strings.Contains(string(body), "limit=2&offset=2") {
		t.Fatalf("links must not escape '&': %s", body)
	}
}

func assertSameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("answer: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("expectation: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestItemShapes(t *testing.T) {
	h := newHarness(t, Options{})
	inv := h.sim.Inventory()
	area := inv.AreaCodes(nil)[0]
	exchange := inv.Exchanges(area, nil)[0]
	n := inv.SearchNumbers(NumberFilter{StartsWith: exchange})[0]

	_, body := h.get("/v2/numbers/available/exchanges?limit=1&areacode=" + area)
	assertSameJSON(t, body, []byte(fmt.Sprintf(`{
		"data": [{"id": "%[2]s", "links": {"related": "%[1]s/v2/numbers/available?starts_with=1%[2]s"}, "type": "exchange"}],
		"links": {
			"next": "%[1]s/v2/numbers/available/exchanges?areacode=%[3]s&limit=1&offset=1",
			"self": "%[1]s/v2/numbers/available/exchanges?areacode=%[3]s&limit=1&offset=0"
		}
	}`, h.ts.URL, exchange, area)))

	_, body = h.get("/v2/numbers/available?limit=1&starts_with=" + exchange)
	assertSameJSON(t, body, []byte(fmt.Sprintf(`{
		"data": [{
			"attributes": {"value": "%[2]s", "rate_center": %[3]q, "state": %[4]q, "number_type": "longcode",
				"setup_cost": %[5]v, "monthly_cost": %[6]v, "inbound_rate": 0.0055, "rate_type": "local",
				"tier": "Standard", "iso_country": "US"},
			"id": "%[2]s", "links": {"related": "%[1]s/v2/numbers/%[2]s"}, "type": "number"}],
		"links": {
			"next": "%[1]s/v2/numbers/available?limit=1&offset=1&starts_with=%[7]s",
			"self": "%[1]s/v2/numbers/available?limit=1&offset=0&starts_with=%[7]s"
		}
	}`, h.ts.URL, n.Number, n.RateCenter, n.State, n.SetupCost, n.MonthlyCost, exchange)))
}

func TestPagingCoversEveryEndpoint(t *testing.T) {
	inv := Generate(7, Size{AreaCodes: 25, ExchangesPerAreaCode: 3, NumbersPerExchange: 4})
	h := newHarness(t, Options{Inventory: inv})
	var allNumbers []string
	for _, n := range inv.SearchNumbers(NumberFilter{}) {
		allNumbers = append(allNumbers, n.Number)
	}
	cases := []struct {
		path string
		want []string
		max  int
	}{
		{PathAreaCodes, inv.AreaCodes(nil), 400},
		{PathExchanges, inv.Exchanges("", nil), 200},
		{PathNumbers, allNumbers, 200},
	}
	for _, c := range cases {
		for _, limit := range []int{1, 7, 10, c.max} {
			ids, pages := h.walk(fmt.Sprintf("%s?limit=%d", c.path, limit))
			if !slices.Equal(ids, c.want) {
				t.Fatalf("%s limit %d: walked %d ids, want %d", c.path, limit, len(ids), len(c.want))
			}
			if want := max(1, (len(c.want)+limit-1)/limit); len(pages) != want {
				t.Fatalf("%s limit %d: %d pages, want %d", c.path, limit, len(pages), want)
			}
			for i, p := range pages {
				if i < len(pages)-1 && len(p.Data) != limit {
					t.Fatalf("%s limit %d: page %d has %d items", c.path, limit, i, len(p.Data))
				}
				wantSelf := fmt.Sprintf("%s%s?limit=%d&offset=%d", h.ts.URL, c.path, limit, i*limit)
				if p.Links.Self != wantSelf {
					t.Fatalf("self %q, want %q", p.Links.Self, wantSelf)
				}
			}
		}
		ids, _ := h.walk(c.path) // default page size
		if !slices.Equal(ids, c.want) {
			t.Fatalf("%s default limit: %d ids, want %d", c.path, len(ids), len(c.want))
		}
		if p := h.page(c.path); len(p.Data) != 10 {
			t.Fatalf("%s default limit gave %d items", c.path, len(p.Data))
		}
	}
}

func TestNextOnFullLastPage(t *testing.T) {
	inv := SyntheticAreaCodes(20)
	for _, nextOnFull := range []bool{false, true} {
		h := newHarness(t, Options{Inventory: inv, NextOnFullLastPage: nextOnFull})
		last := h.page(PathAreaCodes + "?limit=10&offset=10")
		if got := last.Links.Next != nil; got != nextOnFull {
			t.Fatalf("NextOnFullLastPage %v: next present = %v", nextOnFull, got)
		}
		ids, pages := h.walk(PathAreaCodes + "?limit=10")
		if !slices.Equal(ids, inv.AreaCodes(nil)) {
			t.Fatalf("walk gave %v", ids)
		}
		if wantPages := map[bool]int{false: 2, true: 3}[nextOnFull]; len(pages) != wantPages {
			t.Fatalf("NextOnFullLastPage %v: %d pages", nextOnFull, len(pages))
		}
		// A short last page never claims more.
		if p := h.page(PathAreaCodes + "?limit=15&offset=15"); p.Links.Next != nil {
			t.Fatal("short last page has next")
		}
	}
}

func TestOffsetPastTheEnd(t *testing.T) {
	h := newHarness(t, Options{})
	for _, path := range []string{PathAreaCodes, PathExchanges, PathNumbers} {
		resp, body := h.get(path + "?offset=1000000")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"data":[]`) {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		if strings.Contains(string(body), "next") {
			t.Fatalf("%s: next past the end: %s", path, body)
		}
	}
}

// Expectations below are computed straight from the numbers, not through the
// inventory's indexes.
func bruteIDs(inv *Inventory, keep func(Number) bool, id func(Number) string) []string {
	seen := map[string]bool{}
	var ids []string
	for _, n := range inv.Numbers {
		if keep(n) && !seen[id(n)] {
			seen[id(n)] = true
			ids = append(ids, id(n))
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	return ids
}

func bruteNumbers(inv *Inventory, keep func(Number) bool) []string {
	var values []string
	for _, n := range inv.Numbers {
		if keep(n) {
			values = append(values, n.Number)
		}
	}
	slices.Sort(values)
	return values
}

func TestSetupCostAndAreaCodeFilters(t *testing.T) {
	h := newHarness(t, Options{})
	inv := h.sim.Inventory()
	areaCode := func(n Number) string { return n.AreaCode }
	exchange := func(n Number) string { return n.Exchange }
	for _, limit := range []float64{0, 1, 1.25, 3.25, 9.99, 10, 1e9, -1} {
		cheap := func(n Number) bool { return n.SetupCost <= limit }
		q := "?limit=200&max_setup_cost=" + url.QueryEscape(fmt.Sprint(limit))

		want := bruteIDs(inv, cheap, areaCode)
		ids, _ := h.walk(PathAreaCodes + q)
		if !slices.Equal(ids, want) || !slices.Equal(inv.AreaCodes(&limit), want) {
			t.Fatalf("area codes <= %v: got %d, want %d", limit, len(ids), len(want))
		}
		if limit == 1 && (len(want) == 0 || len(want) == len(inv.AreaCodes(nil))) {
			t.Fatalf("max_setup_cost=1 should keep some area codes and drop others: %d", len(want))
		}

		want = bruteIDs(inv, cheap, exchange)
		ids, _ = h.walk(PathExchanges + q)
		if !slices.Equal(ids, want) || !slices.Equal(inv.Exchanges("", &limit), want) {
			t.Fatalf("exchanges <= %v: got %d, want %d", limit, len(ids), len(want))
		}

		area := inv.AreaCodes(nil)[3]
		want = bruteIDs(inv, func(n Number) bool { return cheap(n) && n.AreaCode == area }, exchange)
		ids, _ = h.walk(PathExchanges + q + "&areacode=" + area)
		if !slices.Equal(ids, want) || !slices.Equal(inv.Exchanges(area, &limit), want) {
			t.Fatalf("exchanges of %s <= %v: got %v, want %v", area, limit, ids, want)
		}
	}

	for _, area := range []string{"201", "0201", "999", "-5"} {
		wantArea := strings.TrimLeft(area, "0")
		want := bruteIDs(inv, func(n Number) bool { return n.AreaCode == wantArea }, exchange)
		ids, _ := h.walk(PathExchanges + "?areacode=" + area)
		if !slices.Equal(ids, want) {
			t.Fatalf("areacode=%s: %v, want %v", area, ids, want)
		}
	}
}

func TestNumberFilters(t *testing.T) {
	h := newHarness(t, Options{})
	inv := h.sim.Inventory()
	sample := inv.Numbers[len(inv.Numbers)/3]
	if sample.NumberType != NumberTypeLongcode || sample.RateCenter == "" {
		t.Fatalf("pick another sample than %+v", sample)
	}
	cases := []struct {
		query string
		keep  func(Number) bool
	}{
		{"starts_with=646", func(n Number) bool { return strings.HasPrefix(n.Number, "1646") }},
		{"starts_with=1646", func(n Number) bool { return strings.HasPrefix(n.Number, "1646") }},
		{"starts_with=%2B1646", func(n Number) bool { return strings.HasPrefix(n.Number, "1646") }},
		{"starts_with=%2B44", func(n Number) bool { return strings.HasPrefix(n.Number, "44") }},
		{"starts_with=" + sample.Exchange, func(n Number) bool { return n.Exchange == sample.Exchange }},
		{"contains=" + sample.Number[5:9], func(n Number) bool { return strings.Contains(n.Number, sample.Number[5:9]) }},
		{"ends_with=" + sample.Number[8:], func(n Number) bool { return strings.HasSuffix(n.Number, sample.Number[8:]) }},
		{"state=NY", func(n Number) bool { return n.State == "ny" }},
		{"rate_center=" + strings.ToUpper(sample.RateCenter), func(n Number) bool { return n.RateCenter == sample.RateCenter }},
		{"number_type=toll-free", func(n Number) bool { return n.NumberType == "toll-free" }},
		{"number_type=longcode", func(n Number) bool { return n.NumberType == "longcode" }},
		{"starts_with=8&ends_with=0&number_type=toll-free", func(n Number) bool {
			return strings.HasPrefix(n.Number, "18") && strings.HasSuffix(n.Number, "0") && n.NumberType == "toll-free"
		}},
		{"state=ny&rate_center=nowhere", func(Number) bool { return false }},
	}
	for _, c := range cases {
		want := bruteNumbers(inv, c.keep)
		if len(want) == 0 && !strings.Contains(c.query, "nowhere") && !strings.Contains(c.query, "44") {
			t.Fatalf("%s: inventory has no match, test is weak", c.query)
		}
		ids, _ := h.walk(PathNumbers + "?limit=200&" + c.query)
		if !slices.Equal(ids, want) {
			t.Fatalf("%s: got %d numbers, want %d", c.query, len(ids), len(want))
		}
		q, _ := url.ParseQuery(c.query)
		var searched []string
		for _, n := range inv.SearchNumbers(NumberFilter{
			StartsWith: q.Get("starts_with"), Contains: q.Get("contains"), EndsWith: q.Get("ends_with"),
			State: q.Get("state"), RateCenter: q.Get("rate_center"), NumberType: q.Get("number_type"),
		}) {
			searched = append(searched, n.Number)
		}
		if !slices.Equal(searched, want) {
			t.Fatalf("SearchNumbers %s: got %d, want %d", c.query, len(searched), len(want))
		}
	}
	p := h.page(PathNumbers + "?number_type=toll-free&limit=1")
	if a := p.Data[0].Attributes; a["number_type"] != "toll-free" || a["rate_type"] != "toll-free" {
		t.Fatalf("toll-free attributes %v", a)
	}
}

func TestAuth(t *testing.T) {
	h := newHarness(t, Options{})
	send := func(target string, setAuth func(*http.Request)) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, h.ts.URL+target, nil)
		setAuth(req)
		resp, err := h.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	for name, setAuth := range map[string]func(*http.Request){
		"missing":      func(*http.Request) {},
		"wrong secret": func(r *http.Request) { r.SetBasicAuth(testAccessKey, "nope") },
		"wrong key":    func(r *http.Request) { r.SetBasicAuth("nope", testSecretKey) },
		"swapped":      func(r *http.Request) { r.SetBasicAuth(testSecretKey, testAccessKey) },
		"bearer":       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testSecretKey) },
	} {
		// Auth comes before routing and validation.
		for _, target := range []string{PathAreaCodes, "/v2/nowhere", PathAreaCodes + "?limit=x"} {
			resp, body := send(target, setAuth)
			if detail := checkErrors(t, resp, body, http.StatusUnauthorized)["detail"]; detail != "Authentication failed." {
				t.Fatalf("%s %s: detail %q", name, target, detail)
			}
		}
	}
	resp, body := send(PathAreaCodes, func(r *http.Request) { r.SetBasicAuth(testAccessKey, testSecretKey) })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("right credentials: %d %s", resp.StatusCode, body)
	}
	// Outside /v2 nothing exists, credentials or not.
	resp, body = send("/v1/numbers", func(*http.Request) {})
	checkErrors(t, resp, body, http.StatusNotFound)
}

func TestValidation(t *testing.T) {
	h := newHarness(t, Options{})
	cases := map[string]string{
		PathAreaCodes + "?max_setup_cost=*":         "could not convert string to float: *",
		PathAreaCodes + "?max_setup_cost=":          "could not convert string to float: ",
		PathExchanges + "?max_setup_cost=cheap":     "could not convert string to float: cheap",
		PathAreaCodes + "?limit=ten":                "invalid literal for int() with base 10: 'ten'",
		PathAreaCodes + "?offset=1.5":               "invalid literal for int() with base 10: '1.5'",
		PathExchanges + "?areacode=NYC":             "invalid literal for int() with base 10: 'NYC'",
		PathNumbers + "?starts_with=646x":           "invalid literal for int() with base 10: '646x'",
		PathNumbers + "?contains=%2A":               "invalid literal for int() with base 10: '*'",
		PathAreaCodes + "?limit=0":                  "limit must be between 1 and 400",
		PathAreaCodes + "?limit=401":                "limit must be between 1 and 400",
		PathExchanges + "?limit=201":                "limit must be between 1 and 200",
		PathNumbers + "?limit=201":                  "limit must be between 1 and 200",
		PathNumbers + "?limit=-1":                   "limit must be between 1 and 200",
		PathNumbers + "?offset=-1":                  "offset must not be negative",
		PathNumbers + "?number_type=mobile":         "number_type must be one of: longcode, toll-free",
		PathAreaCodes + "?limit=400&offset=0&x=y%3": "",
	}
	for target, want := range cases {
		if want == "" {
			h.page(target) // the maximum is allowed and unknown parameters are ignored
			continue
		}
		if detail := h.errorAnswer(target, http.StatusUnprocessableEntity); detail != want {
			t.Fatalf("%s: detail %q, want %q", target, detail, want)
		}
	}
	// Negative and NaN costs are accepted; no setup cost is at or under them.
	for _, cost := range []string{"-1", "NaN"} {
		if p := h.page(PathAreaCodes + "?max_setup_cost=" + cost); len(p.Data) != 0 || p.Links.Next != nil {
			t.Fatalf("max_setup_cost=%s: %d items", cost, len(p.Data))
		}
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	h := newHarness(t, Options{})
	for _, target := range []string{"/v2", "/v2/", "/v2/numbers/", "/v2/numbers/available/", "/v2/numbers/1646x",
		"/v2/numbers/16463439507/", "/", "/v1/numbers/available"} {
		h.errorAnswer(target, http.StatusNotFound)
	}
	for _, path := range []string{PathAreaCodes, PathOwnedNumbers} {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			resp, body, err := h.do(method, path)
			if err != nil {
				t.Fatal(err)
			}
			checkErrors(t, resp, body, http.StatusMethodNotAllowed)
			if resp.Header.Get("Allow") != http.MethodGet {
				t.Fatalf("Allow %q", resp.Header.Get("Allow"))
			}
		}
	}
}

// TestErrorBodies pins the API's error object: these four keys and no
// others, status as a JSON number.
func TestErrorBodies(t *testing.T) {
	h := newHarness(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, h.ts.URL+PathAreaCodes, nil)
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	e := checkErrors(t, resp, body, http.StatusUnauthorized)
	if e["detail"] != "Authentication failed." || e["title"] != "Unauthorized" || e["status"] != float64(401) ||
		!strings.Contains(string(body), `"status":401`) {
		t.Fatalf("401 body: %s", body)
	}

	for target, status := range map[string]int{
		PathAreaCodes + "?limit=0":              http.StatusUnprocessableEntity,
		PathExchanges + "?max_setup_cost=*":     http.StatusUnprocessableEntity,
		PathNumbers + "?number_type=mobile":     http.StatusUnprocessableEntity,
		"/v2/numbers/available/nowhere":         http.StatusNotFound,
		"/elsewhere":                            http.StatusNotFound,
		PathNumbers + "?limit=1&offset=notanum": http.StatusUnprocessableEntity,
	} {
		resp, body := h.get(target)
		checkErrors(t, resp, body, status)
		if !strings.Contains(string(body), fmt.Sprintf(`"status":%d`, status)) {
			t.Fatalf("%s: status is not a JSON number: %s", target, body)
		}
	}
}

func TestRelatedLinksFollowTheHost(t *testing.T) {
	h := newHarness(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, h.ts.URL+PathAreaCodes+"?limit=1", nil)
	req.Host = "sim.example:9999"
	req.SetBasicAuth(testAccessKey, testSecretKey)
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Data[0].Links.Related, "http://sim.example:9999/v2/") ||
		!strings.HasPrefix(p.Links.Self, "http://sim.example:9999/v2/") {
		t.Fatalf("links ignore the Host: %s", body)
	}
	if got := h.sim.Requests()[0].Host; got != "sim.example:9999" {
		t.Fatalf("logged host %q", got)
	}
}

func TestRequestLog(t *testing.T) {
	var hooked []Request
	var mu sync.Mutex
	h := newHarness(t, Options{OnRequest: func(r Request) {
		mu.Lock()
		hooked = append(hooked, r)
		mu.Unlock()
	}})
	h.get(PathAreaCodes + "?limit=2&max_setup_cost=1")
	req, _ := http.NewRequest(http.MethodGet, h.ts.URL+PathNumbers+"?starts_with=646", nil)
	req.Header.Set("User-Agent", "flowroute-test/1")
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, _, _ = h.do(http.MethodPost, PathExchanges)

	got := h.sim.Requests()
	if h.sim.RequestCount() != 3 || len(got) != 3 {
		t.Fatalf("count %d, log %d", h.sim.RequestCount(), len(got))
	}
	want := []Request{
		{Method: "GET", Path: PathAreaCodes, Query: url.Values{"limit": {"2"}, "max_setup_cost": {"1"}}, AuthOK: true},
		{Method: "GET", Path: PathNumbers, Query: url.Values{"starts_with": {"646"}}, AuthOK: false},
		{Method: "POST", Path: PathExchanges, Query: url.Values{}, AuthOK: true},
	}
	host := strings.TrimPrefix(h.ts.URL, "http://")
	for i := range want {
		want[i].Host = host
		want[i].UserAgent = "Go-http-client/1.1"
	}
	want[1].UserAgent = "flowroute-test/1"
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("log %+v\nwant %+v", got, want)
	}
	mu.Lock()
	if !reflect.DeepEqual(hooked, want) {
		t.Fatalf("OnRequest saw %+v", hooked)
	}
	mu.Unlock()

	got[0].Query.Set("limit", "999") // a copy: the log is unchanged
	if h.sim.Requests()[0].Query.Get("limit") != "2" {
		t.Fatal("Requests returned shared storage")
	}
	h.sim.ResetRequests()
	if h.sim.RequestCount() != 0 || len(h.sim.Requests()) != 0 {
		t.Fatal("reset left requests")
	}
	h.get(PathAreaCodes)
	if h.sim.RequestCount() != 1 {
		t.Fatal("counting stopped after reset")
	}
}

func TestRequestLogLimit(t *testing.T) {
	h := newHarness(t, Options{RequestLogLimit: 3})
	offsets := func() []string {
		var out []string
		for _, r := range h.sim.Requests() {
			out = append(out, r.Query.Get("offset"))
		}
		return out
	}
	for i := range 5 {
		h.get(fmt.Sprintf("%s?offset=%d", PathAreaCodes, i))
	}
	if got := offsets(); !slices.Equal(got, []string{"2", "3", "4"}) || h.sim.RequestCount() != 5 {
		t.Fatalf("log %v, count %d; want the last 3 of 5", got, h.sim.RequestCount())
	}
	for i := 5; i < 9; i++ { // wrap around once more
		h.get(fmt.Sprintf("%s?offset=%d", PathAreaCodes, i))
	}
	if got := offsets(); !slices.Equal(got, []string{"6", "7", "8"}) || h.sim.RequestCount() != 9 {
		t.Fatalf("log %v, count %d; want the last 3 of 9", got, h.sim.RequestCount())
	}
	h.sim.ResetRequests()
	h.get(PathAreaCodes + "?offset=9")
	if got := offsets(); !slices.Equal(got, []string{"9"}) || h.sim.RequestCount() != 1 {
		t.Fatalf("after reset: log %v, count %d", got, h.sim.RequestCount())
	}
}

func TestConcurrentRequests(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Path: PathExchanges, Times: 5, Status: http.StatusTooManyRequests})
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := []string{PathAreaCodes, PathExchanges, PathNumbers}[i%3]
			resp, _, err := h.do(http.MethodGet, fmt.Sprintf("%s?limit=5&offset=%d&max_setup_cost=%d", path, i, i%4))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusTooManyRequests] != 5 || statuses[http.StatusOK] != 35 || h.sim.RequestCount() != 40 {
		t.Fatalf("statuses %v, count %d", statuses, h.sim.RequestCount())
	}
}

func TestNewRequiresKeys(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New accepted empty keys")
		}
	}()
	New(Options{AccessKey: "only-one"})
}

func TestTLSLinks(t *testing.T) {
	sim := New(Options{AccessKey: testAccessKey, SecretKey: testSecretKey})
	ts := httptest.NewTLSServer(sim)
	defer ts.Close()
	h := &harness{t: t, sim: sim, ts: ts}
	if p := h.page(PathAreaCodes); !strings.HasPrefix(p.Links.Self, ts.URL+"/v2/") || !strings.HasPrefix(ts.URL, "https://") {
		t.Fatalf("self %q on %s", p.Links.Self, ts.URL)
	}
}

func TestUnencodableInventory(t *testing.T) {
	inv := &Inventory{Numbers: []Number{{Number: "12015550100", AreaCode: "201", Exchange: "201555", SetupCost: math.Inf(1)}}}
	h := newHarness(t, Options{Inventory: inv})
	h.page(PathAreaCodes)
	h.errorAnswer(PathNumbers, http.StatusInternalServerError)
}
