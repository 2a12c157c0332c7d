package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const testNumberPath = PathOwnedNumbers + "/"

// numberObject is the number object as the API reference shows it, for the
// answers of GET, POST and PATCH on base/v2/numbers/{n.Number}.
func numberObject(base string, n Number, alias string, cnamLookups, messaging bool) string {
	return fmt.Sprintf(`{
		"data": {
			"type": "number", "id": "%[2]s",
			"attributes": {"value": "%[2]s", "alias": %[3]s, "cnam_lookups_enabled": %[4]v, "messaging_enabled": %[5]v,
				"number_type": %[6]q, "rate_center": %[7]q, "state": %[8]q, "status": "PURCHASED",
				"monthly_cost": %[9]v, "setup_cost": %[10]v, "rate_type": "local", "iso_country": "US",
				"inbound_rate": 0.0055, "tier": "Standard"},
			"relationships": {
				"primary_route": {"data": {"type": "route", "id": "0"}},
				"failover_route": {"data": null},
				"cnam_preset": {"data": null},
				"e911_address": {"data": null}
			},
			"links": {"self": "%[1]s/v2/numbers/%[2]s"}
		},
		"included": [{"type": "route", "id": "0", "attributes": {"alias": "sip-reg", "edge_strategy_id": null, "route_type": "sip-reg", "value": null}}],
		"links": {"self": "%[1]s/v2/numbers/%[2]s"}
	}`, base, n.Number, alias, cnamLookups, messaging, n.NumberType, n.RateCenter, n.State, n.MonthlyCost, n.SetupCost)
}

// checkNotOnAccount checks the documented 404 body, which has no title.
func checkNotOnAccount(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	var answer struct {
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || resp.StatusCode != http.StatusNotFound || len(answer.Errors) != 1 {
		t.Fatalf("want the 404 of a number not on the account: %d %s", resp.StatusCode, body)
	}
	e := answer.Errors[0]
	id, _ := e["id"].(string)
	if keys := slices.Sorted(maps.Keys(e)); !slices.Equal(keys, []string{"detail", "id", "status"}) ||
		e["detail"] != "Could not find that resource on your account." || e["status"] != float64(404) ||
		!uuidPattern.MatchString(id) {
		t.Fatalf("404 body: %s", body)
	}
}

func notAvailable(t *testing.T, resp *http.Response, body []byte, number string) {
	t.Helper()
	e := checkErrors(t, resp, body, http.StatusUnprocessableEntity)
	if want := "Number " + number + " is not available for purchase."; e["detail"] != want {
		t.Fatalf("detail %q, want %q", e["detail"], want)
	}
}

func TestPurchaseReadAndRelease(t *testing.T) {
	h := newHarness(t, Options{})
	n := h.sim.Inventory().SearchNumbers(NumberFilter{NumberType: NumberTypeLongcode})[0]
	target := testNumberPath + n.Number

	resp, body := h.send(http.MethodGet, target, "", "")
	checkNotOnAccount(t, resp, body)

	// A body is not needed, and ignored when sent.
	resp, body = h.send(http.MethodPost, target, "application/json", `{"messaging_enabled": true}`)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/vnd.api+json" {
		t.Fatalf("purchase: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(numberObject(h.ts.URL, n, "null", true, false)))
	resp, body = h.get(target)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("read: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(numberObject(h.ts.URL, n, "null", true, false)))

	want := []OwnedNumber{{
		Number: n.Number, State: n.State, RateCenter: n.RateCenter, NumberType: n.NumberType,
		SetupCost: n.SetupCost, MonthlyCost: n.MonthlyCost, CNAMLookupsEnabled: true, PrimaryRouteID: "0",
	}}
	if got := h.sim.OwnedNumbers(); !slices.Equal(got, want) {
		t.Fatalf("owned %+v", got)
	}

	// Bought already: not for sale.
	resp, body = h.send(http.MethodPost, target, "", "")
	notAvailable(t, resp, body, n.Number)

	resp, body = h.send(http.MethodDelete, target, "", "")
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("release: %d %q", resp.StatusCode, body)
	}
	if len(h.sim.OwnedNumbers()) != 0 {
		t.Fatal("released number still owned")
	}
	for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		resp, body = h.send(method, target, "application/vnd.api+json", `{"type": "number"}`)
		checkNotOnAccount(t, resp, body)
	}

	// Bought again, it starts afresh.
	if resp, body = h.send(http.MethodPost, target, "", ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("second purchase: %d %s", resp.StatusCode, body)
	}
}

func TestPurchaseOfNumbersNotForSale(t *testing.T) {
	h := newHarness(t, Options{})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})
	if err := h.sim.TakeNumber(numbers[0].Number); err != nil {
		t.Fatal(err)
	}
	for _, number := range []string{numbers[0].Number, "19995550100", "1"} {
		resp, body := h.send(http.MethodPost, testNumberPath+number, "", "")
		notAvailable(t, resp, body, number)
	}
	if len(h.sim.OwnedNumbers()) != 0 {
		t.Fatal("a failed purchase owns a number")
	}
}

func TestConcurrentPurchasesOfOneNumber(t *testing.T) {
	h := newHarness(t, Options{})
	target := testNumberPath + h.sim.Inventory().Numbers[42].Number
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range 20 {
		wg.Go(func() {
			resp, _, err := h.do(http.MethodPost, target)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[http.StatusCreated] != 1 || statuses[http.StatusUnprocessableEntity] != 19 || len(h.sim.OwnedNumbers()) != 1 {
		t.Fatalf("statuses %v", statuses)
	}
}

// checkForSale compares the three listings with the inventory less the
// numbers in gone, computed straight from the numbers.
func checkForSale(t *testing.T, h *harness, inv *Inventory, gone map[string]bool) {
	t.Helper()
	areaCode := func(n Number) string { return n.AreaCode }
	exchange := func(n Number) string { return n.Exchange }
	touched := []string{inv.Numbers[0].AreaCode}
	for number := range gone {
		lo, hi := inv.index().positions(number)
		if lo < hi {
			touched = append(touched, inv.index().numbers[lo].AreaCode)
		}
	}
	for _, limit := range []string{"", "0", "1", "1.5", "3.25", "10", "-1"} {
		keep := func(n Number) bool { return !gone[n.Number] }
		query := "?limit=7"
		if limit != "" {
			maxSetupCost, _ := strconv.ParseFloat(limit, 64)
			keep = func(n Number) bool { return !gone[n.Number] && n.SetupCost <= maxSetupCost }
			query += "&max_setup_cost=" + limit
		}
		if ids, _ := h.walk(PathAreaCodes + query); !slices.Equal(ids, bruteIDs(inv, keep, areaCode)) {
			t.Fatalf("area codes%s: %v, want %v", query, ids, bruteIDs(inv, keep, areaCode))
		}
		if ids, _ := h.walk(PathExchanges + query); !slices.Equal(ids, bruteIDs(inv, keep, exchange)) {
			t.Fatalf("exchanges%s: %v, want %v", query, ids, bruteIDs(inv, keep, exchange))
		}
		for _, area := range touched {
			want := bruteIDs(inv, func(n Number) bool { return keep(n) && n.AreaCode == area }, exchange)
			if ids, _ := h.walk(PathExchanges + query + "&areacode=" + area); !slices.Equal(ids, want) {
				t.Fatalf("exchanges of %s%s: %v, want %v", area, query, ids, want)
			}
		}
	}
	sample := inv.Numbers[len(inv.Numbers)/2]
	for query, keep := range map[string]func(Number) bool{
		"":                                    func(Number) bool { return true },
		"&starts_with=" + sample.AreaCode:     func(n Number) bool { return n.AreaCode == sample.AreaCode },
		"&state=" + sample.State:              func(n Number) bool { return n.State == sample.State },
		"&ends_with=" + sample.Number[10:]:    func(n Number) bool { return strings.HasSuffix(n.Number, sample.Number[10:]) },
		"&starts_with=1&number_type=LONGCODE": func(n Number) bool { return n.NumberType == NumberTypeLongcode },
	} {
		want := bruteNumbers(inv, func(n Number) bool { return !gone[n.Number] && keep(n) })
		if ids, _ := h.walk(PathNumbers + "?limit=7" + query); !slices.Equal(ids, want) {
			t.Fatalf("numbers%s: %v, want %v", query, ids, want)
		}
	}
}

func TestListingsFollowPurchases(t *testing.T) {
	inv := Generate(5, Size{AreaCodes: 20, ExchangesPerAreaCode: 2, NumbersPerExchange: 3})
	h := newHarness(t, Options{Inventory: inv})
	gone := map[string]bool{}
	owned := map[string]bool{}

	// Every number of one area code bought: it leaves the listings.
	area := inv.Numbers[len(inv.Numbers)/2].AreaCode
	var all []string
	for _, n := range inv.Numbers {
		if n.AreaCode == area {
			all = append(all, n.Number)
		}
	}
	for _, number := range all[1:] {
		if resp, body := h.send(http.MethodPost, testNumberPath+number, "", ""); resp.StatusCode != http.StatusCreated {
			t.Fatalf("purchase: %d %s", resp.StatusCode, body)
		}
		gone[number], owned[number] = true, true
	}
	checkForSale(t, h, inv, gone)
	if ids, _ := h.walk(PathAreaCodes + "?limit=400"); !slices.Contains(ids, area) {
		t.Fatalf("area code %s left with a number for sale", area)
	}
	if err := h.sim.TakeNumber(all[0]); err != nil {
		t.Fatal(err)
	}
	gone[all[0]] = true
	checkForSale(t, h, inv, gone)
	if ids, _ := h.walk(PathAreaCodes + "?limit=400"); slices.Contains(ids, area) {
		t.Fatalf("area code %s listed without a number for sale", area)
	}
	if p := h.page(PathExchanges + "?areacode=" + area); len(p.Data) != 0 {
		t.Fatalf("exchanges of a sold-out area code: %v", pageIDs(p))
	}

	// Released numbers come back; then a random run of purchases, takes
	// and releases, in and out of the API.
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 60 {
		number := inv.Numbers[rng.IntN(len(inv.Numbers))].Number
		switch {
		case owned[number] && step%2 == 0:
			if resp, body := h.send(http.MethodDelete, testNumberPath+number, "", ""); resp.StatusCode != http.StatusNoContent {
				t.Fatalf("release: %d %s", resp.StatusCode, body)
			}
			delete(gone, number)
			delete(owned, number)
		case owned[number]:
			if err := h.sim.ReleaseOutside(number); err != nil {
				t.Fatal(err)
			}
			delete(gone, number)
			delete(owned, number)
		case gone[number]:
			resp, body := h.send(http.MethodPost, testNumberPath+number, "", "")
			notAvailable(t, resp, body, number)
		case step%5 == 0:
			if err := h.sim.TakeNumber(number); err != nil {
				t.Fatal(err)
			}
			gone[number] = true
		default:
			if resp, body := h.send(http.MethodPost, testNumberPath+number, "", ""); resp.StatusCode != http.StatusCreated {
				t.Fatalf("purchase: %d %s", resp.StatusCode, body)
			}
			gone[number], owned[number] = true, true
		}
		if step%6 == 0 {
			checkForSale(t, h, inv, gone)
		}
	}
	checkForSale(t, h, inv, gone)
	var ownedNow []string
	for _, o := range h.sim.OwnedNumbers() {
		ownedNow = append(ownedNow, o.Number)
	}
	if want := slices.Sorted(maps.Keys(owned)); !slices.Equal(ownedNow, want) {
		t.Fatalf("owned %v, want %v", ownedNow, want)
	}
	// The inventory's own helpers keep the inventory as generated.
	if len(inv.SearchNumbers(NumberFilter{})) != len(inv.Numbers) || !slices.Contains(inv.AreaCodes(nil), area) {
		t.Fatal("purchases changed the inventory")
	}
}

func TestAccountHelpers(t *testing.T) {
	h := newHarness(t, Options{})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})
	first, second, third := numbers[0].Number, numbers[1].Number, numbers[2].Number

	// All or nothing.
	for _, bad := range [][]string{{first, "19995550100"}, {first, first}} {
		if err := h.sim.AddOwned(bad...); err == nil || len(h.sim.OwnedNumbers()) != 0 {
			t.Fatalf("AddOwned(%v): %v", bad, err)
		}
	}
	if err := h.sim.AddOwned(second, first); err != nil {
		t.Fatal(err)
	}
	if got := h.sim.OwnedNumbers(); len(got) != 2 || got[0].Number != first || got[1].Number != second || !got[0].CNAMLookupsEnabled {
		t.Fatalf("owned %+v", got)
	}
	if err := h.sim.AddOwned(first); err == nil {
		t.Fatal("bought an owned number again")
	}
	if err := h.sim.TakeNumber(first); err == nil {
		t.Fatal("another account took an owned number")
	}
	if err := h.sim.TakeNumber(third); err != nil {
		t.Fatal(err)
	}
	for _, number := range []string{third, "19995550100"} {
		if err := h.sim.TakeNumber(number); err == nil {
			t.Fatalf("took %s, which is not for sale", number)
		}
		if err := h.sim.ReleaseOutside(number); err == nil {
			t.Fatalf("released %s, which is not on the account", number)
		}
	}
	if err := h.sim.ReleaseOutside(first); err != nil {
		t.Fatal(err)
	}
	resp, body := h.get(testNumberPath + first)
	checkNotOnAccount(t, resp, body)

	// OwnedNumbers is a copy.
	alias := "mine"
	h.sim.OwnedNumbers()[0].Alias = &alias
	if h.sim.OwnedNumbers()[0].Alias != nil {
		t.Fatal("OwnedNumbers shares storage")
	}
}

func TestUpdateNumber(t *testing.T) {
	h := newHarness(t, Options{})
	n := h.sim.Inventory().Numbers[7]
	target := testNumberPath + n.Number
	if err := h.sim.AddOwned(n.Number); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		contentType, body string
		alias             string
		cnam, messaging   bool
	}{
		{"application/vnd.api+json", `{"type": "number", "alias": "NYC"}`, `"NYC"`, true, false},
		{"application/json", `{"type": "number", "cnam_lookups_enabled": false}`, `"NYC"`, false, false},
		{"application/json; charset=utf-8", `{"type": "number", "messaging_enabled": true, "note": "ignored"}`, `"NYC"`, false, true},
		{"application/vnd.api+json", `{"type": "number", "alias": null}`, "null", false, true},
		{"application/vnd.api+json", `{"type": "number", "alias": "a \"b\"", "cnam_lookups_enabled": true, "messaging_enabled": false}`, `"a \"b\""`, true, false},
		{"application/vnd.api+json", `{"type": "number", "alias": ""}`, "null", true, false},
		{"application/vnd.api+json", `{"type": "number"}`, "null", true, false},
	}
	for _, step := range steps {
		resp, body := h.send(http.MethodPatch, target, step.contentType, step.body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", step.body, resp.StatusCode, body)
		}
		want := numberObject(h.ts.URL, n, step.alias, step.cnam, step.messaging)
		assertSameJSON(t, body, []byte(want))
		_, body = h.get(target)
		assertSameJSON(t, body, []byte(want))
	}
	if last := h.sim.Requests()[len(h.sim.Requests())-2]; last.Method != http.MethodPatch || last.Body != `{"type": "number"}` {
		t.Fatalf("logged %+v", last)
	}
	long := `{"type": "number", "alias": "` + strings.Repeat("x", 5000) + `"}`
	h.send(http.MethodPatch, target, "application/json", long)
	if logged := h.sim.Requests()[len(h.sim.Requests())-1].Body; logged != long[:4096] {
		t.Fatalf("logged %d bytes of the body", len(logged))
	}
	h.send(http.MethodPatch, target, "application/json", `{"type": "number", "alias": null}`)

	for body, detail := range map[string]string{
		``:                                   "the body must be a JSON object",
		`null`:                               "the body must be a JSON object",
		`[1]`:                                "the body must be a JSON object",
		`{"type": "number"`:                  "the body must be a JSON object",
		`{"alias": "x"}`:                     `type must be "number"`,
		`{"type": "route", "alias": "x"}`:    `type must be "number"`,
		`{"type": 1}`:                        `type must be "number"`,
		`{"type": "number", "alias": 5}`:     "alias must be a string or null",
		`{"type": "number", "alias": false}`: "alias must be a string or null",
		`{"type": "number", "cnam_lookups_enabled": "yes"}`:        "cnam_lookups_enabled must be true or false",
		`{"type": "number", "cnam_lookups_enabled": null}`:         "cnam_lookups_enabled must be true or false",
		`{"type": "number", "alias": "x", "messaging_enabled": 1}`: "messaging_enabled must be true or false",
	} {
		resp, answer := h.send(http.MethodPatch, target, "application/vnd.api+json", body)
		if e := checkErrors(t, resp, answer, http.StatusUnprocessableEntity); e["detail"] != detail {
			t.Fatalf("%s: detail %q, want %q", body, e["detail"], detail)
		}
	}
	for _, contentType := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/jsonx"} {
		resp, body := h.send(http.MethodPatch, target, contentType, `{"type": "number", "alias": "x"}`)
		checkErrors(t, resp, body, http.StatusUnsupportedMediaType)
	}
	// None of the refused changes was made.
	if o := h.sim.OwnedNumbers()[0]; o.Alias != nil || !o.CNAMLookupsEnabled || o.MessagingEnabled {
		t.Fatalf("refused changes applied: %+v", o)
	}

	resp, body := h.send(http.MethodPut, target, "", "")
	checkErrors(t, resp, body, http.StatusMethodNotAllowed)
	if resp.Header.Get("Allow") != "GET, POST, PATCH, DELETE" {
		t.Fatalf("Allow %q", resp.Header.Get("Allow"))
	}
}

func TestOwnedNumbersList(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.page(PathOwnedNumbers)
	if len(p.Data) != 0 || p.Links.Next != nil || p.Links.Self != h.ts.URL+"/v2/numbers?limit=10&offset=0" {
		t.Fatalf("empty account: %+v", p)
	}

	// 50 numbers over a few area codes, bought out of order.
	var numbers []string
	for i := 0; i < 300; i += 6 {
		numbers = append(numbers, h.sim.Inventory().Numbers[i].Number)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(numbers), func(i, j int) { numbers[i], numbers[j] = numbers[j], numbers[i] })
	if err := h.sim.AddOwned(numbers...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	for i, alias := range map[int]string{3: "NYC", 10: "NYC", 20: "nyc"} {
		target := testNumberPath + numbers[i]
		if resp, body := h.send(http.MethodPatch, target, "application/json", `{"type": "number", "alias": "`+alias+`"}`); resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	}

	for _, limit := range []int{1, 7, 10, 50, 200} {
		ids, pages := h.walk(fmt.Sprintf("%s?limit=%d", PathOwnedNumbers, limit))
		if !slices.Equal(ids, numbers) || len(pages) != (len(numbers)+limit-1)/limit {
			t.Fatalf("limit %d: %d ids in %d pages", limit, len(ids), len(pages))
		}
	}

	first := h.page(PathOwnedNumbers + "?limit=2")
	item, _ := json.Marshal(first.Data[0])
	var raw struct {
		Data []map[string]json.RawMessage `json:"data"`
	}
	_, body := h.get(PathOwnedNumbers + "?limit=1")
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if keys := slices.Sorted(maps.Keys(raw.Data[0])); !slices.Equal(keys, []string{"attributes", "id", "links", "type"}) {
		t.Fatalf("item keys %v: %s", keys, body)
	}
	var links struct {
		Self string `json:"self"`
	}
	if err := json.Unmarshal(raw.Data[0]["links"], &links); err != nil || links.Self != h.ts.URL+"/v2/numbers/"+numbers[0] {
		t.Fatalf("item links %s", raw.Data[0]["links"])
	}
	if a := first.Data[0].Attributes; a["status"] != "PURCHASED" || a["cnam_lookups_enabled"] != true || a["value"] != numbers[0] {
		t.Fatalf("item %s", item)
	}

	owned := h.sim.OwnedNumbers()
	keep := func(match func(OwnedNumber) bool) []string {
		var out []string
		for _, o := range owned {
			if match(o) {
				out = append(out, o.Number)
			}
		}
		return out
	}
	sample := numbers[len(numbers)/2]
	cases := map[string][]string{
		"starts_with=" + sample[1:4]:   keep(func(o OwnedNumber) bool { return strings.HasPrefix(o.Number, sample[:4]) }),
		"starts_with=" + sample[:7]:    keep(func(o OwnedNumber) bool { return strings.HasPrefix(o.Number, sample[:7]) }),
		"starts_with=%2B" + sample[:5]: keep(func(o OwnedNumber) bool { return strings.HasPrefix(o.Number, sample[:5]) }),
		"ends_with=" + sample[9:]:      keep(func(o OwnedNumber) bool { return strings.HasSuffix(o.Number, sample[9:]) }),
		"contains=" + sample[4:7]:      keep(func(o OwnedNumber) bool { return strings.Contains(o.Number, sample[4:7]) }),
		"alias=NYC":                    keep(func(o OwnedNumber) bool { return o.Alias != nil && *o.Alias == "NYC" }),
		"alias=nyc&starts_with=":       keep(func(o OwnedNumber) bool { return o.Alias != nil && *o.Alias == "nyc" }),
		"alias=NY":                     nil,
		"alias=":                       numbers,
		"starts_with=" + sample + "&alias=NYC": keep(func(o OwnedNumber) bool {
			return o.Number == sample && o.Alias != nil && *o.Alias == "NYC"
		}),
	}
	for query, want := range cases {
		if len(want) == 0 && query != "alias=NY" && !strings.HasPrefix(query, "starts_with="+sample+"&") {
			t.Fatalf("%s: no match, test is weak", query)
		}
		ids, _ := h.walk(PathOwnedNumbers + "?limit=3&" + query)
		if !slices.Equal(ids, want) {
			t.Fatalf("%s: %v, want %v", query, ids, want)
		}
	}
	if p := h.page(PathOwnedNumbers + "?limit=1&alias=NYC"); p.Links.Next == nil || !strings.Contains(*p.Links.Next, "alias=NYC&limit=1&offset=1") {
		t.Fatalf("filters not echoed: %+v", p.Links)
	}

	for target, detail := range map[string]string{
		"?limit=201":        "limit must be between 1 and 200",
		"?limit=0":          "limit must be between 1 and 200",
		"?offset=-1":        "offset must not be negative",
		"?offset=x":         "invalid literal for int() with base 10: 'x'",
		"?starts_with=646x": "invalid literal for int() with base 10: '646x'",
		"?contains=%2A":     "invalid literal for int() with base 10: '*'",
		"?ends_with=1+2":    "invalid literal for int() with base 10: '1 2'",
	} {
		if got := h.errorAnswer(PathOwnedNumbers+target, http.StatusUnprocessableEntity); got != detail {
			t.Fatalf("%s: detail %q, want %q", target, got, detail)
		}
	}
}

func TestSaveAndLoadAccount(t *testing.T) {
	var changes int
	var mu sync.Mutex
	h := newHarness(t, Options{OnAccountChange: func() {
		mu.Lock()
		changes++
		mu.Unlock()
	}})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})
	if err := h.sim.AddOwned(numbers[0].Number, numbers[1].Number, numbers[2].Number); err != nil {
		t.Fatal(err)
	}
	h.send(http.MethodPatch, testNumberPath+numbers[1].Number, "application/json", `{"type": "number", "alias": "Main"}`)
	h.send(http.MethodPost, testNumberPath+numbers[3].Number, "", "")
	h.send(http.MethodDelete, testNumberPath+numbers[0].Number, "", "")
	if err := h.sim.ReleaseOutside(numbers[2].Number); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.TakeNumber(numbers[4].Number); err != nil {
		t.Fatal(err)
	}
	h.send(http.MethodPost, testNumberPath+numbers[4].Number, "", "") // refused: no change
	mu.Lock()
	if changes != 5 {
		t.Fatalf("%d changes reported, want 5", changes)
	}
	mu.Unlock()

	var saved bytes.Buffer
	if err := h.sim.SaveAccount(&saved); err != nil {
		t.Fatal(err)
	}
	want := h.sim.OwnedNumbers()

	// A fresh server that owned something else takes the saved account.
	other := newHarness(t, Options{})
	if err := other.sim.AddOwned(numbers[0].Number, numbers[5].Number); err != nil {
		t.Fatal(err)
	}
	if err := other.sim.LoadAccount(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	if got := other.sim.OwnedNumbers(); !slices.EqualFunc(got, want, sameOwned) || len(got) != 2 {
		t.Fatalf("loaded %+v, want %+v", got, want)
	}
	gone := map[string]bool{numbers[1].Number: true, numbers[3].Number: true}
	ids, _ := other.walk(PathNumbers + "?limit=200&starts_with=" + numbers[0].Number[:4])
	for _, id := range ids {
		if gone[id] {
			t.Fatalf("loaded number %s listed for sale", id)
		}
	}
	if !slices.Contains(ids, numbers[0].Number) || !slices.Contains(ids, numbers[5].Number) && strings.HasPrefix(numbers[5].Number, numbers[0].Number[:4]) {
		t.Fatal("numbers owned before the load are not for sale again")
	}
	_, body := other.get(testNumberPath + numbers[1].Number)
	assertSameJSON(t, body, []byte(numberObject(other.ts.URL, numbers[1], `"Main"`, true, false)))

	for _, bad := range []string{"", "{", `{"numbers": 5}`, `{"numbers": [{"number": "12x"}]}`,
		`{"numbers": [{"number": ""}]}`, `{"numbers": [{"number": "1"}, {"number": "1"}]}`, `{} {}`} {
		if err := other.sim.LoadAccount(strings.NewReader(bad)); err == nil {
			t.Fatalf("loaded %q", bad)
		}
	}
	if got := other.sim.OwnedNumbers(); !slices.EqualFunc(got, want, sameOwned) {
		t.Fatal("a refused load changed the account")
	}
	// An empty account saves and loads too.
	if err := other.sim.LoadAccount(strings.NewReader(`{"numbers": []}`)); err != nil || len(other.sim.OwnedNumbers()) != 0 {
		t.Fatalf("empty account: %v", err)
	}
}

func sameOwned(a, b OwnedNumber) bool {
	return a.Number == b.Number && (a.Alias == nil) == (b.Alias == nil) && (a.Alias == nil || *a.Alias == *b.Alias) &&
		a.CNAMLookupsEnabled == b.CNAMLookupsEnabled && a.MessagingEnabled == b.MessagingEnabled &&
		a.PrimaryRouteID == b.PrimaryRouteID && a.SetupCost == b.SetupCost && a.RateCenter == b.RateCenter
}

func TestNewRefusesColonInAccessKey(t *testing.T) {
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "':'") {
			t.Fatalf("panic %q", msg)
		}
	}()
	New(Options{AccessKey: "a:b", SecretKey: testSecretKey})
}

// benchAfterPurchases times pages of target served from inv once numbers
// spread over it are bought, and one purchase and release with a page.
func benchAfterPurchases(b *testing.B, inv *Inventory, target string) {
	sim := New(Options{AccessKey: testAccessKey, SecretKey: testSecretKey, Inventory: inv, RequestLogLimit: 1000})
	var bought []string
	for i := 0; i < len(inv.Numbers); i += len(inv.Numbers) / 50 {
		bought = append(bought, inv.Numbers[i].Number)
	}
	if err := sim.AddOwned(bought...); err != nil {
		b.Fatal(err)
	}
	serve := func(method, target string, status int) {
		req := httptest.NewRequest(method, target, nil)
		req.SetBasicAuth(testAccessKey, testSecretKey)
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		if rec.Code != status {
			b.Fatalf("%s %s: status %d", method, target, rec.Code)
		}
	}
	b.Run("page", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve(http.MethodGet, target, http.StatusOK)
		}
	})
	b.Run("purchase-page-release", func(b *testing.B) {
		number := testNumberPath + inv.Numbers[len(inv.Numbers)/3+1].Number
		b.ReportAllocs()
		for b.Loop() {
			serve(http.MethodPost, number, http.StatusCreated)
			serve(http.MethodGet, target, http.StatusOK)
			serve(http.MethodDelete, number, http.StatusNoContent)
		}
	})
}

func BenchmarkDefaultInventoryAfterPurchases(b *testing.B) {
	for name, target := range map[string]string{
		"areacodes": PathAreaCodes + "?limit=400&offset=100&max_setup_cost=1.5",
		"exchanges": PathExchanges + "?limit=200&offset=400",
		"numbers":   PathNumbers + "?limit=200&offset=3000",
	} {
		b.Run(name, func(b *testing.B) { benchAfterPurchases(b, Generate(DefaultSeed, DefaultSize), target) })
	}
}

func BenchmarkSyntheticAreaCodesAfterPurchases(b *testing.B) {
	for name, target := range map[string]string{
		"areacodes": PathAreaCodes + "?limit=400&offset=50000&max_setup_cost=1.5",
		"exchanges": PathExchanges + "?limit=200&offset=50000",
		"numbers":   PathNumbers + "?limit=200&offset=50000",
	} {
		b.Run(name, func(b *testing.B) { benchAfterPurchases(b, SyntheticAreaCodes(100000), target) })
	}
}

func TestSkipWindow(t *testing.T) {
	items := []int{0, 1, 2, 3, 4, 5, 6, 7}
	for _, skip := range [][]int{nil, {0}, {7}, {0, 1}, {6, 7}, {2, 5}, {1, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7}} {
		var kept []int
		for _, v := range items {
			if !slices.Contains(skip, v) {
				kept = append(kept, v)
			}
		}
		all := skipWindow(items, skip)
		for start := range 10 {
			for count := 1; count < 10; count++ {
				page, more := all(start, count)
				want := kept[min(start, len(kept)):min(start+count, len(kept))]
				if !slices.Equal(page, want) || more != (start+count < len(kept)) {
					t.Fatalf("skip %v, start %d, count %d: %v %v, want %v %v",
						skip, start, count, page, more, want, start+count < len(kept))
				}
			}
		}
	}
}
