// Package flowroute is a small client for Flowroute's Numbers API v2.
//
// It is plain Go with no Terraform dependency. Every request carries HTTP
// basic auth, is retried on throttling, server errors and connection errors,
// and honours the caller's context. Non-2xx answers become *APIError.
package flowroute

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

const (
	// DefaultBaseURL is Flowroute's production API root.
	DefaultBaseURL = "https://api.flowroute.com/v2"
	// DefaultMaxRetries is how many times a failed request is retried.
	DefaultMaxRetries = 4

	defaultUserAgent     = "terraform-provider-flowroute"
	defaultRetryWaitMin  = time.Second
	defaultRetryWaitMax  = 30 * time.Second
	defaultRetryAfterCap = 60 * time.Second
	mediaType            = "application/vnd.api+json"

	// defaultResponseHeaderTimeout bounds one attempt, so a hung answer is
	// retried instead of using up the caller's whole deadline.
	defaultResponseHeaderTimeout = 60 * time.Second
)

// LogLevel orders log messages by importance.
type LogLevel int

// Log levels, from the most verbose.
const (
	LogTrace LogLevel = iota
	LogDebug
	LogInfo
	LogWarn
	LogError
)

// LogFunc receives the request's context so the caller can route messages to
// its own logger (tflog, for instance). Fields never contain credentials.
type LogFunc func(ctx context.Context, level LogLevel, msg string, fields map[string]any)

type settings struct {
	baseURL       string
	userAgent     string
	maxRetries    int
	httpClient    *http.Client
	log           LogFunc
	retryWaitMin  time.Duration
	retryWaitMax  time.Duration
	retryAfterCap time.Duration
}

// Option changes a setting of New.
type Option func(*settings)

// WithBaseURL replaces DefaultBaseURL, for a proxy or a simulator.
func WithBaseURL(u string) Option { return func(s *settings) { s.baseURL = u } }

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// WithMaxRetries bounds the retries of one request; 0 disables retrying.
func WithMaxRetries(n int) Option { return func(s *settings) { s.maxRetries = n } }

// WithHTTPClient replaces the default pooled client (which honours
// HTTPS_PROXY/NO_PROXY, verifies TLS and gives each attempt 60 seconds to
// answer). Unless hc sets CheckRedirect, redirects are not followed.
func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.httpClient = hc } }

// WithLogger receives the client's trace and debug messages, and a warning
// for each request it gives up on.
func WithLogger(log LogFunc) Option { return func(s *settings) { s.log = log } }

// WithRetryWait sets the bounds of the exponential backoff between retries.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(s *settings) { s.retryWaitMin, s.retryWaitMax = minWait, maxWait }
}

// WithRetryAfterCap sets the longest Retry-After the client will wait for;
// longer waits are shortened to it.
func WithRetryAfterCap(d time.Duration) Option {
	return func(s *settings) { s.retryAfterCap = d }
}

// Client talks to the Numbers API. It is safe for concurrent use.
type Client struct {
	base          *url.URL
	accessKey     string
	secretKey     string
	userAgent     string
	log           LogFunc
	retryAfterCap time.Duration
	now           func() time.Time
	http          *retryablehttp.Client
}

// New returns a client authenticating with the given API keys.
func New(accessKey, secretKey string, opts ...Option) (*Client, error) {
	s := settings{
		baseURL:       DefaultBaseURL,
		userAgent:     defaultUserAgent,
		maxRetries:    DefaultMaxRetries,
		retryWaitMin:  defaultRetryWaitMin,
		retryWaitMax:  defaultRetryWaitMax,
		retryAfterCap: defaultRetryAfterCap,
	}
	for _, opt := range opts {
		opt(&s)
	}
	base, err := ParseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}
	switch {
	case s.maxRetries < 0:
		return nil, fmt.Errorf("max retries must be 0 or more, got %d", s.maxRetries)
	case s.retryWaitMin < 0 || s.retryWaitMax < s.retryWaitMin:
		return nil, fmt.Errorf("retry wait bounds must satisfy 0 <= min <= max, got %s and %s", s.retryWaitMin, s.retryWaitMax)
	case s.retryAfterCap < 0:
		return nil, fmt.Errorf("retry-after cap must be 0 or more, got %s", s.retryAfterCap)
	}
	if s.httpClient == nil {
		transport := cleanhttp.DefaultPooledTransport()
		transport.ResponseHeaderTimeout = defaultResponseHeaderTimeout
		s.httpClient = &http.Client{Transport: transport}
	}
	httpClient := *s.httpClient
	if httpClient.CheckRedirect == nil {
		// Go forwards the Authorization header on redirects to the same host,
		// whatever the scheme or port: a 3xx is reported, never followed.
		httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	transport := httpClient.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	httpClient.Transport = keepIdleConnections{transport}
	c := &Client{
		base:          base,
		accessKey:     accessKey,
		secretKey:     secretKey,
		userAgent:     s.userAgent,
		log:           s.log,
		retryAfterCap: s.retryAfterCap,
		now:           time.Now,
	}
	c.http = &retryablehttp.Client{
		HTTPClient: &httpClient,
		// retryablehttp's own logger prints full URLs; logging goes through the hooks.
		Logger:          nil,
		RetryWaitMin:    s.retryWaitMin,
		RetryWaitMax:    s.retryWaitMax,
		RetryMax:        s.maxRetries,
		CheckRetry:      retryPolicy,
		Backoff:         c.backoff,
		ErrorHandler:    c.giveUp,
		RequestLogHook:  c.logRequest,
		ResponseLogHook: c.logResponse,
	}
	return c, nil
}

// ParseBaseURL checks that raw is an absolute http or https URL without
// credentials, query or fragment, and returns it without trailing slashes.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// The inner error alone: url.Error would repeat raw, which may hold a password.
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, fmt.Errorf("invalid base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("base URL %q must be an absolute http or https URL", u.Redacted())
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("base URL %q has no host", u.Redacted())
	case u.User != nil:
		// Credentials travel in the Authorization header, never in URLs that may end up in logs.
		return nil, fmt.Errorf("base URL %q must not contain credentials", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// keepIdleConnections hides the transport's CloseIdleConnections from
// retryablehttp, which calls it whenever a request fails or is cancelled.
// Speculative pages are routinely cancelled, and closing the pool each time
// would make the next requests set up connections (and TLS) again.
type keepIdleConnections struct{ http.RoundTripper }

// endpoint is the URL of an API path under the base URL.
func (c *Client) endpoint(elem ...string) *url.URL {
	u := c.base.JoinPath(elem...)
	// JoinPath on a base without a path yields a relative path, which would
	// read badly in errors and logs.
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
		if u.RawPath != "" {
			u.RawPath = "/" + u.RawPath
		}
	}
	return u
}

// retryPolicy is retryablehttp's (429, 5xx but 501, connection errors),
// which would also retry statuses above 599: those are not 5xx.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, checkErr := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	if retry && resp != nil && resp.StatusCode > 599 {
		return false, nil
	}
	return retry, checkErr
}

// giveUp runs when retrying ends without a success. It hands the last
// response back, so its status and error body reach the caller as an
// *APIError; get reports the caller's own cancellation before either.
func (c *Client) giveUp(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil {
		if req := resp.Request; req != nil && req.Context().Err() == nil {
			c.logGiveUp(req.Context(), req.Method, req.URL.EscapedPath(), attempts, "status", resp.StatusCode)
		}
		return resp, nil
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		// The full URL and query; the caller adds method and path only.
		err = urlErr.Err
	}
	return nil, &attemptsError{attempts: attempts, err: notCallersDeadline(err)}
}

// notCallersDeadline keeps the text of the client's own timeouts (dial,
// response headers, http.Client.Timeout) but not their identity: callers take
// errors.Is(err, context.DeadlineExceeded) for their deadline expiring, and
// get reports that one from the request's context instead.
func notCallersDeadline(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New(err.Error())
	}
	return err
}

func (c *Client) logGiveUp(ctx context.Context, method, path string, attempts int, key string, value any) {
	if c.log == nil {
		return
	}
	c.log(ctx, LogWarn, "giving up on request", map[string]any{"method": method, "path": path, "attempts": attempts, key: value})
}

type attemptsError struct {
	attempts int
	err      error
}

func (e *attemptsError) Error() string {
	noun := "attempts"
	if e.attempts == 1 {
		noun = "attempt"
	}
	return fmt.Sprintf("request failed after %d %s: %v", e.attempts, noun, e.err)
}

func (e *attemptsError) Unwrap() error { return e.err }

func (e *attemptsError) Is(target error) bool { return target == ErrNoAnswer }

// backoff honours Retry-After (capped) and otherwise waits exponentially
// longer with jitter, so that parallel clients do not retry in lockstep.
func (c *Client) backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
			return min(wait, c.retryAfterCap)
		}
	}
	wait := hi
	if attempt < 63 && lo <= hi>>attempt {
		wait = lo << attempt
	}
	// Equal jitter: at least half the exponential wait, so retries of
	// parallel requests spread out without collapsing to zero.
	half := wait / 2
	if half == 0 {
		return wait
	}
	return half + rand.N(wait-half)
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(time.Duration(1<<63-1)/time.Second) {
			return time.Duration(1<<63 - 1), true
		}
		return time.Duration(secs) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

func (c *Client) logRequest(_ retryablehttp.Logger, req *http.Request, retry int) {
	if c.log == nil {
		return
	}
	fields := map[string]any{"method": req.Method, "path": req.URL.EscapedPath(), "query": req.URL.RawQuery}
	if retry == 0 {
		c.log(req.Context(), LogTrace, "sending request", fields)
		return
	}
	fields["retry"] = retry
	c.log(req.Context(), LogDebug, "retrying request", fields)
}

func (c *Client) logResponse(_ retryablehttp.Logger, resp *http.Response) {
	if c.log == nil || resp.Request == nil {
		return
	}
	req := resp.Request
	c.log(req.Context(), LogDebug, "received response", map[string]any{
		"method": req.Method, "path": req.URL.EscapedPath(), "query": req.URL.RawQuery, "status": resp.StatusCode,
	})
}
