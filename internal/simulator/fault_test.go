package simulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func intPtr(n int) *int { return &n }

func TestFaultStatusAndRetryAfter(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Status: http.StatusTooManyRequests, RetryAfter: "2", Times: 2})
	for range 2 {
		resp, body := h.get(PathAreaCodes)
		checkErrors(t, resp, body, http.StatusTooManyRequests)
		if resp.Header.Get("Retry-After") != "2" {
			t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
	}
	// Times expired: back to normal.
	if resp, _ := h.get(PathAreaCodes); resp.StatusCode != http.StatusOK || resp.Header.Get("Retry-After") != "" {
		t.Fatalf("fault outlived Times: %d", resp.StatusCode)
	}
}

func TestFaultStatusRange(t *testing.T) {
	for _, status := range []int{-1, 100, 103, 199, 600, 999} {
		f := Fault{Status: status}
		if err := f.Validate(); err == nil || !strings.Contains(err.Error(), "200 to 599") {
			t.Fatalf("Validate(%d): %v", status, err)
		}
		func() {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, "200 to 599") {
					t.Fatalf("AddFault(%d) did not panic with the range: %q", status, msg)
				}
			}()
			New(Options{AccessKey: testAccessKey, SecretKey: testSecretKey}).AddFault(f)
		}()
	}

	h := newHarness(t, Options{})
	for _, status := range []int{0, 200, 599} {
		if err := (Fault{Status: status}).Validate(); err != nil {
			t.Fatalf("Validate(%d): %v", status, err)
		}
	}
	h.sim.AddFault(Fault{Status: http.StatusOK, Times: 1})
	h.errorAnswer(PathAreaCodes, http.StatusOK)
	// HTTP allows no body with 204: the status goes out alone.
	h.sim.AddFault(Fault{Status: http.StatusNoContent, Times: 1})
	if resp, body := h.get(PathAreaCodes); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("204 fault: %d %q", resp.StatusCode, body)
	}
}

func TestFaultForeverUntilCleared(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Status: http.StatusServiceUnavailable})
	for range 5 {
		h.errorAnswer(PathNumbers, http.StatusServiceUnavailable)
	}
	h.sim.ClearFaults()
	h.page(PathNumbers)
}

func TestFaultMatching(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Path: PathExchanges, Offset: intPtr(20), Status: http.StatusInternalServerError})
	h.sim.AddFault(Fault{Path: PathExchanges, Offset: intPtr(0), Status: http.StatusBadGateway, Times: 1})
	h.sim.AddFault(Fault{Path: PathExchanges, Status: http.StatusServiceUnavailable, Times: 1})

	h.page(PathAreaCodes + "?offset=20") // other path
	h.page(PathNumbers)
	h.errorAnswer(PathExchanges+"?limit=10&offset=20", http.StatusInternalServerError)
	h.errorAnswer(PathExchanges+"?offset=20", http.StatusInternalServerError) // first match wins, forever
	h.errorAnswer(PathExchanges, http.StatusBadGateway)                       // absent offset is 0
	h.errorAnswer(PathExchanges+"?offset=0", http.StatusServiceUnavailable)   // the offset-0 fault expired
	h.page(PathExchanges + "?offset=10")                                      // all others expired
	h.errorAnswer(PathExchanges+"?offset=20", http.StatusInternalServerError)

	// Faults act only after auth, on /v2 paths.
	h.sim.ClearFaults()
	h.sim.AddFault(Fault{Status: http.StatusTeapot})
	req, _ := http.NewRequest(http.MethodGet, h.ts.URL+PathAreaCodes, nil)
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unauthenticated request got %d", resp.StatusCode)
	}
	h.errorAnswer("/elsewhere", http.StatusNotFound)
	h.errorAnswer("/v2/elsewhere", http.StatusTeapot)
}

func TestFaultLatency(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Latency: 50 * time.Millisecond, Times: 1})
	start := time.Now()
	h.page(PathAreaCodes)
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond {
		t.Fatalf("answered after %v", elapsed)
	}

	// A client that gives up frees the handler at once.
	h.sim.AddFault(Fault{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.ts.URL+PathAreaCodes, nil)
	req.SetBasicAuth(testAccessKey, testSecretKey)
	if _, err := h.ts.Client().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	closed := make(chan struct{})
	go func() {
		h.ts.Close() // waits for running handlers
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("handler kept sleeping after the client left")
	}
}

func TestFaultBodies(t *testing.T) {
	h := newHarness(t, Options{})
	_, normal := h.get(PathAreaCodes)

	h.sim.AddFault(Fault{Body: BodyTruncated, Times: 1})
	resp, body := h.get(PathAreaCodes)
	if resp.StatusCode != http.StatusOK || len(body) == 0 || !strings.HasPrefix(string(normal), string(body)) ||
		len(body) >= len(normal) || json.Valid(body) {
		t.Fatalf("truncated: %d %s", resp.StatusCode, body)
	}

	h.sim.AddFault(Fault{Body: BodyMalformed, Times: 1})
	resp, body = h.get(PathAreaCodes)
	if resp.StatusCode != http.StatusOK || json.Valid(body) || resp.Header.Get("Content-Type") != "application/vnd.api+json" {
		t.Fatalf("malformed: %d %s", resp.StatusCode, body)
	}

	h.sim.AddFault(Fault{Body: BodyHTML, Status: http.StatusBadGateway, Times: 1})
	resp, body = h.get(PathAreaCodes)
	if resp.StatusCode != http.StatusBadGateway || resp.Header.Get("Content-Type") != "text/html" ||
		!strings.Contains(string(body), "<title>502 Bad Gateway</title>") {
		t.Fatalf("html: %d %s", resp.StatusCode, body)
	}

	h.sim.AddFault(Fault{Body: BodyEmpty, Status: http.StatusServiceUnavailable, Times: 1})
	resp, body = h.get(PathAreaCodes)
	if resp.StatusCode != http.StatusServiceUnavailable || len(body) != 0 {
		t.Fatalf("empty: %d %q", resp.StatusCode, body)
	}

	h.sim.AddFault(Fault{Body: BodyEmpty, Times: 1})
	if resp, body = h.get(PathAreaCodes); resp.StatusCode != http.StatusOK || len(body) != 0 {
		t.Fatalf("empty 200: %d %q", resp.StatusCode, body)
	}

	// A truncated error body, as a proxy cutting a 500 would send.
	h.sim.AddFault(Fault{Body: BodyTruncated, Status: http.StatusInternalServerError, Times: 1})
	resp, body = h.get(PathAreaCodes)
	if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(string(body), `{"errors":[`) || json.Valid(body) {
		t.Fatalf("truncated 500: %d %s", resp.StatusCode, body)
	}
}

func TestFaultResetConnection(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{ResetConnection: true, Times: 1})
	if resp, _, err := h.do(http.MethodGet, PathAreaCodes); err == nil {
		t.Fatalf("got an answer: %d", resp.StatusCode)
	}
	h.page(PathAreaCodes)
	if h.sim.RequestCount() != 2 {
		t.Fatalf("count %d", h.sim.RequestCount())
	}
}

func TestFaultExtraItems(t *testing.T) {
	h := newHarness(t, Options{})
	all := h.sim.Inventory().AreaCodes(nil)
	h.sim.AddFault(Fault{ExtraItems: 3, Times: 1})
	p := h.page(PathAreaCodes + "?limit=5&offset=10")
	if ids := pageIDs(p); !slices.Equal(ids, all[10:18]) {
		t.Fatalf("extra items: %v", ids)
	}
	if p.Links.Next == nil || !strings.HasSuffix(*p.Links.Next, "limit=5&offset=15") {
		t.Fatalf("next %v", p.Links.Next)
	}
}

func TestFaultOverlap(t *testing.T) {
	h := newHarness(t, Options{})
	all := h.sim.Inventory().Exchanges("", nil)
	h.sim.AddFault(Fault{Path: PathExchanges, Overlap: 2})
	p := h.page(PathExchanges + "?limit=5&offset=10")
	if ids := pageIDs(p); !slices.Equal(ids, all[8:13]) {
		t.Fatalf("overlap: %v", ids)
	}
	if p.Links.Next == nil || !strings.HasSuffix(*p.Links.Next, "limit=5&offset=15") {
		t.Fatalf("next %v", p.Links.Next)
	}
	// A walk sees duplicates: every page after the first starts early.
	ids, _ := h.walk(PathExchanges + "?limit=200")
	if slices.Sort(ids); len(slices.Compact(ids)) == len(ids) {
		t.Fatal("walk saw no duplicates")
	}
}

func TestFaultForeignNext(t *testing.T) {
	h := newHarness(t, Options{Inventory: SyntheticAreaCodes(3)})
	h.sim.AddFault(Fault{ForeignNext: "https://evil.example/v2/numbers/available/areacodes?offset=10"})
	for _, target := range []string{PathAreaCodes, PathAreaCodes + "?offset=100"} {
		p := h.page(target)
		if p.Links.Next == nil || *p.Links.Next != "https://evil.example/v2/numbers/available/areacodes?offset=10" {
			t.Fatalf("%s: next %v", target, p.Links.Next)
		}
	}
}

func TestFaultStuckNext(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{StuckNext: true})
	first := h.page(PathNumbers + "?limit=3&offset=6")
	if first.Links.Next == nil || *first.Links.Next != first.Links.Self {
		t.Fatalf("next %v, self %s", first.Links.Next, first.Links.Self)
	}
	again := h.page(*first.Links.Next)
	if !slices.Equal(pageIDs(first), pageIDs(again)) || *again.Links.Next != first.Links.Self {
		t.Fatal("stuck page moved")
	}
	if end := h.page(PathNumbers + "?offset=100000"); end.Links.Next == nil {
		t.Fatal("stuck next missing past the end")
	}
}

func pageIDs(p page) []string {
	var ids []string
	for _, item := range p.Data {
		ids = append(ids, item.ID)
	}
	return ids
}

func TestFaultBodyNames(t *testing.T) {
	names := map[FaultBody]string{BodyNormal: "normal", BodyTruncated: "truncated", BodyMalformed: "malformed",
		BodyHTML: "html", BodyEmpty: "empty", BodyEchoHeaders: "echo-headers", BodyCutOff: "cut-off",
		BodyStall: "stall", FaultBody(42): "FaultBody(42)"}
	for body, want := range names {
		if body.String() != want {
			t.Fatalf("%d: %q", int(body), body.String())
		}
	}
}

func TestFaultMethodAndPathPrefix(t *testing.T) {
	h := newHarness(t, Options{})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})
	first, second := testNumberPath+numbers[0].Number, testNumberPath+numbers[1].Number
	h.sim.AddFault(Fault{Method: http.MethodPost, PathPrefix: "/v2/numbers/1", Status: http.StatusServiceUnavailable, Times: 2})
	h.sim.AddFault(Fault{Method: http.MethodGet, Path: second, PathPrefix: "/v2/numbers/", Status: http.StatusTeapot, Times: 1})

	h.page(PathNumbers) // neither the method nor the prefix
	resp, body := h.send(http.MethodGet, first, "", "")
	checkNotOnAccount(t, resp, body)
	resp, body = h.send(http.MethodPost, first, "", "")
	checkErrors(t, resp, body, http.StatusServiceUnavailable)
	resp, body = h.send(http.MethodPost, second, "", "")
	checkErrors(t, resp, body, http.StatusServiceUnavailable)
	if len(h.sim.OwnedNumbers()) != 0 {
		t.Fatal("a fault before acting bought a number")
	}
	if resp, body = h.send(http.MethodPost, first, "", ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("after the fault: %d %s", resp.StatusCode, body)
	}
	resp, body = h.send(http.MethodGet, second, "", "") // Path and PathPrefix both match
	checkErrors(t, resp, body, http.StatusTeapot)
}

func TestFaultActFirst(t *testing.T) {
	h := newHarness(t, Options{})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})
	target := testNumberPath + numbers[0].Number

	// Bought, then the connection dropped.
	h.sim.AddFault(Fault{Method: http.MethodPost, ActFirst: true, ResetConnection: true, Times: 1})
	if resp, _, err := h.do(http.MethodPost, target); err == nil {
		t.Fatalf("got an answer: %d", resp.StatusCode)
	}
	if owned := h.sim.OwnedNumbers(); len(owned) != 1 || owned[0].Number != numbers[0].Number {
		t.Fatalf("owned %+v", owned)
	}

	// Changed, then an error; changed nothing when the error came first.
	h.sim.AddFault(Fault{Method: http.MethodPatch, ActFirst: true, Status: http.StatusBadGateway, Times: 1})
	resp, body := h.send(http.MethodPatch, target, "application/json", `{"type": "number", "alias": "kept"}`)
	checkErrors(t, resp, body, http.StatusBadGateway)
	h.sim.AddFault(Fault{Method: http.MethodPatch, Status: http.StatusServiceUnavailable, Times: 1})
	resp, body = h.send(http.MethodPatch, target, "application/json", `{"type": "number", "alias": "lost"}`)
	checkErrors(t, resp, body, http.StatusServiceUnavailable)
	if alias := h.sim.OwnedNumbers()[0].Alias; alias == nil || *alias != "kept" {
		t.Fatalf("alias %v", alias)
	}

	// Released while the client had given up waiting.
	h.sim.AddFault(Fault{Method: http.MethodDelete, ActFirst: true, Latency: time.Hour, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodDelete, h.ts.URL+target, nil)
	req.SetBasicAuth(testAccessKey, testSecretKey)
	if _, err := h.ts.Client().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if len(h.sim.OwnedNumbers()) != 0 {
		t.Fatal("the release was not carried out first")
	}
}

func TestFaultTakeNumber(t *testing.T) {
	h := newHarness(t, Options{})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})
	h.sim.AddFault(Fault{PathPrefix: "/v2/numbers/1", TakeNumber: true, Times: 2})

	// Only a purchase takes the number.
	resp, body := h.send(http.MethodGet, testNumberPath+numbers[0].Number, "", "")
	checkNotOnAccount(t, resp, body)
	resp, body = h.send(http.MethodPost, testNumberPath+numbers[0].Number, "", "")
	notAvailable(t, resp, body, numbers[0].Number)
	if len(h.sim.OwnedNumbers()) != 0 {
		t.Fatal("the taken number joined the account")
	}
	if p := h.page(PathNumbers + "?limit=1"); p.Data[0].ID != numbers[1].Number {
		t.Fatalf("the taken number is listed: %v", pageIDs(p))
	}
	if resp, body = h.send(http.MethodPost, testNumberPath+numbers[1].Number, "", ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("after the fault: %d %s", resp.StatusCode, body)
	}
}

func TestFaultValidateWritePath(t *testing.T) {
	for _, f := range []Fault{
		{Method: "post"},
		{Path: "v2/numbers"},
		{PathPrefix: "v2/"},
		{Path: PathAreaCodes, PathPrefix: "/v2/numbers/1"},
		{ActFirst: true},
		{ActFirst: true, Body: BodyHTML},
		{TakeNumber: true, Method: http.MethodGet},
		{Body: FaultBody(-1)},
		{Body: FaultBody(99)},
	} {
		if err := f.Validate(); err == nil {
			t.Fatalf("Validate(%+v) accepted it", f)
		}
	}
	for _, f := range []Fault{
		{Method: http.MethodPost, PathPrefix: "/v2/numbers/1"},
		{Path: "/v2/numbers/12015550100", PathPrefix: "/v2/numbers/1"},
		{ActFirst: true, Latency: time.Second},
		{ActFirst: true, ResetConnection: true},
		{ActFirst: true, Status: http.StatusBadGateway},
		{TakeNumber: true},
		{TakeNumber: true, Method: http.MethodPost},
	} {
		if err := f.Validate(); err != nil {
			t.Fatalf("Validate(%+v): %v", f, err)
		}
	}
}

func TestFaultBodyEchoHeaders(t *testing.T) {
	h := newHarness(t, Options{})
	for _, status := range []int{http.StatusBadGateway, http.StatusOK} {
		h.sim.AddFault(Fault{Body: BodyEchoHeaders, Status: status, Times: 1})
		req, _ := http.NewRequest(http.MethodPatch, h.ts.URL+PathOwnedNumbers+"/12015550100?x=1", strings.NewReader(`{}`))
		req.SetBasicAuth(testAccessKey, testSecretKey)
		req.Header.Set("User-Agent", "flowroute-test/1")
		resp, err := h.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		for _, want := range []string{
			fmt.Sprintf("<p>%d %s</p>", status, http.StatusText(status)),
			"PATCH /v2/numbers/12015550100?x=1 HTTP/1.1\r\n",
			"Host: " + strings.TrimPrefix(h.ts.URL, "http://") + "\r\n",
			"\r\n" + "Authorization: " + req.Header.Get("Authorization") + "\r\n",
			"\r\nUser-Agent: flowroute-test/1\r\n",
		} {
			if !strings.Contains(page, want) {
				t.Fatalf("page lacks %q:\n%s", want, page)
			}
		}
		if resp.StatusCode != status || resp.Header.Get("Content-Type") != "text/html" {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

func TestFaultBodyCutOff(t *testing.T) {
	h := newHarness(t, Options{})
	_, normal := h.get(PathAreaCodes)
	h.sim.AddFault(Fault{Body: BodyCutOff, Times: 1})
	resp, body, err := h.do(http.MethodGet, PathAreaCodes)
	if !errors.Is(err, io.ErrUnexpectedEOF) || resp.ContentLength != int64(len(normal)) ||
		string(body) != string(normal[:len(normal)/2]) {
		t.Fatalf("err %v, Content-Length %d of %d, read %d", err, resp.ContentLength, len(normal), len(body))
	}
	h.page(PathAreaCodes) // a new connection serves again

	// An error answer cut off too.
	h.sim.AddFault(Fault{Body: BodyCutOff, Status: http.StatusServiceUnavailable, Times: 1})
	if resp, _, err = h.do(http.MethodGet, PathAreaCodes); !errors.Is(err, io.ErrUnexpectedEOF) || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("cut-off 503: %v", err)
	}

	// A purchase that got through is made, though its answer is lost.
	number := h.sim.Inventory().Numbers[0].Number
	h.sim.AddFault(Fault{Method: http.MethodPost, Body: BodyCutOff, Times: 1})
	if _, _, err = h.do(http.MethodPost, testNumberPath+number); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut-off purchase: %v", err)
	}
	if owned := h.sim.OwnedNumbers(); len(owned) != 1 || owned[0].Number != number {
		t.Fatalf("owned %+v", owned)
	}
}

func TestFaultBodyStall(t *testing.T) {
	h := newHarness(t, Options{})
	_, normal := h.get(PathNumbers)
	h.sim.AddFault(Fault{Body: BodyStall})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, h.ts.URL+PathNumbers, nil)
	req.SetBasicAuth(testAccessKey, testSecretKey)
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err) // the status and headers come at once
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, context.DeadlineExceeded) || resp.ContentLength != int64(len(normal)) ||
		string(body) != string(normal[:len(normal)/2]) {
		t.Fatalf("err %v, Content-Length %d of %d, read %d", err, resp.ContentLength, len(normal), len(body))
	}
	closed := make(chan struct{})
	go func() {
		h.ts.Close() // waits for running handlers
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("handler kept stalling after the client left")
	}
}

// A purchase held by ActLater is carried out after the client left: until
// then the account does not own the number and a second purchase finds it
// not for sale; afterwards the account owns it, bought once.
func TestFaultActLaterFinishesAfterTheClientLeft(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{})[0].Number
	target := testNumberPath + number
	h.sim.AddFault(Fault{Method: http.MethodPost, ActLater: time.Second, Times: 1})

	// The client leaves once the server holds its request.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for h.sim.RequestCount() == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.ts.URL+target, nil)
	req.SetBasicAuth(testAccessKey, testSecretKey)
	if _, err := h.ts.Client().Do(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want the client's own cancellation", err)
	}
	resp, body := h.get(target)
	checkNotOnAccount(t, resp, body)
	resp, body = h.send(http.MethodPost, target, "", "")
	notAvailable(t, resp, body, number)

	h.sim.WaitLate()
	if owned := h.sim.OwnedNumbers(); len(owned) != 1 || owned[0].Number != number {
		t.Fatalf("owned %+v, want %s bought by the held purchase", owned, number)
	}
}

// A client that waits long enough gets the held request's normal answer.
func TestFaultActLaterAnswersAClientThatWaits(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().SearchNumbers(NumberFilter{})[0].Number
	h.sim.AddFault(Fault{Method: http.MethodPost, ActLater: 20 * time.Millisecond, Times: 1})
	resp, body := h.send(http.MethodPost, testNumberPath+number, "", "")
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(body), number) {
		t.Fatalf("answer %d %s, want the purchase's 201", resp.StatusCode, body)
	}
}
