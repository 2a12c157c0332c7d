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
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
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

	// defaultAttemptTimeout bounds one attempt, headers and body.
	defaultAttemptTimeout = 60 * time.Second
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
	baseURL        string
	userAgent      string
	maxRetries     int
	httpClient     *http.Client
	log            LogFunc
	retryWaitMin   time.Duration
	retryWaitMax   time.Duration
	retryAfterCap  time.Duration
	attemptTimeout time.Duration
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
// HTTPS_PROXY/NO_PROXY and verifies TLS). Unless hc sets CheckRedirect,
// redirects are not followed.
func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.httpClient = hc } }

// WithLogger receives the client's messages: each request and answer
// (trace, debug), each write's answer (info), and each request given up on
// (warn, or error when it failed at once for good).
func WithLogger(log LogFunc) Option { return func(s *settings) { s.log = log } }

// WithRetryWait sets the bounds of the exponential backoff between retries.
// The minimum is also the least wait after a Retry-After of 0.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(s *settings) { s.retryWaitMin, s.retryWaitMax = minWait, maxWait }
}

// WithRetryAfterCap sets the longest Retry-After the client will wait for;
// longer waits are shortened to it.
func WithRetryAfterCap(d time.Duration) Option {
	return func(s *settings) { s.retryAfterCap = d }
}

// WithAttemptTimeout bounds one attempt, from sending the request to the
// last byte of the answer, so a hung or stalled answer is retried instead of
// using up the caller's whole deadline.
func WithAttemptTimeout(d time.Duration) Option {
	return func(s *settings) { s.attemptTimeout = d }
}

// Client talks to the Numbers API. It is safe for concurrent use.
type Client struct {
	base           *url.URL
	accessKey      string
	secretKey      string
	userAgent      string
	log            LogFunc
	maxRetries     int
	retryWaitMin   time.Duration
	retryWaitMax   time.Duration
	retryAfterCap  time.Duration
	attemptTimeout time.Duration
	now            func() time.Time
	http           *http.Client
	secrets        *redactor
}

// New returns a client authenticating with the given API keys.
func New(accessKey, secretKey string, opts ...Option) (*Client, error) {
	s := settings{
		baseURL:        DefaultBaseURL,
		userAgent:      defaultUserAgent,
		maxRetries:     DefaultMaxRetries,
		retryWaitMin:   defaultRetryWaitMin,
		retryWaitMax:   defaultRetryWaitMax,
		retryAfterCap:  defaultRetryAfterCap,
		attemptTimeout: defaultAttemptTimeout,
	}
	for _, opt := range opts {
		opt(&s)
	}
	base, err := ParseBaseURL(s.baseURL)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.Contains(accessKey, ":"):
		return nil, errors.New(`the access key must not contain ":": HTTP basic auth cannot carry it`)
	case s.maxRetries < 0:
		return nil, fmt.Errorf("max retries must be 0 or more, got %d", s.maxRetries)
	case s.retryWaitMin < 0 || s.retryWaitMax < s.retryWaitMin:
		return nil, fmt.Errorf("retry wait bounds must satisfy 0 <= min <= max, got %s and %s", s.retryWaitMin, s.retryWaitMax)
	case s.retryAfterCap < 0:
		return nil, fmt.Errorf("retry-after cap must be 0 or more, got %s", s.retryAfterCap)
	case s.attemptTimeout <= 0:
		return nil, fmt.Errorf("attempt timeout must be positive, got %s", s.attemptTimeout)
	}
	if s.httpClient == nil {
		s.httpClient = &http.Client{Transport: cleanhttp.DefaultPooledTransport()}
	}
	httpClient := *s.httpClient
	if httpClient.CheckRedirect == nil {
		// Go forwards the Authorization header on redirects to the same host,
		// whatever the scheme or port: a 3xx is reported, never followed.
		httpClient.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return &Client{
		base:           base,
		accessKey:      accessKey,
		secretKey:      secretKey,
		userAgent:      s.userAgent,
		log:            s.log,
		maxRetries:     s.maxRetries,
		retryWaitMin:   s.retryWaitMin,
		retryWaitMax:   s.retryWaitMax,
		retryAfterCap:  s.retryAfterCap,
		attemptTimeout: s.attemptTimeout,
		now:            time.Now,
		http:           &httpClient,
		secrets:        newRedactor(SecretForms(accessKey, secretKey)...),
	}, nil
}

// ParseBaseURL checks that raw is an absolute http or https URL without
// credentials, query or fragment, and returns it without trailing slashes.
// Errors show raw with anything that may be credentials cut out.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base URL %q is not a valid URL: %s", RedactURL(raw), parseProblem(err))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("base URL %q must be an absolute http or https URL", RedactURL(raw))
	case u.User != nil || strings.Contains(raw, "@"):
		// Credentials travel in the Authorization header, never in URLs that may end up in logs.
		return nil, fmt.Errorf("base URL %q must not contain credentials", RedactURL(raw))
	case u.Host == "" || u.Opaque != "":
		return nil, fmt.Errorf("base URL %q has no host", RedactURL(raw))
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", RedactURL(raw))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// RedactURL cuts everything between the scheme and the last "@" of raw:
// a password holding "/", "?" or "#" makes url.Parse split the URL
// elsewhere, so only the raw text tells where credentials may end.
func RedactURL(raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := strings.Index(raw, "://")
	if start < 0 || start > at {
		start = -3
	}
	return raw[:start+3] + "xxxxx" + raw[at:]
}

// parseProblem is url.Parse's complaint without the parts of the URL that
// it quotes, which may hold a password.
func parseProblem(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return quoted.ReplaceAllString(err.Error(), "")
}

var quoted = regexp.MustCompile(` ?"[^"]*"`)

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
