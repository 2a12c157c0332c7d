package flowroute

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseBaseURL(t *testing.T) {
	valid := map[string]string{
		"https://api.flowroute.com/v2":   "https://api.flowroute.com/v2",
		"https://api.flowroute.com/v2/":  "https://api.flowroute.com/v2",
		"http://127.0.0.1:8080":          "http://127.0.0.1:8080",
		"http://127.0.0.1:8080/":         "http://127.0.0.1:8080",
		"HTTPS://example.com/a/b//":      "https://example.com/a/b",
		"http://example.com/with%2Fpath": "http://example.com/with%2Fpath",
	}
	for raw, want := range valid {
		u, err := ParseBaseURL(raw)
		if err != nil {
			t.Errorf("ParseBaseURL(%q): %v", raw, err)
			continue
		}
		if u.String() != want {
			t.Errorf("ParseBaseURL(%q) = %q, want %q", raw, u, want)
		}
	}
	invalid := []string{
		"", "api.flowroute.com/v2", "/v2", "ftp://example.com", "https://", "http:opaque",
		"https://user:hunter2@example.com/v2", "https://example.com/v2?x=1", "https://example.com/v2#frag",
		"https://example.com/v2?", "http://exa mple.com", "http://[::1",
		// Passwords that make the URL split elsewhere than at the "@".
		"https://AK:hunter2@api.example.com/v2", "https://AK:hun/ter2@api.example.com/v2",
		"https://AK:hunter2#x@api.example.com/v2", "https://AK:12#hunter2@api.example.com/v2",
		"http://AK:hun?ter2@api.example.com", "https://AK:hunter2@", "https://AK:hun%zzter2@host/v2",
		"AK:hunter2@api.example.com/v2", "https://AK:hunter2@exa mple.com",
	}
	for _, raw := range invalid {
		_, err := ParseBaseURL(raw)
		if err == nil {
			t.Errorf("ParseBaseURL(%q) accepted an invalid URL", raw)
			continue
		}
		for _, part := range []string{"hunter2", "hun", "ter2"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("error for %q reveals the password: %v", raw, err)
			}
		}
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	cases := map[string][]Option{
		"relative base URL": {WithBaseURL("numbers/v2")},
		"negative retries":  {WithMaxRetries(-1)},
		"min wait above max": {
			WithRetryWait(time.Second, time.Millisecond),
		},
		"negative wait":            {WithRetryWait(-time.Second, time.Second)},
		"negative retry-after cap": {WithRetryAfterCap(-time.Second)},
		"zero attempt timeout":     {WithAttemptTimeout(0)},
	}
	for name, opts := range cases {
		if _, err := New(testAccessKey, testSecretKey, opts...); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
	if _, err := New("access:key", testSecretKey); err == nil || !strings.Contains(err.Error(), `must not contain ":"`) {
		t.Errorf("an access key with a colon: %v", err)
	}
	if _, err := New(testAccessKey, testSecretKey, WithMaxRetries(0)); err != nil {
		t.Errorf("zero retries: %v", err)
	}
}

func TestRequestHeadersAndURL(t *testing.T) {
	for _, suffix := range []string{"/v2", "/v2/"} {
		srv, rec := serve(t, areaCodesAPI{total: 3}.handler(t))
		c := newTestClient(t, srv.URL+suffix, WithUserAgent("terraform-provider-flowroute/1.2.3"))
		if _, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1}); err != nil {
			t.Fatal(err)
		}
		if rec.count() != 1 {
			t.Fatalf("base %q: %d requests, want 1", suffix, rec.count())
		}
		req := rec.all()[0]
		if got := req.URL.String(); got != "/v2/numbers/available/areacodes?limit=400&offset=0" {
			t.Errorf("base %q: request URL %q", suffix, got)
		}
		user, pass, ok := req.BasicAuth()
		if !ok || user != testAccessKey || pass != testSecretKey {
			t.Errorf("basic auth = %q, %q, %v", user, pass, ok)
		}
		if got := req.Header.Get("Accept"); got != "application/vnd.api+json" {
			t.Errorf("Accept = %q", got)
		}
		if got := req.Header.Get("User-Agent"); got != "terraform-provider-flowroute/1.2.3" {
			t.Errorf("User-Agent = %q", got)
		}
		if req.Method != http.MethodGet {
			t.Errorf("method = %s", req.Method)
		}
	}
}

func TestRetriesByStatus(t *testing.T) {
	for status, retried := range map[int]bool{
		429: true, 500: true, 502: true, 503: true, 504: true,
		501: false, 400: false, 401: false, 403: false, 404: false, 422: false,
	} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"errors":[{"status":%d,"title":"boom"}]}`, status)
			})
			c := newTestClient(t, srv.URL, WithMaxRetries(3))
			_, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v (%T) is not an *APIError", err, err)
			}
			if apiErr.StatusCode != status || len(apiErr.Errors) != 1 || apiErr.Errors[0].Title != "boom" {
				t.Errorf("APIError %+v lost the last response", apiErr)
			}
			want := 1
			if retried {
				want = 4
			}
			if rec.count() != want {
				t.Errorf("%d requests, want %d", rec.count(), want)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	ok := areaCodesAPI{total: 2}.handler(t)
	srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		ok(w, req)
	})
	got, err := newTestClient(t, srv.URL).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, got, 0, 2)
	if rec.count() != 3 {
		t.Errorf("%d requests, want 3", rec.count())
	}
	for _, req := range rec.all() {
		if _, _, ok := req.BasicAuth(); !ok {
			t.Error("a retried request lost its credentials")
		}
	}
}

func TestConnectionErrorRetried(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		hijacker, ok := w.(http.Hijacker)
		if !ok {
			t.Error("the test server cannot hijack connections")
			return
		}
		conn, _, err := hijacker.Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	})
	_, err := newTestClient(t, srv.URL, WithMaxRetries(2)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Limit: intPtr(1)})
	if !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("error %v, want ErrNoAnswer", err)
	}
	if rec.count() != 3 {
		t.Errorf("%d requests, want 3", rec.count())
	}
	if !strings.Contains(err.Error(), "after 3 attempts") || !strings.Contains(err.Error(), "GET /numbers/available/areacodes:") {
		t.Errorf("error %q does not say the request and the attempts", err)
	}
	if strings.Contains(err.Error(), srv.URL) {
		t.Errorf("error %q carries the full URL", err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a connection error became an APIError: %v", err)
	}
}

func TestRetryAfterSecondsCapped(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	const retryAfterCap = 150 * time.Millisecond
	c := newTestClient(t, srv.URL, WithMaxRetries(1), WithRetryAfterCap(retryAfterCap))
	start := time.Now()
	_, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	elapsed := time.Since(start)
	if err == nil || rec.count() != 2 {
		t.Fatalf("err %v after %d requests, want a 429 error after 2", err, rec.count())
	}
	// The backoff alone would be a few milliseconds.
	if elapsed < retryAfterCap || elapsed > 900*time.Millisecond {
		t.Errorf("waited %s, want the capped Retry-After of %s", elapsed, retryAfterCap)
	}
}

func TestRetryAfterZeroWaitsTheMinimum(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	const minWait = 100 * time.Millisecond
	c := newTestClient(t, srv.URL, WithMaxRetries(2), WithRetryWait(minWait, 10*time.Second))
	start := time.Now()
	if _, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1}); err == nil {
		t.Fatal("no error")
	}
	// The backoff alone would wait 50-100 ms, then 100-200 ms.
	if elapsed := time.Since(start); elapsed < 2*minWait || elapsed > 2*time.Second || rec.count() != 3 {
		t.Errorf("%d requests in %s: Retry-After: 0 should wait the minimum of %s each time", rec.count(), elapsed, minWait)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusTooManyRequests)
	})
	const retryAfterCap = 120 * time.Millisecond
	c := newTestClient(t, srv.URL, WithMaxRetries(1), WithRetryAfterCap(retryAfterCap))
	start := time.Now()
	if _, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1}); err == nil {
		t.Fatal("no error")
	}
	if elapsed := time.Since(start); elapsed < retryAfterCap || elapsed > 900*time.Millisecond || rec.count() != 2 {
		t.Errorf("%d requests in %s, want 2 requests after the capped date", rec.count(), elapsed)
	}
}

func TestRetryAfterWait(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	c := &Client{retryAfterCap: 10 * time.Second, retryWaitMin: time.Millisecond, retryWaitMax: time.Millisecond,
		now: func() time.Time { return now }}
	req := request{method: http.MethodGet, endpoint: &url.URL{Path: "/numbers"}}
	withRetryAfter := func(status int, v string) attempt {
		return attempt{status: status, header: http.Header{"Retry-After": {v}}, body: new(bytes.Buffer)}
	}
	exact := map[string]struct {
		answer      attempt
		wait, asked time.Duration
	}{
		"seconds":                        {withRetryAfter(429, "3"), 3 * time.Second, 3 * time.Second},
		"seconds on 503":                 {withRetryAfter(503, "2"), 2 * time.Second, 2 * time.Second},
		"seconds capped":                 {withRetryAfter(429, "3600"), 10 * time.Second, time.Hour},
		"huge seconds":                   {withRetryAfter(429, "99999999999999999"), 10 * time.Second, time.Duration(1<<63 - 1)},
		"zero waits the minimum backoff": {withRetryAfter(429, "0"), time.Millisecond, 0},
		"HTTP date":                      {withRetryAfter(429, now.Add(4*time.Second).Format(http.TimeFormat)), 4 * time.Second, 4 * time.Second},
		"RFC 850 date":                   {withRetryAfter(429, now.Add(5*time.Second).Format(time.RFC850)), 5 * time.Second, 5 * time.Second},
		"HTTP date capped":               {withRetryAfter(429, now.Add(time.Hour).Format(http.TimeFormat)), 10 * time.Second, time.Hour},
		"HTTP date past waits the minimum backoff": {withRetryAfter(429, now.Add(-time.Hour).Format(http.TimeFormat)), time.Millisecond, 0},
	}
	for name, tc := range exact {
		retry, wait, _ := c.judge(req, tc.answer, 1)
		if !retry || wait.d != tc.wait || wait.asked != tc.asked {
			t.Errorf("%s: retry %v, waited %s (asked %s), want %s (asked %s)", name, retry, wait.d, wait.asked, tc.wait, tc.asked)
		}
	}
	// Without a usable Retry-After: the exponential backoff.
	for _, v := range []string{"soon", "-5"} {
		_, wait, _ := c.judge(req, withRetryAfter(429, v), 1)
		if wait.asked != 0 || wait.d < time.Millisecond/2 || wait.d > time.Millisecond {
			t.Errorf("Retry-After %q: waited %s (asked %s), want the backoff", v, wait.d, wait.asked)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := &Client{}
	// Exponential with jitter, within [half, full].
	for attempt := range 70 {
		full := min(100*time.Millisecond<<min(attempt, 20), 2*time.Second)
		got := c.backoff(100*time.Millisecond, 2*time.Second, attempt)
		if got < full/2 || got > full {
			t.Errorf("attempt %d: waited %s, want within [%s, %s]", attempt, got, full/2, full)
		}
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
		cancel()
	})
	c := newTestClient(t, srv.URL, WithRetryAfterCap(30*time.Second))
	start := time.Now()
	_, err := c.ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("returned after %s", elapsed)
	}
	if rec.count() != 1 {
		t.Errorf("%d requests, want 1", rec.count())
	}
}

func TestCancelInFlight(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	serverSawCancel := make(chan struct{})
	srv, rec := serve(t, func(_ http.ResponseWriter, req *http.Request) {
		cancel()
		select {
		case <-req.Context().Done():
			close(serverSawCancel)
		case <-time.After(5 * time.Second):
		}
	})
	_, err := newTestClient(t, srv.URL).ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	select {
	case <-serverSawCancel:
	case <-time.After(5 * time.Second):
		t.Error("the server never saw the request aborted")
	}
	if rec.count() != 1 {
		t.Errorf("%d requests: a cancelled request was retried", rec.count())
	}
}

type logKey struct{}

func TestLogging(t *testing.T) {
	var mu sync.Mutex
	type entry struct {
		level  LogLevel
		msg    string
		fields map[string]any
		ctxOK  bool
	}
	var entries []entry
	logf := func(ctx context.Context, level LogLevel, msg string, fields map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		entries = append(entries, entry{level, msg, fields, ctx.Value(logKey{}) == "request"})
	}
	var calls int
	ok := areaCodesAPI{total: 1}.handler(t)
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		ok(w, req)
	})
	ctx := context.WithValue(t.Context(), logKey{}, "request")
	if _, err := newTestClient(t, srv.URL, WithLogger(logf)).ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	var statuses []any
	retried := false
	for _, e := range entries {
		if !e.ctxOK {
			t.Errorf("%q logged without the request's context", e.msg)
		}
		if e.level > LogDebug {
			t.Errorf("%q logged at level %d", e.msg, e.level)
		}
		text := fmt.Sprint(e.msg, e.fields)
		if strings.Contains(text, testSecretKey) || strings.Contains(text, testAccessKey) || strings.Contains(text, "Basic ") {
			t.Errorf("log entry reveals credentials: %s", text)
		}
		if s, ok := e.fields["status"]; ok {
			statuses = append(statuses, s)
		}
		if _, ok := e.fields["retry"]; ok {
			retried = true
		}
	}
	if fmt.Sprint(statuses) != "[502 200]" || !retried {
		t.Errorf("logged statuses %v, retry logged %v; entries %+v", statuses, retried, entries)
	}
}

func TestDefaultTransportHonoursProxyAndVerifiesTLS(t *testing.T) {
	c, err := New(testAccessKey, testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", c.http.Transport)
	}
	if reflect.ValueOf(tr.Proxy).Pointer() != reflect.ValueOf(http.ProxyFromEnvironment).Pointer() {
		t.Error("proxy settings from the environment are ignored")
	}
	if c.attemptTimeout != defaultAttemptTimeout || c.attemptTimeout <= 0 {
		t.Errorf("attempt timeout %s: one hung attempt would eat the whole read", c.attemptTimeout)
	}
	if c.http.CheckRedirect == nil {
		t.Error("redirects are followed, with the credentials")
	}
	if tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
		t.Error("TLS verification is off")
	}
}

// hangUntilCancelled never answers before the client gives up on the request.
func hangUntilCancelled(_ http.ResponseWriter, req *http.Request) {
	select {
	case <-req.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func TestAttemptTimeoutIsNotTheCallersDeadline(t *testing.T) {
	for name, hc := range map[string]*http.Client{
		"client timeout":          {Timeout: 50 * time.Millisecond},
		"response header timeout": {Transport: &http.Transport{ResponseHeaderTimeout: 50 * time.Millisecond}},
	} {
		t.Run(name, func(t *testing.T) {
			srv, rec := serve(t, hangUntilCancelled)
			c := newTestClient(t, srv.URL, WithHTTPClient(hc), WithMaxRetries(1))
			_, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "http://") || strings.Contains(msg, "?") || strings.Contains(msg, srv.URL) {
				t.Errorf("error %q carries the URL", msg)
			}
			if !strings.Contains(msg, "after 2 attempts") {
				t.Errorf("error %q does not say the attempts", msg)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %q passes for the caller's deadline", msg)
			}
			if rec.count() != 2 {
				t.Errorf("%d requests, want 2: a timed-out attempt is retried", rec.count())
			}
		})
	}
}

func TestBodyTimeoutIsNotTheCallersDeadline(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		_, _ = w.Write([]byte(`{"data": [`))
		_ = http.NewResponseController(w).Flush()
		hangUntilCancelled(w, req)
	})
	hc := &http.Client{Timeout: 100 * time.Millisecond}
	_, err := newTestClient(t, srv.URL, WithHTTPClient(hc)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if !errors.Is(err, ErrNoAnswer) || !strings.Contains(err.Error(), "reading the answer") {
		t.Fatalf("error %v, want a failed read", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %q passes for the caller's deadline", err)
	}
}

func TestCallersDeadlineReported(t *testing.T) {
	srv, _ := serve(t, hangUntilCancelled)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := newTestClient(t, srv.URL).ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the caller's deadline", err)
	}
	if strings.Contains(err.Error(), "http://") || strings.Contains(err.Error(), "?") {
		t.Errorf("error %q carries the URL", err)
	}
}

func TestRedirectsNotFollowed(t *testing.T) {
	for name, opts := range map[string][]Option{
		"default client":  nil,
		"caller's client": {WithHTTPClient(&http.Client{})},
	} {
		t.Run(name, func(t *testing.T) {
			target, targetRec := serve(t, areaCodesAPI{total: 1}.handler(t))
			srv, rec := serve(t, func(w http.ResponseWriter, req *http.Request) {
				http.Redirect(w, req, target.URL+req.URL.RequestURI(), http.StatusTemporaryRedirect)
			})
			_, err := newTestClient(t, srv.URL, opts...).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
			apiErr := asAPIError(t, err)
			if apiErr.StatusCode != http.StatusTemporaryRedirect {
				t.Errorf("status %d, want 307", apiErr.StatusCode)
			}
			if !strings.Contains(err.Error(), "not followed") {
				t.Errorf("error %q does not say the redirect was not followed", err)
			}
			if targetRec.count() != 0 || rec.count() != 1 {
				t.Errorf("%d requests to the redirect target and %d to the API, want 0 and 1", targetRec.count(), rec.count())
			}
		})
	}
}

func TestCallersRedirectPolicyKept(t *testing.T) {
	target, targetRec := serve(t, areaCodesAPI{total: 1}.handler(t))
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, target.URL+req.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	follow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	if _, err := newTestClient(t, srv.URL, WithHTTPClient(follow)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1}); err != nil {
		t.Fatal(err)
	}
	if targetRec.count() != 1 {
		t.Errorf("%d requests to the redirect target, want 1", targetRec.count())
	}
}

// cancelAfterAnswer answers status and then cancels the caller's context, as
// a cancellation landing just after the response would.
type cancelAfterAnswer struct {
	status int
	cancel context.CancelFunc
	closed atomic.Bool
}

func (c *cancelAfterAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	defer c.cancel()
	return &http.Response{
		StatusCode: c.status,
		Header:     http.Header{},
		Body:       &closeFlag{Reader: strings.NewReader(`{"errors":[{"status":429}]}`), closed: &c.closed},
		Request:    req,
	}, nil
}

type closeFlag struct {
	io.Reader
	closed *atomic.Bool
}

func (b *closeFlag) Close() error {
	b.closed.Store(true)
	return nil
}

func TestCancelRightAfterAnErrorStatus(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	tr := &cancelAfterAnswer{status: http.StatusTooManyRequests, cancel: cancel}
	c := newTestClient(t, "http://127.0.0.1:1", WithHTTPClient(&http.Client{Transport: tr}))
	_, err := c.ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		t.Errorf("a cancellation was reported as status %d", apiErr.StatusCode)
	}
	if !tr.closed.Load() {
		t.Error("the response body was left open")
	}
}

func TestStatusesAbove599NotRetried(t *testing.T) {
	for _, status := range []int{600, 799, 999} {
		srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) })
		_, err := newTestClient(t, srv.URL, WithMaxRetries(3)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
		if apiErr := asAPIError(t, err); apiErr.StatusCode != status {
			t.Errorf("status %d reported as %d", status, apiErr.StatusCode)
		}
		if rec.count() != 1 {
			t.Errorf("status %d: %d requests, want 1", status, rec.count())
		}
	}
}

func TestDefaultRetryLimit(t *testing.T) {
	srv, rec := serve(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	c, err := New(testAccessKey, testSecretKey, WithBaseURL(srv.URL), WithRetryWait(time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1}); asAPIError(t, err).StatusCode != 503 {
		t.Errorf("error %v", err)
	}
	if rec.count() != 5 {
		t.Errorf("%d requests, want 5", rec.count())
	}
}

func TestGivingUpLoggedAsWarning(t *testing.T) {
	type entry struct {
		msg    string
		fields map[string]any
		ctxOK  bool
	}
	cases := map[string]struct {
		handler http.HandlerFunc
		fields  map[string]any
	}{
		"status": {
			handler: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) },
			fields:  map[string]any{"method": "GET", "path": "/numbers/available/areacodes", "attempts": 3, "status": 502},
		},
		"connection": {
			handler: hangUntilCancelled,
			fields:  map[string]any{"method": "GET", "path": "/numbers/available/areacodes", "attempts": 3},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var (
				mu    sync.Mutex
				warns []entry
			)
			logf := func(ctx context.Context, level LogLevel, msg string, fields map[string]any) {
				if level != LogWarn {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				warns = append(warns, entry{msg, fields, ctx.Value(logKey{}) == "request"})
			}
			srv, _ := serve(t, tc.handler)
			c := newTestClient(t, srv.URL, WithLogger(logf), WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}))
			ctx := context.WithValue(t.Context(), logKey{}, "request")
			if _, err := c.ListAvailableAreaCodes(ctx, AreaCodesQuery{Window: 1}); err == nil {
				t.Fatal("no error")
			}
			mu.Lock()
			defer mu.Unlock()
			if len(warns) != 1 {
				t.Fatalf("%d warnings, want 1: %+v", len(warns), warns)
			}
			w := warns[0]
			if !w.ctxOK {
				t.Error("logged without the request's context")
			}
			for k, v := range tc.fields {
				if w.fields[k] != v {
					t.Errorf("field %s = %v, want %v (all: %v)", k, w.fields[k], v, w.fields)
				}
			}
			if text := fmt.Sprint(w.msg, w.fields); strings.Contains(text, "http://") {
				t.Errorf("warning %q carries the URL", text)
			}
		})
	}
}

func TestRetryWaitHonoursRetryAfter(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", WithRetryWait(10*time.Millisecond, 40*time.Millisecond))
	asked := fmt.Errorf("buying: %w", &APIError{StatusCode: 503, RetryAfter: 2 * time.Second})
	if got := c.RetryWait(asked, 1); got != 2*time.Second {
		t.Errorf("wait %v after Retry-After: 2, want 2s", got)
	}
	for attempt := 1; attempt <= 4; attempt++ {
		if got := c.RetryWait(errors.New("503"), attempt); got < 5*time.Millisecond || got > 40*time.Millisecond {
			t.Errorf("attempt %d: wait %v, want a backoff within 5ms and 40ms", attempt, got)
		}
	}
}
