package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const (
	routeExample = `{"data": {"type": "route", "attributes": {"route_type": "host", "value": "24.239.23.40:5060", "alias": "pbx-east", "edge_strategy_id": 1}}}`
	sipRegJSON   = `{"type": "route", "id": "0", "attributes": {"alias": "sip-reg", "edge_strategy_id": null, "route_type": "sip-reg", "value": null}}`
)

// routeBody is a route envelope with the given attributes.
func routeBody(attributes string) string {
	return `{"data": {"type": "route", "attributes": {` + attributes + `}}}`
}

func (h *harness) createRoute(attributes string) string {
	h.t.Helper()
	resp, body := h.send(http.MethodPost, PathRoutes, contentTypeJSONAPI, routeBody(attributes))
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("create %s: %d %s", attributes, resp.StatusCode, body)
	}
	var doc struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		h.t.Fatal(err)
	}
	return doc.Data.ID
}

func TestRouteLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	resp, body := h.send(http.MethodPost, PathRoutes, contentTypeJSONAPI, routeExample)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != contentTypeJSONAPI {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	created := `{"type": "route", "id": "98396", "attributes": {"alias": "pbx-east", "edge_strategy_id": 1, "route_type": "host", "value": "24.239.23.40:5060"}}`
	assertSameJSON(t, body, []byte(`{"data": `+created+`}`))

	// The built-in route comes first; the filter keeps one type.
	_, body = h.get(PathRoutes)
	assertSameJSON(t, body, []byte(`{"data": [`+sipRegJSON+`, `+created+`], "links": {"self": "`+h.ts.URL+`/v2/routes?limit=10&offset=0"}}`))
	if ids, _ := h.walk(PathRoutes + "?route_type=host"); !slices.Equal(ids, []string{"98396"}) {
		t.Fatalf("host routes %v", ids)
	}
	if ids, _ := h.walk(PathRoutes + "?route_type=sip-reg"); !slices.Equal(ids, []string{"0"}) {
		t.Fatalf("sip-reg routes %v", ids)
	}

	// A PATCH sets what it names: here the type and value, and clears the
	// edge strategy; a data.id, when sent, is the path's.
	resp, body = h.send(http.MethodPatch, PathRoutes+"/98396", "application/json",
		`{"data": {"type": "route", "id": "98396", "attributes": {"route_type": "uri", "value": "sip:pbx@example.com;transport=tls", "edge_strategy_id": null}}}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("update: %d %s", resp.StatusCode, body)
	}
	// The cleared strategy reads null, not left out: an answer without it would say nothing of it.
	assertSameJSON(t, body, []byte(`{"data": {"type": "route", "id": "98396", "attributes": {"alias": "pbx-east", "edge_strategy_id": null, "route_type": "uri", "value": "sip:pbx@example.com;transport=tls"}}}`))
	want := []Route{sipReg, {ID: "98396", RouteType: RouteTypeURI, Value: "sip:pbx@example.com;transport=tls", Alias: "pbx-east"}}
	if got := h.sim.Routes(); !slices.EqualFunc(got, want, sameRoute) {
		t.Fatalf("routes %+v", got)
	}

	resp, body = h.send(http.MethodDelete, PathRoutes+"/98396", "", "")
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	for _, method := range []string{http.MethodPatch, http.MethodDelete} {
		resp, body = h.send(method, PathRoutes+"/98396", contentTypeJSONAPI, routeBody(`"alias": "gone"`))
		checkNotOnAccount(t, resp, body)
	}
	// Ids are never reused.
	if id := h.createRoute(`"route_type": "number", "value": "12065551234", "alias": "cell"`); id != "98397" {
		t.Fatalf("next id %s", id)
	}
}

func sameRoute(a, b Route) bool {
	return a.ID == b.ID && a.RouteType == b.RouteType && a.Value == b.Value && a.Alias == b.Alias &&
		(a.EdgeStrategyID == nil) == (b.EdgeStrategyID == nil) && (a.EdgeStrategyID == nil || *a.EdgeStrategyID == *b.EdgeStrategyID)
}

func TestBuiltInRouteIsFixed(t *testing.T) {
	h := newHarness(t, Options{})
	for _, method := range []string{http.MethodPatch, http.MethodDelete} {
		resp, body := h.send(method, PathRoutes+"/0", contentTypeJSONAPI, routeBody(`"alias": "mine"`))
		if e := checkErrors(t, resp, body, http.StatusForbidden); e["detail"] != detailBuiltInRoute {
			t.Fatalf("%s: %s", method, body)
		}
	}
	if got := h.sim.Routes(); len(got) != 1 || !sameRoute(got[0], sipReg) {
		t.Fatalf("routes %+v", got)
	}
}

func TestRouteBodiesChecked(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.createRoute(`"route_type": "host", "value": "pbx.example.com", "alias": "pbx"`)
	for _, tc := range []struct {
		name, body, want string
		update           bool
	}{
		{"not JSON", `{`, `"data" object`, false},
		{"no data", `{"type": "route"}`, `"data" object`, false},
		{"wrong type", `{"data": {"type": "number", "attributes": {}}}`, `data.type must be "route"`, false},
		{"id on create", `{"data": {"type": "route", "id": "5", "attributes": {}}}`, "data.id", false},
		{"other id on update", `{"data": {"type": "route", "id": "5", "attributes": {}}}`, "data.id", true},
		{"no route_type", routeBody(`"value": "pbx.example.com", "alias": "pbx"`), "route_type is required", false},
		{"no value", routeBody(`"route_type": "host", "alias": "pbx"`), "value is required", false},
		{"no alias", routeBody(`"route_type": "host", "value": "pbx.example.com"`), "alias is required", false},
		{"empty alias", routeBody(`"alias": ""`), "alias must be a non-empty string", true},
		{"alias null", routeBody(`"alias": null`), "alias must be a non-empty string", true},
		{"route_type sip-reg", routeBody(`"route_type": "sip-reg"`), "route_type must be one of: host, number, uri", true},
		{"value of the wrong type", routeBody(`"value": 5060`), "value must be a non-empty string", true},
		{"bad host", routeBody(`"route_type": "host", "value": "pbx..example.com", "alias": "pbx"`), "not valid for route_type host", false},
		{"type change keeps a value of the old type", routeBody(`"route_type": "number"`), "not valid for route_type number", true},
		{"unknown edge strategy", routeBody(`"edge_strategy_id": 99`), "edge_strategy_id must be the id of an edge strategy (1 to 5) or null", true},
		{"edge strategy as text", routeBody(`"edge_strategy_id": "1"`), "edge_strategy_id", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method, target := http.MethodPost, PathRoutes
			if tc.update {
				method, target = http.MethodPatch, PathRoutes+"/"+id
			}
			resp, body := h.send(method, target, contentTypeJSONAPI, tc.body)
			detail, _ := checkErrors(t, resp, body, http.StatusUnprocessableEntity)["detail"].(string)
			if !strings.Contains(detail, tc.want) {
				t.Fatalf("detail %q, want %q", detail, tc.want)
			}
		})
	}
	resp, body := h.send(http.MethodPost, PathRoutes, "text/plain", routeExample)
	checkErrors(t, resp, body, http.StatusUnsupportedMediaType)
	if got := h.sim.Routes(); len(got) != 2 || got[1].Value != "pbx.example.com" {
		t.Fatalf("a refused request changed the routes: %+v", got)
	}
}

func TestRouteValues(t *testing.T) {
	for routeType, values := range map[string]struct{ valid, invalid []string }{
		RouteTypeHost: {
			valid: []string{"24.239.23.40", "24.239.23.40:5060", "pbx.example.com", "pbx.example.com:5080", "PBX-1.Example.COM",
				"2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:5060", "pbx.example.com;weight=0", "24.239.23.40:5060;weight=1000", "localhost"},
			invalid: []string{"", "pbx..example.com", "-pbx.example.com", "pbx.example.com:0", "pbx.example.com:65536",
				"pbx.example.com:05060", "pbx.example.com:", "24.239.23.400", "1.2.3", "2001:db8::1:5060x", "[24.239.23.40]:5060",
				"[2001:db8::1]5060", "pbx.example.com;weight=1001", "pbx.example.com;weight=", "pbx.example.com;weight=-1",
				"pbx_1.example.com", "pbx.example.com.", "sip:pbx@example.com", strings.Repeat("a", 64) + ".com"},
		},
		RouteTypeURI: {
			valid: []string{"sip:pbx@example.com", "sip:pbx@example.com:5060", "sip:+12065551234@24.239.23.40;transport=udp",
				"sip:pbx@[2001:db8::1]:5061;transport=tls", "sip:pbx@example.com;transport=tcp;weight=20"},
			invalid: []string{"pbx@example.com", "sip:example.com", "sip:@example.com", "sips:pbx@example.com",
				"sip:pbx@example.com;transport=sctp", "sip:pbx@example.com:99999", "sip:p;b@example.com", "sip:pbx@example.com;weight=5;transport=tcp"},
		},
		RouteTypeNumber: {
			valid:   []string{"12065551234", "12065551234;weight=500"},
			invalid: []string{"2065551234", "+12065551234", "120655512345", "1206555123x", "12065551234;weight=2000"},
		},
	} {
		for _, v := range values.valid {
			if err := checkRouteValue(routeType, v); err != nil {
				t.Errorf("%s %q: %v", routeType, v, err)
			}
		}
		for _, v := range values.invalid {
			if err := checkRouteValue(routeType, v); err == nil {
				t.Errorf("%s %q accepted", routeType, v)
			}
		}
	}
}

func TestRoutesListPaging(t *testing.T) {
	h := newHarness(t, Options{})
	want := []string{"0"}
	for i := range 450 {
		r := Route{RouteType: RouteTypeHost, Value: fmt.Sprintf("pbx%d.example.com", i), Alias: fmt.Sprintf("pbx-%d", i)}
		if i%3 == 0 {
			r.RouteType, r.Value = RouteTypeNumber, fmt.Sprintf("1206555%04d", i)
		}
		want = append(want, h.sim.AddRoute(r))
	}
	ids, pages := h.walk(PathRoutes + "?limit=200")
	if !slices.Equal(ids, want) || len(pages) != 3 {
		t.Fatalf("%d routes in %d pages", len(ids), len(pages))
	}
	if next := *pages[0].Links.Next; next != h.ts.URL+"/v2/routes?limit=200&offset=200" {
		t.Fatalf("next %s", next)
	}
	numbers, pages := h.walk(PathRoutes + "?limit=100&route_type=number")
	if len(numbers) != 150 || !strings.Contains(*pages[0].Links.Next, "route_type=number") {
		t.Fatalf("%d number routes", len(numbers))
	}
	if ids, _ := h.walk(PathRoutes); len(ids) != 451 {
		t.Fatalf("default pages: %d routes", len(ids))
	}
	for _, query := range []string{"limit=201", "limit=0", "offset=-1", "limit=x", "route_type=sip"} {
		h.errorAnswer(PathRoutes+"?"+query, http.StatusUnprocessableEntity)
	}
}

func TestRouteMethodsAndPaths(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.sim.AddRoute(Route{RouteType: RouteTypeHost, Value: "pbx.example.com", Alias: "pbx"})
	for target, allow := range map[string]string{
		PathRoutes:            "GET, POST",
		PathRoutes + "/" + id: "PATCH, DELETE",
		PathEdgeStrategies:    "GET",
		PathOwnedNumbers + "/12065550100/relationships/primary_route": "PATCH, DELETE",
	} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPost} {
			if strings.Contains(allow, method) {
				continue
			}
			resp, body := h.send(method, target, "", "")
			checkErrors(t, resp, body, http.StatusMethodNotAllowed)
			if resp.Header.Get("Allow") != allow {
				t.Fatalf("%s %s: Allow %q", method, target, resp.Header.Get("Allow"))
			}
		}
	}
	for _, target := range []string{PathRoutes + "/", PathRoutes + "/x1", PathOwnedNumbers + "/12065550100/relationships/cnam",
		PathOwnedNumbers + "/x/relationships/primary_route"} {
		resp, body := h.send(http.MethodDelete, target, "", "")
		checkErrors(t, resp, body, http.StatusNotFound)
	}
}

func TestNumberRoutes(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	primary := h.createRoute(`"route_type": "host", "value": "24.239.23.40:5060", "alias": "pbx-east", "edge_strategy_id": 4`)
	failover := h.createRoute(`"route_type": "number", "value": "12065551234", "alias": "cell"`)
	relation := func(role routeRole) string { return PathOwnedNumbers + "/" + number + "/relationships/" + string(role) }
	ref := func(id string) string { return `{"data": {"type": "route", "id": "` + id + `"}}` }
	set := func(method string, role routeRole, body string) (*http.Response, []byte) {
		return h.send(method, relation(role), contentTypeJSONAPI, body)
	}

	for role, id := range map[routeRole]string{primaryRoute: primary, failoverRoute: failover} {
		if resp, body := set(http.MethodPatch, role, ref(id)); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
			t.Fatalf("%s: %d %s", role, resp.StatusCode, body)
		}
	}
	h.checkNumberRoutes(number, `{"primary_route": {"data": {"type": "route", "id": "`+primary+`"}},
		"failover_route": {"data": {"type": "route", "id": "`+failover+`"}}}`, `[
		{"type": "route", "id": "`+primary+`", "attributes": {"alias": "pbx-east", "edge_strategy_id": 4, "route_type": "host", "value": "24.239.23.40:5060"}},
		{"type": "route", "id": "`+failover+`", "attributes": {"alias": "cell", "edge_strategy_id": null, "route_type": "number", "value": "12065551234"}}]`)

	// Either role keeps the route from being deleted.
	for _, id := range []string{primary, failover} {
		resp, body := h.send(http.MethodDelete, PathRoutes+"/"+id, "", "")
		if e := checkErrors(t, resp, body, http.StatusForbidden); e["detail"] != "Please disassociate all numbers before deleting." {
			t.Fatalf("in use: %s", body)
		}
		if err := h.sim.DeleteRouteOutside(id); err == nil {
			t.Fatal("deleted a route in use outside")
		}
	}

	// Unknown numbers and routes, bad bodies.
	for _, tc := range []struct {
		target, body string
		status       int
	}{
		{PathOwnedNumbers + "/19995550100/relationships/primary_route", ref(primary), http.StatusNotFound},
		{relation(primaryRoute), ref("12345"), http.StatusNotFound},
		{relation(primaryRoute), `{"data": {"type": "route", "id": 98396}}`, http.StatusUnprocessableEntity},
		{relation(failoverRoute), `{"data": {"type": "number", "id": "98396"}}`, http.StatusUnprocessableEntity},
		{relation(failoverRoute), `{"data": null}`, http.StatusUnprocessableEntity},
	} {
		resp, body := h.send(http.MethodPatch, tc.target, contentTypeJSONAPI, tc.body)
		if resp.StatusCode != tc.status {
			t.Fatalf("PATCH %s %s: %d %s", tc.target, tc.body, resp.StatusCode, body)
		}
		if tc.status == http.StatusNotFound {
			checkNotOnAccount(t, resp, body)
		}
	}

	// DELETE puts the primary route back to sip-reg, the failover to none.
	for _, role := range []routeRole{primaryRoute, failoverRoute} {
		if resp, body := set(http.MethodDelete, role, ""); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("clear %s: %d %s", role, resp.StatusCode, body)
		}
	}
	owned := h.sim.OwnedNumbers()[0]
	if owned.PrimaryRouteID != "0" || owned.FailoverRouteID != "" {
		t.Fatalf("after clearing: %+v", owned)
	}
	h.checkNumberRoutes(number, `{"primary_route": {"data": {"type": "route", "id": "0"}}, "failover_route": {"data": null}}`,
		"["+sipRegJSON+"]")
	if resp, body := h.send(http.MethodDelete, PathRoutes+"/"+primary, "", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete once free: %d %s", resp.StatusCode, body)
	}
}

// checkNumberRoutes checks the route relationships of a number's answer
// and the routes it includes.
func (h *harness) checkNumberRoutes(number, relationships, included string) {
	h.t.Helper()
	_, body := h.get(testNumberPath + number)
	var doc struct {
		Data struct {
			Relationships map[string]json.RawMessage `json:"relationships"`
		} `json:"data"`
		Included json.RawMessage `json:"included"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		h.t.Fatal(err)
	}
	routes, err := json.Marshal(map[string]json.RawMessage{
		"primary_route": doc.Data.Relationships["primary_route"], "failover_route": doc.Data.Relationships["failover_route"],
	})
	if err != nil {
		h.t.Fatal(err)
	}
	assertSameJSON(h.t, routes, []byte(relationships))
	assertSameJSON(h.t, doc.Included, []byte(included))
}

func TestEdgeStrategiesList(t *testing.T) {
	h := newHarness(t, Options{})
	resp, body := h.get(PathEdgeStrategies)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var doc struct {
		Data []struct {
			Type       string            `json:"type"`
			ID         json.RawMessage   `json:"id"`
			Attributes map[string]string `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Data) != len(EdgeStrategies) {
		t.Fatalf("%v: %s", err, body)
	}
	for i, e := range doc.Data {
		if string(e.ID) != strconv.Itoa(i+1) || e.Type != "edge_strategy" || e.Attributes["name"] == "" ||
			!strings.HasSuffix(e.Attributes["naptr"], ".sip.flowroute.com") || e.Attributes["description"] == "" ||
			e.Attributes["firewall_rules"] == "" || len(e.Attributes) != 4 {
			t.Fatalf("edge strategy %d: %+v", i, e)
		}
	}
	if doc.Data[3].Attributes["name"] != "US-East-VA" || doc.Data[3].Attributes["naptr"] != "us-east-va.sip.flowroute.com" {
		t.Fatalf("the reference's example: %+v", doc.Data[3])
	}
}

// Faults are generic: on the routes paths too, a fault that answers leaves
// the account alone unless ActFirst.
func TestRouteFaults(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Method: http.MethodPost, Path: PathRoutes, Status: http.StatusServiceUnavailable, Times: 1})
	h.sim.AddFault(Fault{Method: http.MethodPost, Path: PathRoutes, Status: http.StatusBadGateway, ActFirst: true, Times: 1})
	h.sim.AddFault(Fault{PathPrefix: PathOwnedNumbers + "/", Method: http.MethodPatch, Status: http.StatusTooManyRequests, Times: 1})
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusBadGateway} {
		resp, body := h.send(http.MethodPost, PathRoutes, contentTypeJSONAPI, routeExample)
		checkErrors(t, resp, body, status)
	}
	if got := h.sim.Routes(); len(got) != 2 || got[1].ID != "98396" {
		t.Fatalf("routes after the faults: %+v", got)
	}
	number := h.sim.Inventory().SearchNumbers(NumberFilter{})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	resp, body := h.send(http.MethodPatch, PathOwnedNumbers+"/"+number+"/relationships/primary_route", contentTypeJSONAPI,
		`{"data": {"type": "route", "id": "98396"}}`)
	checkErrors(t, resp, body, http.StatusTooManyRequests)
	if h.sim.OwnedNumbers()[0].PrimaryRouteID != "0" {
		t.Fatal("a throttled request changed the number's route")
	}
}

func TestRouteHelpers(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	id := h.sim.AddRoute(Route{ID: "7", RouteType: RouteTypeHost, Value: "pbx.example.com", Alias: "pbx", EdgeStrategyID: intPtr(2)})
	if id != "98396" {
		t.Fatalf("id %s", id)
	}
	// Routes is a copy.
	h.sim.Routes()[1].Alias = "changed"
	*h.sim.Routes()[1].EdgeStrategyID = 3
	if r := h.sim.Routes()[1]; r.Alias != "pbx" || *r.EdgeStrategyID != 2 {
		t.Fatalf("Routes shares storage: %+v", r)
	}
	for _, bad := range []func() error{
		func() error { return h.sim.SetPrimaryRoute("19995550100", id) },
		func() error { return h.sim.SetPrimaryRoute(number, "12345") },
		func() error { return h.sim.DeleteRouteOutside("12345") },
		func() error { return h.sim.DeleteRouteOutside("0") },
	} {
		if bad() == nil {
			t.Fatal("accepted")
		}
	}
	if err := h.sim.SetFailoverRoute(number, id); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.DeleteRouteOutside(id); err == nil {
		t.Fatal("deleted a route in use")
	}
	if err := h.sim.SetFailoverRoute(number, ""); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.DeleteRouteOutside(id); err != nil || len(h.sim.Routes()) != 1 {
		t.Fatalf("delete: %v", err)
	}
}

func TestConcurrentRouteCreates(t *testing.T) {
	h := newHarness(t, Options{})
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			resp, body, err := h.do(http.MethodGet, PathRoutes)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("list: %v %s", err, body)
			}
			h.sim.AddRoute(Route{RouteType: RouteTypeNumber, Value: fmt.Sprintf("120655500%02d", i), Alias: strconv.Itoa(i)})
		})
	}
	wg.Wait()
	routes := h.sim.Routes()
	ids := make([]string, 0, len(routes))
	for _, r := range routes[1:] {
		ids = append(ids, r.ID)
	}
	if len(slices.Compact(ids)) != 20 || !slices.IsSortedFunc(ids, compareIDs) {
		t.Fatalf("ids %v", ids)
	}
}

func TestSaveAndLoadRoutes(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{})[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	first := h.createRoute(`"route_type": "host", "value": "pbx.example.com", "alias": "pbx", "edge_strategy_id": 1`)
	second := h.createRoute(`"route_type": "number", "value": "12065551234", "alias": "cell"`)
	if err := h.sim.SetPrimaryRoute(number, second); err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	if err := h.sim.SaveAccount(&saved); err != nil {
		t.Fatal(err)
	}
	other := newHarness(t, Options{})
	if err := other.sim.LoadAccount(bytes.NewReader(saved.Bytes())); err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(other.sim.Routes(), h.sim.Routes(), sameRoute) || other.sim.OwnedNumbers()[0].PrimaryRouteID != second {
		t.Fatalf("loaded %+v", other.sim.Routes())
	}
	// Ids go on after the highest loaded.
	if id := other.createRoute(`"route_type": "number", "value": "12065551235", "alias": "desk"`); id != "98398" {
		t.Fatalf("id after load %s (saved %s, %s)", id, first, second)
	}
	for _, bad := range []string{`{"numbers": [], "routes": [{"id": "x"}]}`, `{"numbers": [], "routes": [{"id": "0"}]}`,
		`{"numbers": [], "routes": [{"id": "5"}, {"id": "5"}]}`, `{"numbers": [], "routes": [{"id": "05"}]}`} {
		if err := other.sim.LoadAccount(strings.NewReader(bad)); err == nil {
			t.Fatalf("loaded %s", bad)
		}
	}
}
