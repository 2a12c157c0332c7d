package flowroute

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

const createdRouteBody = `{"data": {"type": "route", "id": "98396",
  "attributes": {"route_type": "host", "value": "24.239.23.40:5060", "alias": "pbx-east", "edge_strategy_id": 1}}}`

// sent is what a request carried: "METHOD path content-type body".
type sent struct {
	mu       sync.Mutex
	requests []string
}

func (s *sent) record(req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	s.mu.Lock()
	s.requests = append(s.requests, strings.TrimSpace(req.Method+" "+req.URL.Path+" "+req.Header.Get("Content-Type")+" "+string(body)))
	s.mu.Unlock()
}

func (s *sent) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// answerWith writes an errors body of the given status.
func answerWith(code int) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"errors":[{"status":%d,"detail":"scripted"}]}`, code)
	}
}

func TestCreateRoute(t *testing.T) {
	var log sent
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		log.record(req)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, createdRouteBody)
	})
	c := newTestClient(t, srv.URL)
	one := 1
	r, err := c.CreateRoute(t.Context(), RouteSpec{RouteType: RouteTypeHost, Value: "24.239.23.40:5060", Alias: "pbx-east", EdgeStrategyID: &one})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "98396" || r.RouteType != "host" || r.Value != "24.239.23.40:5060" || r.Alias != "pbx-east" || *r.EdgeStrategyID != 1 {
		t.Errorf("route %+v", r)
	}
	if _, err := c.CreateRoute(t.Context(), RouteSpec{RouteType: RouteTypeNumber, Value: "12065551234", Alias: "cell"}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`POST /routes application/vnd.api+json {"data":{"attributes":{"alias":"pbx-east","edge_strategy_id":1,"route_type":"host","value":"24.239.23.40:5060"},"type":"route"}}`,
		`POST /routes application/vnd.api+json {"data":{"attributes":{"alias":"cell","route_type":"number","value":"12065551234"},"type":"route"}}`,
	}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sent %q, want %q", got, want)
	}
	for _, spec := range []RouteSpec{{Value: "x", Alias: "a"}, {RouteType: "host", Alias: "a"}, {RouteType: "host", Value: "x"}} {
		if _, err := c.CreateRoute(t.Context(), spec); err == nil || len(log.all()) != 2 {
			t.Errorf("%+v: %v", spec, err)
		}
	}
}

// A creation is repeated only when the API certainly did not act on it.
func TestCreateRouteNotRepeatedBlindly(t *testing.T) {
	for name, tc := range map[string]struct {
		answers  []func(http.ResponseWriter)
		attempts int64
		unknown  bool // ErrOutcomeUnknown; else created, or refused for sure
		refused  bool
	}{
		"created":          {attempts: 1},
		"429 retried":      {answers: []func(http.ResponseWriter){answerWith(429), answerWith(429)}, attempts: 3},
		"503 not repeated": {answers: []func(http.ResponseWriter){answerWith(503)}, attempts: 1, unknown: true},
		"reset not repeated": {answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				if tcp, ok := conn.(*net.TCPConn); ok {
					_ = tcp.SetLinger(0)
				}
				conn.Close()
			}
		}}, attempts: 1, unknown: true},
		"422 refused": {answers: []func(http.ResponseWriter){answerWith(422)}, attempts: 1, refused: true},
		"unreadable 201": {answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"data": {"type": "route"}}`)
		}}, attempts: 1, unknown: true},
	} {
		t.Run(name, func(t *testing.T) {
			var attempts atomic.Int64
			srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
				if n := int(attempts.Add(1)); n <= len(tc.answers) {
					tc.answers[n-1](w)
					return
				}
				w.WriteHeader(http.StatusCreated)
				fmt.Fprint(w, createdRouteBody)
			})
			r, err := newTestClient(t, srv.URL, WithMaxRetries(3)).CreateRoute(t.Context(),
				RouteSpec{RouteType: RouteTypeHost, Value: "24.239.23.40:5060", Alias: "pbx-east"})
			var apiErr *APIError
			switch {
			case tc.unknown != errors.Is(err, ErrOutcomeUnknown):
				t.Errorf("error %v, want outcome unknown: %v", err, tc.unknown)
			case tc.refused && !errors.As(err, &apiErr):
				t.Errorf("error %v, want the API's refusal", err)
			case !tc.unknown && !tc.refused && (err != nil || r.ID != "98396"):
				t.Errorf("route %+v, %v", r, err)
			}
			if n := attempts.Load(); n != tc.attempts {
				t.Errorf("%d attempts, want %d", n, tc.attempts)
			}
		})
	}
}

func TestUpdateRoute(t *testing.T) {
	var log sent
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		log.record(req)
		if req.URL.Path != "/routes/98396" {
			answerWith(404)(w)
			return
		}
		fmt.Fprint(w, createdRouteBody)
	})
	c := newTestClient(t, srv.URL)
	uri, value, alias, four := RouteTypeURI, "sip:pbx@example.com", "pbx", 4
	for _, u := range []RouteUpdate{{Alias: &alias}, {RouteType: &uri, Value: &value, EdgeStrategyID: &four}} {
		if _, err := c.UpdateRoute(t.Context(), "98396", u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.UpdateRoute(t.Context(), "12345", RouteUpdate{Alias: &alias}); !errors.Is(err, ErrRouteNotFound) {
		t.Errorf("an unknown route: %v", err)
	}
	want := []string{
		`PATCH /routes/98396 application/vnd.api+json {"data":{"attributes":{"alias":"pbx"},"type":"route"}}`,
		`PATCH /routes/98396 application/vnd.api+json {"data":{"attributes":{"edge_strategy_id":4,"route_type":"uri","value":"sip:pbx@example.com"},"type":"route"}}`,
		`PATCH /routes/12345 application/vnd.api+json {"data":{"attributes":{"alias":"pbx"},"type":"route"}}`,
	}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sent %q, want %q", got, want)
	}
	for _, bad := range []struct {
		id string
		u  RouteUpdate
	}{{"98396", RouteUpdate{}}, {"../numbers", RouteUpdate{Alias: &alias}}, {"", RouteUpdate{Alias: &alias}}} {
		if _, err := c.UpdateRoute(t.Context(), bad.id, bad.u); err == nil || len(log.all()) != 3 {
			t.Errorf("%q %+v: %v", bad.id, bad.u, err)
		}
	}
}

func TestDeleteRoute(t *testing.T) {
	for name, tc := range map[string]struct {
		answer          func(http.ResponseWriter)
		inUse, notFound bool
	}{
		"deleted":   {answer: func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }},
		"in use":    {answer: answerWith(403), inUse: true},
		"not found": {answer: answerWith(404), notFound: true},
		"keys may not act": {answer: func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, documented403)
		}},
		"403 from a proxy": {answer: func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, "<html>Forbidden</html>")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
				if req.Method != http.MethodDelete || req.URL.Path != "/routes/98396" {
					t.Errorf("%s %s", req.Method, req.URL.Path)
				}
				tc.answer(w)
			})
			err := newTestClient(t, srv.URL).DeleteRoute(t.Context(), "98396")
			var apiErr *APIError
			switch {
			case errors.Is(err, ErrRouteInUse) != tc.inUse || errors.Is(err, ErrRouteNotFound) != tc.notFound:
				t.Errorf("error %v", err)
			case name == "deleted" && err != nil, name != "deleted" && !errors.As(err, &apiErr):
				t.Errorf("error %v, want the API's answer", err)
			}
			if rec.count() != 1 {
				t.Errorf("%d requests", rec.count())
			}
		})
	}
}

// routesAPI serves total routes after the built-in one, honouring limit,
// offset and route_type.
func routesAPI(t *testing.T, total int) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		limit, offset := queryInt(t, q, "limit"), queryInt(t, q, "offset")
		items := []string{`{"type": "route", "id": "0", "attributes": {"alias": "sip-reg", "route_type": "sip-reg", "value": null}}`}
		for i := range total {
			items = append(items, fmt.Sprintf(`{"type": "route", "id": "%d", "attributes": {"alias": "r%d", "route_type": "number", "value": "1206555%04d"}}`,
				98396+i, i, i))
		}
		if q.Get("route_type") == "host" {
			items = nil
		}
		end := min(offset+limit, len(items))
		page := items[min(offset, end):end]
		next := ""
		if end < len(items) {
			next = `, "next": "https://api.flowroute.com/v2/routes?limit=` + strconv.Itoa(limit) + `&offset=` + strconv.Itoa(end) + `"`
		}
		fmt.Fprintf(w, `{"data": [%s], "links": {"self": "https://api.flowroute.com/v2/routes"%s}}`, strings.Join(page, ","), next)
	}
}

func TestListRoutes(t *testing.T) {
	srv, rec := serve(t, routesAPI(t, 450))
	c := newTestClient(t, srv.URL)
	routes, err := c.ListRoutes(t.Context(), RoutesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) != 451 || routes[0] != (Route{ID: "0", RouteType: RouteTypeSIPReg, Alias: "sip-reg"}) ||
		routes[450] != (Route{ID: "98845", RouteType: RouteTypeNumber, Value: "12065550449", Alias: "r449"}) {
		t.Fatalf("%d routes, first %+v", len(routes), routes[0])
	}
	// Pages of 200: three, plus at most one asked for past the end.
	if n := rec.count(); n < 3 || n > 4 {
		t.Errorf("%d requests for 451 routes", n)
	}
	for _, q := range rec.queries() {
		if !strings.HasPrefix(q, "limit=200&offset=") {
			t.Errorf("query %s", q)
		}
	}
	hosts, err := c.ListRoutes(t.Context(), RoutesQuery{RouteType: RouteTypeHost, Limit: intPtr(5)})
	if err != nil || len(hosts) != 0 || !strings.Contains(rec.queries()[rec.count()-1], "route_type=host") {
		t.Errorf("host routes %v, %v", hosts, err)
	}
	if _, err := c.ListRoutes(t.Context(), RoutesQuery{PageSize: 201}); err == nil {
		t.Error("a page of 201 accepted")
	}
}

// A null edge_strategy_id says the route has none; an answer without it
// says nothing of it.
func TestRouteEdgeStrategyShown(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data": [
			{"type": "route", "id": "1", "attributes": {"route_type": "host", "value": "a", "alias": "left out"}},
			{"type": "route", "id": "2", "attributes": {"route_type": "host", "value": "b", "alias": "none", "edge_strategy_id": null}},
			{"type": "route", "id": "3", "attributes": {"route_type": "host", "value": "c", "alias": "set", "edge_strategy_id": "4"}}]}`)
	})
	routes, err := newTestClient(t, srv.URL).ListRoutes(t.Context(), RoutesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		id    *int
		shown bool
	}{{nil, false}, {nil, true}, {intPtr(4), true}} {
		r := routes[i]
		if r.EdgeStrategyShown != want.shown || (r.EdgeStrategyID == nil) != (want.id == nil) ||
			want.id != nil && *r.EdgeStrategyID != *want.id {
			t.Errorf("route %s: edge strategy %v shown %t, want %v shown %t", r.ID, r.EdgeStrategyID, r.EdgeStrategyShown, want.id, want.shown)
		}
	}
	srv, _ = serve(t, func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data": [{"type": "route", "id": "1", "attributes": {"route_type": "host", "value": "a", "alias": "x", "edge_strategy_id": [4]}}]}`)
	})
	if _, err := newTestClient(t, srv.URL).ListRoutes(t.Context(), RoutesQuery{}); !errors.Is(err, ErrMalformedResponse) ||
		!strings.Contains(err.Error(), "edge_strategy_id") {
		t.Errorf("error %v, want a malformed answer naming edge_strategy_id", err)
	}
}

func TestListEdgeStrategies(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/routes/edge_strategies" || req.URL.RawQuery != "" {
			t.Errorf("%s?%s", req.URL.Path, req.URL.RawQuery)
		}
		fmt.Fprint(w, `{"data": [
			{"type": "edge_strategy", "id": 4, "attributes": {"name": "US-East-VA", "description": "Ashburn", "naptr": "us-east-va.sip.flowroute.com", "firewall_rules": "allow"}},
			{"type": "edge_strategy", "id": "5", "attributes": {"name": "EU-West-UK"}}]}`)
	})
	got, err := newTestClient(t, srv.URL).ListEdgeStrategies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []EdgeStrategy{
		{ID: 4, Name: "US-East-VA", Description: "Ashburn", NAPTR: "us-east-va.sip.flowroute.com", FirewallRules: "allow"},
		{ID: 5, Name: "EU-West-UK"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || rec.count() != 1 {
		t.Errorf("edge strategies %+v", got)
	}
	for _, body := range []string{`{"data": [{"id": "four"}]}`, `{"data": [{"id": 4.5}]}`, `{"data": [{"attributes": {}}]}`, `{}`} {
		srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, body) })
		if _, err := newTestClient(t, srv.URL).ListEdgeStrategies(t.Context()); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: %v", body, err)
		}
	}
}

func TestNumberRoutes(t *testing.T) {
	var log sent
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		log.record(req)
		if strings.Contains(req.URL.Path, "19995550100") {
			answerWith(404)(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c := newTestClient(t, srv.URL)
	if err := c.SetNumberRoute(t.Context(), "16502390214", PrimaryRoute, "98396"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetNumberRoute(t.Context(), "16502390214", FailoverRoute, "0"); err != nil {
		t.Fatal(err)
	}
	if err := c.ClearNumberRoute(t.Context(), "16502390214", FailoverRoute); err != nil {
		t.Fatal(err)
	}
	if err := c.SetNumberRoute(t.Context(), "19995550100", PrimaryRoute, "98396"); !errors.Is(err, ErrRouteNotFound) {
		t.Errorf("404 on a relationship: %v", err)
	}
	var apiErr *APIError
	if err := c.ClearNumberRoute(t.Context(), "19995550100", PrimaryRoute); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("404 on clearing: %v", err)
	}
	want := []string{
		`PATCH /numbers/16502390214/relationships/primary_route application/vnd.api+json {"data":{"id":"98396","type":"route"}}`,
		`PATCH /numbers/16502390214/relationships/failover_route application/vnd.api+json {"data":{"id":"0","type":"route"}}`,
		`DELETE /numbers/16502390214/relationships/failover_route`,
		`PATCH /numbers/19995550100/relationships/primary_route application/vnd.api+json {"data":{"id":"98396","type":"route"}}`,
		`DELETE /numbers/19995550100/relationships/primary_route`,
	}
	if got := log.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sent %q\nwant %q", got, want)
	}
	for _, bad := range []func() error{
		func() error { return c.SetNumberRoute(t.Context(), "1650/../x", PrimaryRoute, "98396") },
		func() error { return c.SetNumberRoute(t.Context(), "16502390214", "cnam", "98396") },
		func() error { return c.SetNumberRoute(t.Context(), "16502390214", PrimaryRoute, "") },
		func() error { return c.ClearNumberRoute(t.Context(), "", FailoverRoute) },
	} {
		if bad() == nil {
			t.Error("accepted")
		}
	}
	if n := len(log.all()); n != len(want) {
		t.Errorf("%d requests, want %d", n, len(want))
	}
}
