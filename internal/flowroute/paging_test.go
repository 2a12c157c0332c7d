package flowroute

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func listAreaCodes(t *testing.T, baseURL string, q AreaCodesQuery) ([]AreaCode, error) {
	t.Helper()
	return newTestClient(t, baseURL).ListAvailableAreaCodes(t.Context(), q)
}

func TestListsEveryAreaCodeInOrder(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 950}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 950)
	if got[0].ExchangesURL != "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=200" {
		t.Errorf("ExchangesURL = %q", got[0].ExchangesURL)
	}
	want := []string{"limit=400&offset=0", "limit=400&offset=400", "limit=400&offset=800"}
	if !reflect.DeepEqual(rec.queries(), want) {
		t.Errorf("queries %v, want %v", rec.queries(), want)
	}
}

func TestSeedPage(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(seed200Body)) })
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Limit: intPtr(2)})
	if err != nil {
		t.Fatal(err)
	}
	want := []AreaCode{
		{"201", "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=201"},
		{"202", "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=202"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if q := rec.queries(); len(q) != 1 || q[0] != "limit=2&offset=0" {
		t.Errorf("queries %v, want exactly one with limit=2", q)
	}
}

func TestStopRules(t *testing.T) {
	page := func(next string) string {
		return `{"data": [{"id": "201"}, {"id": "202"}], "links": {"self": "x"` + next + `}}`
	}
	for name, body := range map[string]string{
		"next absent": page(""),
		"next null":   page(`, "next": null`),
		"next empty":  page(`, "next": ""`),
		"no links":    `{"data": [{"id": "201"}, {"id": "202"}]}`,
		"null links":  `{"data": [{"id": "201"}, {"id": "202"}], "links": null}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
			got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Window: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || rec.count() != 1 {
				t.Errorf("%d items after %d requests, want 2 after 1", len(got), rec.count())
			}
		})
	}
}

func TestEmptyPageEndsList(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 800, nextOnFullLast: true}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 800)
	if rec.count() != 3 {
		t.Errorf("%d requests, want 3 (the last one empty)", rec.count())
	}
}

func TestOffsetPastTheEnd(t *testing.T) {
	srv, _ := serve(t, areaCodesAPI{total: 10}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Offset: 50})
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || len(got) != 0 {
		t.Errorf("got %#v, want an empty list", got)
	}
}

func TestOffsetAndCap(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 1000}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Offset: 5, Limit: intPtr(7), PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 5, 7)
	want := []string{"limit=3&offset=5", "limit=3&offset=8", "limit=1&offset=11"}
	if q := rec.queries(); !sameElements(q, want) {
		t.Errorf("queries %v, want %v", q, want)
	}
}

func TestLimit2IsOneRequest(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 1000}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Limit: intPtr(2), Window: 5})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 2)
	if q := rec.queries(); len(q) != 1 || q[0] != "limit=2&offset=0" {
		t.Errorf("queries %v", q)
	}
}

func TestLimit500IsTwoRequests(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 1000}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Limit: intPtr(500), Window: 5})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 500)
	if q := rec.queries(); !sameElements(q, []string{"limit=400&offset=0", "limit=100&offset=400"}) {
		t.Errorf("queries %v", q)
	}
}

func TestLimitAboveTotal(t *testing.T) {
	srv, _ := serve(t, areaCodesAPI{total: 450}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Limit: intPtr(10000)})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 450)
}

func TestPageLargerThanAsked(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(pageJSON([]string{"201", "202", "203"}, "more"))
	})
	_, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Limit: intPtr(2)})
	if !errors.Is(err, ErrInconsistentPaging) || !strings.Contains(err.Error(), "more than the 2 asked for") {
		t.Errorf("error %v", err)
	}
}

func TestRepeatingServer(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(pageJSON([]string{"201", "202"}, "more"))
	})
	_, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Window: 1})
	if !errors.Is(err, ErrInconsistentPaging) || !strings.Contains(err.Error(), "repeats items") {
		t.Errorf("error %v", err)
	}
	if rec.count() != 2 {
		t.Errorf("%d requests, want 2", rec.count())
	}
}

func TestDuplicatesAcrossPagesDropped(t *testing.T) {
	// Each page repeats the last item of the one before, as a list shifting
	// under the reader would.
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		offset, limit := queryInt(t, q, "offset"), queryInt(t, q, "limit")
		var ids []string
		for i := max(offset-1, 0); i < min(offset-1+limit, 10); i++ {
			ids = append(ids, areaID(i))
		}
		next := ""
		if offset+len(ids) < 11 {
			next = "more"
		}
		_, _ = w.Write(pageJSON(ids, next))
	})
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{PageSize: 4, Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 10)
}

func TestMaxSetupCostFormatting(t *testing.T) {
	// A slice: -0 and 0 are the same map key.
	for _, tc := range []struct {
		cost float64
		want string
	}{
		{1.5, "1.5"}, {0, "0"}, {math.Copysign(0, -1), "0"}, {0.05, "0.05"}, {3.25, "3.25"},
		{1e-7, "0.0000001"}, {1e21, "1000000000000000000000"}, {100, "100"},
	} {
		srv, rec := serve(t, areaCodesAPI{total: 1}.handler(t))
		if _, err := listAreaCodes(t, srv.URL, AreaCodesQuery{MaxSetupCost: floatPtr(tc.cost), Window: 1}); err != nil {
			t.Fatal(err)
		}
		if got := rec.all()[0].URL.Query().Get("max_setup_cost"); got != tc.want {
			t.Errorf("max_setup_cost for %v sent as %q, want %q", tc.cost, got, tc.want)
		}
	}
}

func TestBadQueriesSendNothing(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 10}.handler(t))
	for name, q := range map[string]AreaCodesQuery{
		"zero limit":         {Limit: intPtr(0)},
		"negative limit":     {Limit: intPtr(-3)},
		"negative offset":    {Offset: -1},
		"negative cost":      {MaxSetupCost: floatPtr(-0.01)},
		"NaN cost":           {MaxSetupCost: floatPtr(math.NaN())},
		"infinite cost":      {MaxSetupCost: floatPtr(math.Inf(1))},
		"negative page size": {PageSize: -1},
		"page size too big":  {PageSize: 401},
		"negative window":    {Window: -1},
	} {
		if _, err := listAreaCodes(t, srv.URL, q); err == nil || !strings.HasPrefix(err.Error(), "invalid area codes query: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d requests sent for bad queries", rec.count())
	}
}

func TestNextLinkNeverFollowed(t *testing.T) {
	foreign, foreignRec := serve(t, areaCodesAPI{total: 1000}.handler(t))
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		offset := queryInt(t, req.URL.Query(), "offset")
		var ids []string
		for i := offset; i < min(offset+2, 6); i++ {
			ids = append(ids, areaID(i))
		}
		next := ""
		if offset+len(ids) < 6 {
			next = foreign.URL + "/v2/numbers/available/areacodes?limit=2&offset=" + fmt.Sprint(offset+len(ids))
		}
		_, _ = w.Write(pageJSON(ids, next))
	})
	got, err := listAreaCodes(t, srv.URL+"/v2", AreaCodesQuery{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 6)
	if foreignRec.count() != 0 {
		t.Errorf("the host in the next link got %d requests", foreignRec.count())
	}
	for _, req := range rec.all() {
		if req.URL.Path != "/v2/numbers/available/areacodes" {
			t.Errorf("request to %s", req.URL.Path)
		}
	}
}

func TestShortPagesRefetchedFromTheRightOffset(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 1000, serveMax: 150}.handler(t))
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{Window: 3})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 1000)
	for _, q := range rec.queries() {
		if q == "limit=400&offset=300" {
			return // a page asked at an offset that a short page made real
		}
	}
	t.Errorf("queries %v never follow the short pages", rec.queries())
}

func TestRequestsBoundedWithFullPages(t *testing.T) {
	for _, tc := range []struct{ total, page, window int }{
		{2000, 100, 4}, {2050, 100, 4}, {399, 400, 2}, {400, 400, 2}, {401, 400, 3}, {0, 400, 2}, {5, 1, 7},
	} {
		srv, rec := serve(t, areaCodesAPI{total: tc.total}.handler(t))
		got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{PageSize: tc.page, Window: tc.window})
		if err != nil {
			t.Fatal(err)
		}
		wantIDs(t, got, 0, tc.total)
		pages := (tc.total + tc.page - 1) / tc.page
		if bound := max(pages, 1) + tc.window - 1; rec.count() > bound {
			t.Errorf("%+v: %d requests, bound %d", tc, rec.count(), bound)
		}
		if rec.peak() > tc.window {
			t.Errorf("%+v: %d requests in flight at once", tc, rec.peak())
		}
	}
}

// TestWindowOverlapsRequests proves concurrency without timing: each of the
// first two requests waits until the other has arrived.
func TestWindowOverlapsRequests(t *testing.T) {
	var arrived sync.WaitGroup
	arrived.Add(2)
	var n atomic.Int32
	api := areaCodesAPI{total: 800}.handler(t)
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if n.Add(1) <= 2 {
			arrived.Done()
			done := make(chan struct{})
			go func() { arrived.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Error("the second page was not requested while the first was in flight")
			}
		}
		api(w, req)
	})
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 800)
	if rec.peak() != 2 {
		t.Errorf("peak of %d requests in flight, want 2", rec.peak())
	}
}

func TestWindowKeepsOrderWhenPagesArriveOutOfOrder(t *testing.T) {
	api := areaCodesAPI{total: 1000}.handler(t)
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		// Earlier pages answer later.
		offset := queryInt(t, req.URL.Query(), "offset")
		time.Sleep(time.Duration(1000-offset) * time.Millisecond / 50)
		api(w, req)
	})
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{PageSize: 100, Window: 4})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 1000)
}

func TestShortListCancelsSpeculativePage(t *testing.T) {
	speculativeArrived := make(chan struct{})
	speculativeCancelled := make(chan struct{})
	api := areaCodesAPI{total: 10}.handler(t)
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if queryInt(t, req.URL.Query(), "offset") == 0 {
			// End the list only once the speculative request is at the server.
			select {
			case <-speculativeArrived:
			case <-time.After(5 * time.Second):
				t.Error("no speculative request")
			}
			api(w, req)
			return
		}
		close(speculativeArrived)
		select {
		case <-req.Context().Done():
			close(speculativeCancelled)
		case <-time.After(5 * time.Second):
			t.Error("the speculative request was never cancelled")
		}
	})
	counter := &countingTransport{base: http.DefaultTransport}
	c := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: counter}))
	got, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 10)
	if active := counter.active.Load(); active != 0 {
		t.Errorf("%d requests still running after the call returned", active)
	}
	if counter.total.Load() != 2 {
		t.Errorf("%d requests, want the first page and one speculative", counter.total.Load())
	}
	select {
	case <-speculativeCancelled:
	case <-time.After(5 * time.Second):
		t.Error("the server never saw the speculative request cancelled")
	}
}

func TestErrorPastTheEndIgnored(t *testing.T) {
	api := areaCodesAPI{total: 10}.handler(t)
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if queryInt(t, req.URL.Query(), "offset") == 0 {
			time.Sleep(20 * time.Millisecond) // let the speculative page fail first
			api(w, req)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
	})
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{PageSize: 10, Window: 3})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 10)
}

func TestErrorOnAnEarlierPageWins(t *testing.T) {
	api := areaCodesAPI{total: 1000}.handler(t)
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if queryInt(t, req.URL.Query(), "offset") == 100 {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		api(w, req)
	})
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{PageSize: 100, Window: 3})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || got != nil {
		t.Errorf("got %d items and error %v", len(got), err)
	}
}

// countingTransport tells whether requests outlive the call that made them.
type countingTransport struct {
	base   http.RoundTripper
	active atomic.Int32
	total  atomic.Int32
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.total.Add(1)
	c.active.Add(1)
	resp, err := c.base.RoundTrip(req)
	if err != nil {
		c.active.Add(-1)
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, done: func() { c.active.Add(-1) }}
	return resp, nil
}

type countedBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *countedBody) Close() error {
	b.once.Do(b.done)
	return b.ReadCloser.Close()
}

func sameElements(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		count[s]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestCancelledSpeculativePagesKeepThePool(t *testing.T) {
	api := areaCodesAPI{total: 10}.handler(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if queryInt(t, req.URL.Query(), "offset") > 0 {
			// Speculative: hold it until the client cancels it.
			select {
			case <-req.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		api(w, req)
	}))
	var newConns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			newConns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	const listings = 5
	for range listings {
		if _, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{}); err != nil {
			t.Fatal(err)
		}
	}
	// Each listing's cancelled speculative request costs its connection; the
	// first page's connection should be reused by the next listing.
	if n := newConns.Load(); n >= 2*listings-1 {
		t.Errorf("%d connections for %d listings: the pool was dropped", n, listings)
	}
}

func TestOffsetOrWindowOutOfRangeSendsNothing(t *testing.T) {
	srv, rec := serve(t, areaCodesAPI{total: 10}.handler(t))
	for name, q := range map[string]AreaCodesQuery{
		"largest offset":          {Offset: math.MaxInt},
		"offset plus page":        {Offset: math.MaxInt - MaxAreaCodesPageSize + 1},
		"offset plus capped page": {Offset: math.MaxInt - 1, Limit: intPtr(2)},
		"window above maximum":    {Window: maxWindow + 1},
	} {
		if _, err := listAreaCodes(t, srv.URL, q); err == nil || !strings.HasPrefix(err.Error(), "invalid area codes query: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d requests sent for bad queries", rec.count())
	}
	for name, q := range map[string]AreaCodesQuery{
		"last offset with a page": {Offset: math.MaxInt - MaxAreaCodesPageSize},
		"last offset capped":      {Offset: math.MaxInt - 2, Limit: intPtr(2)},
		"largest window":          {Window: maxWindow},
	} {
		if _, err := listAreaCodes(t, srv.URL, q); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPagingCopiesTheLimit(t *testing.T) {
	limit := 5
	p, err := newPaging(&limit, 0, 0, 0, MaxAreaCodesPageSize)
	if err != nil {
		t.Fatal(err)
	}
	limit = 1
	if p.limit != 5 {
		t.Errorf("limit %d after the caller changed theirs, want 5", p.limit)
	}
}

func TestDuplicateKeepsFirstOccurrence(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if queryInt(t, req.URL.Query(), "offset") == 0 {
			_, _ = w.Write([]byte(`{"data":[{"id":"201","links":{"related":"first"}},{"id":"202","links":{"related":"x"}}],"links":{"next":"more"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"data":[{"id":"201","links":{"related":"second"}},{"id":"203","links":{"related":"y"}}]}`))
	})
	got, err := listAreaCodes(t, srv.URL, AreaCodesQuery{PageSize: 2, Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []AreaCode{{"201", "first"}, {"202", "x"}, {"203", "y"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestNoGoroutineLeftAfterCancelledSpeculativePages(t *testing.T) {
	api := areaCodesAPI{total: 10}.handler(t)
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if queryInt(t, req.URL.Query(), "offset") > 0 {
			hangUntilCancelled(w, req)
			return
		}
		api(w, req)
	})
	tr := &http.Transport{}
	c := newTestClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	before := runtime.NumGoroutine() // no connection yet
	const listings = 10
	for range listings {
		if _, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{PageSize: 10, Window: 3}); err != nil {
			t.Fatal(err)
		}
	}
	// Two pages are cancelled per listing: a leak of even one goroutine per
	// listing would exceed this slack for connections still shutting down.
	tr.CloseIdleConnections()
	srv.CloseClientConnections()
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); after > before+2 && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if after > before+2 {
		t.Errorf("%d goroutines before %d listings, %d after", before, listings, after)
	}
}

func TestListPastTheLargestOffset(t *testing.T) {
	p, err := newPaging(nil, math.MaxInt-4, 2, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	endless := func(_ context.Context, offset, limit int) ([]AreaCode, bool, error) {
		items := make([]AreaCode, limit)
		for i := range items {
			items[i] = AreaCode{AreaCode: strconv.Itoa(offset + i)}
		}
		return items, true, nil
	}
	got, err := listPages(t.Context(), "/endless", endless, func(a AreaCode) string { return a.AreaCode }, p)
	if err == nil || got != nil || !strings.Contains(err.Error(), "past offset") {
		t.Errorf("got %d items and error %v, want an error and no items", len(got), err)
	}
}
