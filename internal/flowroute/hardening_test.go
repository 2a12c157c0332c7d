package flowroute

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The request path against servers that misbehave below the API: answers
// cut off or stalled mid-body, deadlines, permanent transport failures, and
// answers that echo the credentials.

// halfBody sends the Content-Length of body, half of body, and then either
// drops the connection or stalls until the client leaves.
func halfBody(t *testing.T, w http.ResponseWriter, req *http.Request, body []byte, stall bool) {
	t.Helper()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body[:len(body)/2])
	_ = http.NewResponseController(w).Flush()
	if stall {
		<-req.Context().Done()
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	conn.Close()
}

// misbehaveFirst serves misbehave to the first n requests, then the API.
func misbehaveFirst(t *testing.T, n int64, misbehave func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	var calls atomic.Int64
	ok := areaCodesAPI{total: 3}.handler(t)
	return func(w http.ResponseWriter, req *http.Request) {
		if calls.Add(1) <= n {
			misbehave(w, req)
			return
		}
		ok(w, req)
	}
}

func TestBodyCutOffIsRetried(t *testing.T) {
	body := pageJSON([]string{"201", "202", "203"}, "")
	srv, rec := serve(t, misbehaveFirst(t, 2, func(w http.ResponseWriter, req *http.Request) {
		halfBody(t, w, req, body, false)
	}))
	got, err := newTestClient(t, srv.URL).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 3)
	if rec.count() != 3 {
		t.Errorf("%d requests, want 3: two cut-off answers retried", rec.count())
	}
}

func TestBodyCutOffBeyondRetries(t *testing.T) {
	body := pageJSON([]string{"201", "202", "203"}, "")
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) { halfBody(t, w, req, body, false) })
	_, err := newTestClient(t, srv.URL, WithMaxRetries(1)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "unexpected EOF") || !strings.Contains(err.Error(), "after 2 attempts") {
		t.Fatalf("error %v, want no answer after 2 attempts, saying unexpected EOF", err)
	}
	if rec.count() != 2 {
		t.Errorf("%d requests, want 2", rec.count())
	}
}

func TestStalledBodyCutByTheAttemptLimit(t *testing.T) {
	body := pageJSON([]string{"201", "202", "203"}, "")
	srv, rec := serve(t, misbehaveFirst(t, 1, func(w http.ResponseWriter, req *http.Request) {
		halfBody(t, w, req, body, true)
	}))
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	c := newTestClient(t, srv.URL, WithAttemptTimeout(200*time.Millisecond))
	start := time.Now()
	got, err := c.ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 3)
	if rec.count() != 2 {
		t.Errorf("%d requests, want 2: the stalled attempt cut and retried", rec.count())
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %s: the stalled body used up the caller's deadline", elapsed)
	}
}

func TestDeadlineKeepsTheLastAnswer(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"errors":[{"status":503,"detail":"down for maintenance"}]}`)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	c := newTestClient(t, srv.URL, WithMaxRetries(100), WithRetryWait(50*time.Millisecond, 100*time.Millisecond))
	_, err := c.ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the caller's deadline", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("error %v does not carry the last answer", err)
	}
	if !strings.Contains(err.Error(), "down for maintenance") {
		t.Errorf("error %q does not say what the server answered", err)
	}
}

func TestRetryAfterBeyondTheDeadlineFailsAtOnce(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"errors":[{"status":429,"detail":"slow down"}]}`)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err := newTestClient(t, srv.URL, WithRetryAfterCap(time.Hour)).ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("waited %s for a Retry-After that outlasts the deadline", elapsed)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests || apiErr.RetryAfter != 2*time.Minute {
		t.Fatalf("error %v, want the 429 and its Retry-After", err)
	}
	for _, want := range []string{"slow down", "asked to wait 2m0s", "left before the deadline"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if rec.count() != 1 {
		t.Errorf("%d requests, want 1", rec.count())
	}
}

// countConnections starts srv counting the connections it accepts.
func countConnections(srv *httptest.Server, tls bool) *atomic.Int64 {
	var n atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			n.Add(1)
		}
	}
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	return &n
}

func TestPermanentTransportFailuresNotRetried(t *testing.T) {
	api := areaCodesAPI{total: 1}.handler(t)
	for name, tc := range map[string]struct {
		tls    bool
		scheme string
		want   string
	}{
		"untrusted certificate":   {tls: true, scheme: "https", want: "certificate"},
		"https answered in plain": {tls: false, scheme: "https", want: "HTTP response to HTTPS client"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(api)
			connections := countConnections(srv, tc.tls)
			t.Cleanup(srv.Close)
			url := tc.scheme + "://" + srv.Listener.Addr().String()
			_, err := newTestClient(t, url, WithMaxRetries(3)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "after 1 attempt") {
				t.Fatalf("error %v, want %q after 1 attempt", err, tc.want)
			}
			if n := connections.Load(); n != 1 {
				t.Errorf("%d connections, want 1: a permanent failure was retried", n)
			}
		})
	}
}

func TestRefusedConnectionRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = newTestClient(t, "http://"+addr, WithMaxRetries(2)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("error %v, want a refused connection after 3 attempts", err)
	}
}

func TestNoSecretInExcerpts(t *testing.T) {
	echoHeaders := func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502</h1><pre>")
		for name, values := range req.Header {
			fmt.Fprintf(w, "%s: %s\n", name, strings.Join(values, ", "))
		}
		fmt.Fprint(w, "</pre></body></html>")
	}
	cases := map[string]http.HandlerFunc{
		"headers echoed in a page": echoHeaders,
		// The excerpt's cut falls inside the header, so only a prefix shows.
		"header cut short by the excerpt": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, strings.Repeat("x", maxExcerptRunes-20)+"Basic "+basicAuth)
		},
		"secret in a JSON detail": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"errors":[{"status":400,"detail":"bad key %s","title":"x%sx"}]}`, testSecretKey[1:], basicAuth[3:20])
		},
		"secret in an item id": func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"data":[{"id":{"k":"%s"}}]}`, testSecretKey)
		},
	}
	for name, handler := range cases {
		t.Run(name, func(t *testing.T) {
			srv, _ := serve(t, handler)
			var logged strings.Builder
			logf := func(_ context.Context, _ LogLevel, msg string, fields map[string]any) {
				fmt.Fprintln(&logged, msg, fields)
			}
			_, err := newTestClient(t, srv.URL, WithMaxRetries(0), WithLogger(logf)).
				ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
			if err == nil {
				t.Fatal("no error")
			}
			if run := secretRun(err.Error()); run != "" {
				t.Errorf("error %q shows %q of a secret", err, run)
			}
			if run := secretRun(logged.String()); run != "" {
				t.Errorf("log %q shows %q of a secret", logged.String(), run)
			}
			if !strings.Contains(err.Error(), redacted) {
				t.Errorf("error %q does not show where the secret was cut", err)
			}
		})
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor(SecretForms("AK", "s3cr3t-value-42")...)
	for in, want := range map[string]string{
		"nothing here":                     "nothing here",
		"key s3cr3t-value-42 end":          "key [redacted] end",
		"prefix s3cr3t- and suffix lue-42": "prefix [redacted] and suffix [redacted]",
		"AK:s3cr3t-value-42":               "[redacted]",
		"short s3cr3 stays":                "short s3cr3 stays",
	} {
		if got := r.redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
	if got := newRedactor().redact("anything"); got != "anything" {
		t.Errorf("no secrets: %q", got)
	}
}
