package flowroute

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const ownedNumberBody = `{"data": {"type": "number", "id": "16502390214",
  "attributes": {"value": "16502390214", "alias": null, "cnam_lookups_enabled": true, "messaging_enabled": false,
                 "number_type": "standard", "rate_center": "millbrae", "state": "ca", "setup_cost": 1, "monthly_cost": 1.25},
  "relationships": {"primary_route": {"data": {"type": "route", "id": "0"}}, "failover_route": {"data": null},
                    "cnam_preset": {"data": {"type": "cnam", "id": 6272}}, "e911_address": {"data": null}},
  "links": {"self": "https://api.flowroute.com/v2/numbers/16502390214"}},
 "included": [{"type": "route", "id": "0", "attributes": {"alias": "sip-reg", "route_type": "sip-reg", "value": null}}]}`

func TestGetNumber(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/numbers/16502390214" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, notFoundBody)
			return
		}
		fmt.Fprint(w, ownedNumberBody)
	})
	c := newTestClient(t, srv.URL)
	n, err := c.GetNumber(t.Context(), "16502390214")
	if err != nil {
		t.Fatal(err)
	}
	if n.Number != "16502390214" || n.Alias != nil || !*n.CNAMLookupsEnabled || *n.MessagingEnabled ||
		n.State != "ca" || n.RateCenter != "millbrae" || *n.SetupCost != 1 || *n.MonthlyCost != 1.25 {
		t.Errorf("number %+v", n)
	}
	if want := (NumberRelationships{PrimaryRouteID: "0", CNAMPresetID: "6272"}); n.Relationships == nil || *n.Relationships != want {
		t.Errorf("relationships %+v, want %+v", n.Relationships, want)
	}
	if _, err := c.GetNumber(t.Context(), "12015550100"); !errors.Is(err, ErrNotOnAccount) {
		t.Errorf("a number not on the account: %v", err)
	}
	if _, err := c.GetNumber(t.Context(), "../areacodes"); err == nil || rec.count() != 2 {
		t.Errorf("a path in the number: %v after %d requests", err, rec.count())
	}
}

// purchaseServer answers each purchase attempt with the next of answers,
// then 201; it counts the attempts.
func purchaseServer(t *testing.T, answers ...func(w http.ResponseWriter)) (string, *atomic.Int64) {
	t.Helper()
	var attempts atomic.Int64
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodPost {
			t.Errorf("%s %s, want only purchases", req.Method, req.URL.Path)
		}
		n := int(attempts.Add(1))
		if n <= len(answers) {
			answers[n-1](w)
			return
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, ownedNumberBody)
	})
	return srv.URL, &attempts
}

func status(code int) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"errors":[{"status":%d,"detail":"scripted"}]}`, code)
	}
}

func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
		conn.Close()
	}
}

func TestPurchaseRepeatedOnlyWhenNotActedOn(t *testing.T) {
	for name, tc := range map[string]struct {
		answers      []func(http.ResponseWriter)
		attempts     int64
		wantErr      error // nil: bought
		wantNotKinds []error
	}{
		"bought":                     {attempts: 1},
		"429 retried":                {answers: []func(http.ResponseWriter){status(429), status(429)}, attempts: 3},
		"503 not repeated":           {answers: []func(http.ResponseWriter){status(503)}, attempts: 1, wantErr: ErrOutcomeUnknown},
		"500 not repeated":           {answers: []func(http.ResponseWriter){status(500)}, attempts: 1, wantErr: ErrOutcomeUnknown},
		"reset not repeated":         {answers: []func(http.ResponseWriter){resetConnection}, attempts: 1, wantErr: ErrOutcomeUnknown},
		"422 is not purchasable":     {answers: []func(http.ResponseWriter){status(422)}, attempts: 1, wantErr: ErrNotPurchasable, wantNotKinds: []error{ErrOutcomeUnknown}},
		"404 is not purchasable":     {answers: []func(http.ResponseWriter){status(404)}, attempts: 1, wantErr: ErrNotPurchasable},
		"401 is no verdict on stock": {answers: []func(http.ResponseWriter){status(401)}, attempts: 1, wantNotKinds: []error{ErrNotPurchasable, ErrOutcomeUnknown}},
		"unreadable 201": {answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"data": `)
		}}, attempts: 1, wantErr: ErrOutcomeUnknown},
	} {
		t.Run(name, func(t *testing.T) {
			url, attempts := purchaseServer(t, tc.answers...)
			p, err := newTestClient(t, url, WithMaxRetries(3)).PurchaseNumber(t.Context(), "16502390214")
			switch {
			case tc.wantErr == nil && tc.wantNotKinds == nil:
				if err != nil || p.Number.Number != "16502390214" || p.MessagingNotProvisioned {
					t.Fatalf("purchase %+v, %v", p, err)
				}
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			case err == nil:
				t.Fatal("no error")
			}
			for _, kind := range tc.wantNotKinds {
				if errors.Is(err, kind) {
					t.Errorf("error %v is %v", err, kind)
				}
			}
			if n := attempts.Load(); n != tc.attempts {
				t.Errorf("%d purchase attempts, want %d", n, tc.attempts)
			}
		})
	}
}

func TestPurchaseRetriedWhenNeverSent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = newTestClient(t, "http://"+addr, WithMaxRetries(2)).PurchaseNumber(t.Context(), "16502390214")
	if err == nil || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("error %v, want a refused connection retried, with a known outcome", err)
	}
}

func TestPurchaseMessagingNotProvisioned(t *testing.T) {
	url, _ := purchaseServer(t, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprint(w, ownedNumberBody)
	})
	p, err := newTestClient(t, url).PurchaseNumber(t.Context(), "16502390214")
	if err != nil || !p.MessagingNotProvisioned {
		t.Fatalf("purchase %+v, %v: want bought without messaging", p, err)
	}
}

// An unreadable 207 leaves the outcome open, but still says that messaging
// was not set up, so an adoption through the account can say so too.
func TestPurchaseUnreadable207KeepsMessagingNotProvisioned(t *testing.T) {
	url, _ := purchaseServer(t, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusMultiStatus)
		fmt.Fprint(w, `{"data": `)
	})
	p, err := newTestClient(t, url).PurchaseNumber(t.Context(), "16502390214")
	if !errors.Is(err, ErrOutcomeUnknown) || p == nil || !p.MessagingNotProvisioned || p.Number != nil {
		t.Fatalf("purchase %+v, %v: want an unknown outcome that keeps the 207", p, err)
	}
}

func TestUpdateNumberSendsFlatAttributes(t *testing.T) {
	var bodies []string
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		bodies = append(bodies, req.Method+" "+req.Header.Get("Content-Type")+" "+string(b))
		fmt.Fprint(w, ownedNumberBody)
	})
	c := newTestClient(t, srv.URL)
	alias, cleared, on := "NYC", "", true
	for _, u := range []NumberUpdate{{Alias: &alias}, {Alias: &cleared, CNAMLookupsEnabled: &on}, {MessagingEnabled: &on}} {
		if _, err := c.UpdateNumber(t.Context(), "16502390214", u); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		`PATCH application/vnd.api+json {"alias":"NYC","type":"number"}`,
		`PATCH application/vnd.api+json {"alias":null,"cnam_lookups_enabled":true,"type":"number"}`,
		`PATCH application/vnd.api+json {"messaging_enabled":true,"type":"number"}`,
	}
	if fmt.Sprint(bodies) != fmt.Sprint(want) {
		t.Errorf("sent %q, want %q", bodies, want)
	}
}

func TestReleaseNumber(t *testing.T) {
	var released atomic.Bool
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodDelete || released.Swap(true) {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"errors":[{"status":404}]}`)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c := newTestClient(t, srv.URL)
	if err := c.ReleaseNumber(t.Context(), "16502390214"); err != nil {
		t.Fatal(err)
	}
	if err := c.ReleaseNumber(t.Context(), "16502390214"); !errors.Is(err, ErrNotOnAccount) {
		t.Errorf("a second release: %v, want ErrNotOnAccount", err)
	}
}

func TestListAccountNumbers(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		if q.Get("limit") != "200" || q.Get("alias") != "main line" || q.Get("starts_with") != "1650" {
			t.Errorf("query %s", req.URL.RawQuery)
		}
		if q.Get("offset") != "0" {
			fmt.Fprint(w, `{"data": [], "links": {}}`)
			return
		}
		fmt.Fprint(w, `{"data": [{"type": "number", "id": "16502390214", "attributes": {"value": "16502390214", "alias": "main line"}},
		                         {"type": "number", "id": "16502390215", "attributes": {"alias": ""}}], "links": {}}`)
	})
	got, err := newTestClient(t, srv.URL).ListAccountNumbers(t.Context(), AccountNumbersQuery{StartsWith: "1650", Alias: "main line"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Number != "16502390214" || *got[0].Alias != "main line" || got[1].Number != "16502390215" ||
		got[1].Alias != nil || got[0].Relationships != nil {
		t.Errorf("numbers %+v", got)
	}
	if rec.count() > 2 {
		t.Errorf("%d requests for one page", rec.count())
	}
	if _, err := newTestClient(t, srv.URL).ListAccountNumbers(t.Context(), AccountNumbersQuery{EndsWith: "1a"}); err == nil {
		t.Error("letters in ends with accepted")
	}
}

// Writes reach the caller's log at info level, and a request that failed
// for good at once at error level.
func TestWriteAndPermanentFailureLogLevels(t *testing.T) {
	var levels []LogLevel
	logf := func(_ context.Context, level LogLevel, msg string, _ map[string]any) {
		if level >= LogInfo {
			levels = append(levels, level)
		}
	}
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"errors":[{"status":403}]}`)
	})
	c := newTestClient(t, srv.URL, WithLogger(logf))
	if err := c.ReleaseNumber(t.Context(), "16502390214"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetNumber(t.Context(), "16502390214"); err == nil {
		t.Fatal("a 403 passed")
	}
	if fmt.Sprint(levels) != fmt.Sprint([]LogLevel{LogInfo, LogError}) {
		t.Errorf("levels %v, want info for the release and error for the refusal", levels)
	}
}

// notFoundBody is the API's documented 404 answer.
const notFoundBody = `{"errors":[{"detail":"Could not find that resource on your account.","status":404}]}`

// Only Flowroute's own 404 says a number is gone: a proxy's page does not.
func TestProxy404IsNotNotOnAccount(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><body>404 Not Found</body></html>")
	})
	_, err := newTestClient(t, srv.URL).GetNumber(t.Context(), "16502390214")
	if err == nil || errors.Is(err, ErrNotOnAccount) {
		t.Errorf("a proxy's 404: %v, want an error that is not ErrNotOnAccount", err)
	}
}

// A purchase whose deadline ends while it is in flight has an unknown
// outcome, whatever the attempt before it got.
func TestPurchaseDeadlineInFlightIsUnknown(t *testing.T) {
	url, attempts := purchaseServer(t, status(http.StatusTooManyRequests), func(w http.ResponseWriter) {
		time.Sleep(300 * time.Millisecond) // bought, but answered too late
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, ownedNumberBody)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	_, err := newTestClient(t, url).PurchaseNumber(ctx, "16502390214")
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v after %d attempts, want an unknown outcome at the deadline", err, attempts.Load())
	}
}
