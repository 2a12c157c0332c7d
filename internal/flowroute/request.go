package flowroute

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

const (
	maxBodyBytes      = 16 << 20
	maxErrorBodyBytes = 64 << 10
	// maxPooledBuffer keeps one oversized answer from pinning memory.
	maxPooledBuffer = 1 << 20
)

// bodyBuffers holds *bytes.Buffer for reading bodies; New is left unset so
// that Get on an empty pool returns nil and send allocates.
var bodyBuffers sync.Pool

// retryRule says which failures a request may be sent again after.
type retryRule int

const (
	// retrySafe: the request may be repeated whatever happened to the last
	// attempt (GET, and writes that set a value).
	retrySafe retryRule = iota
	// retryIfNotActedOn: the request costs money or creates something, so it
	// is repeated only when the API certainly did not act on it: a 429, or a
	// connection that was never made. Any other failure is ErrOutcomeUnknown.
	retryIfNotActedOn
)

// request is one API call.
type request struct {
	method   string
	endpoint *url.URL
	query    url.Values
	body     []byte // JSON, nil for none
	rule     retryRule
}

func (r request) String() string { return r.method + " " + r.endpoint.EscapedPath() }

// get sends a GET and passes a 2xx body to decode. The body's memory is
// reused afterwards, so decode must copy what it keeps.
func (c *Client) get(ctx context.Context, endpoint *url.URL, query url.Values, decode func(body []byte) error) error {
	return c.send(ctx, request{method: http.MethodGet, endpoint: endpoint, query: query}, func(_ int, body []byte) error {
		return decode(body)
	})
}

// sendItem sends req and decodes its answer about one item, as I, into T.
func sendItem[I, T any](ctx context.Context, c *Client, req request, convert func(I) (T, error)) (*T, error) {
	var out *T
	err := c.send(ctx, req, func(_ int, body []byte) error {
		var err error
		out, err = decodeItem(body, convert)
		return err
	})
	return out, err
}

// attempt is what one try of a request came to.
type attempt struct {
	status int
	header http.Header
	body   *bytes.Buffer // the whole body when err is nil
	err    error         // no complete answer: transport or body failure
}

// send runs req with retries and passes a 2xx answer's status and body to
// handle (body memory is reused afterwards). Non-2xx answers become
// *APIError; failures without a complete answer wrap ErrNoAnswer; when the
// caller's context ends, the error wraps its error and says what the server
// last answered.
func (c *Client) send(ctx context.Context, req request, handle func(status int, body []byte) error) error {
	u := *req.endpoint
	u.RawQuery = req.query.Encode()
	target := u.String()
	path := u.EscapedPath()

	var last error // the last failure, for an error when the deadline ends the retries
	maxAttempts := c.maxRetries + 1
	for n := 1; ; n++ {
		if n > 1 {
			c.logf(ctx, LogDebug, "retrying request", map[string]any{"method": req.method, "path": path, "query": u.RawQuery, "retry": n - 1})
		} else {
			c.logf(ctx, LogTrace, "sending request", map[string]any{"method": req.method, "path": path, "query": u.RawQuery})
		}
		a := c.try(ctx, req, target)
		if ctxErr := ctx.Err(); ctxErr != nil {
			// The caller's doing, not the server's: a status or a cut
			// connection landing with it would mislead. The attempt in
			// flight, not the last failure, says whether the API may have
			// acted.
			mayHaveActed := a.mayHaveActed()
			a.release()
			return c.stopped(req, ctxErr, last, mayHaveActed)
		}
		if a.err == nil {
			c.logf(ctx, LogDebug, "received response", map[string]any{"method": req.method, "path": path, "query": u.RawQuery, "status": a.status})
			if req.method != http.MethodGet {
				c.logf(ctx, LogInfo, "write answered", map[string]any{"method": req.method, "path": path, "status": a.status})
			}
		}

		retry, wait, failure := c.judge(req, a, n)
		if failure == nil {
			err := handle(a.status, a.body.Bytes())
			a.release()
			if err != nil {
				return fmt.Errorf("%s: %w: %s", req, ErrMalformedResponse, c.redact(err.Error()))
			}
			return nil
		}
		a.release()
		last = failure
		if !retry || n >= maxAttempts {
			level := LogWarn
			if !retry && n == 1 {
				level = LogError
			}
			fields := map[string]any{"method": req.method, "path": path, "attempts": n}
			var apiErr *APIError
			if errors.As(failure, &apiErr) {
				fields["status"] = apiErr.StatusCode
			} else {
				fields["error"] = failure.Error()
			}
			c.logf(ctx, level, "giving up on request", fields)
			if !errors.As(failure, &apiErr) {
				failure = &attemptsError{attempts: n, err: failure}
			}
			return c.failed(req, failure)
		}
		if deadline, ok := ctx.Deadline(); ok {
			if left := time.Until(deadline); wait.asked > left {
				// Waiting it out would only end in the deadline: report the answer now.
				return c.failed(req, &waitTooLongError{err: failure, asked: wait.asked, left: left})
			}
		}
		timer := time.NewTimer(wait.d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return c.stopped(req, ctx.Err(), last, !certainlyNotActedOn(last))
		case <-timer.C:
		}
	}
}

// failed wraps a request's final failure, marking an unknown outcome for
// requests that are not repeated blindly.
func (c *Client) failed(req request, failure error) error {
	var apiErr *APIError
	switch {
	case req.rule == retryIfNotActedOn && !certainlyNotActedOn(failure):
		return fmt.Errorf("%s: %w: %w", req, ErrOutcomeUnknown, failure)
	case errors.As(failure, &apiErr):
		return failure // it names the request itself
	}
	return fmt.Errorf("%s: %w", req, failure)
}

// stopped reports the caller's cancellation or deadline with the last
// failure seen, so that a timeout still says what the server answered;
// mayHaveActed marks an unknown outcome for requests not repeated blindly.
func (c *Client) stopped(req request, ctxErr, last error, mayHaveActed bool) error {
	err := ctxErr
	if last != nil {
		err = &stoppedError{ctxErr: ctxErr, last: last}
	}
	if req.rule == retryIfNotActedOn && mayHaveActed {
		return fmt.Errorf("%s: %w: %w", req, ErrOutcomeUnknown, err)
	}
	return fmt.Errorf("%s: %w", req, err)
}

// try sends one attempt and reads its whole body within the per-attempt
// limit, so a hung header and a stalled body are cut alike.
func (c *Client) try(ctx context.Context, req request, target string) attempt {
	attemptCtx, cancel := context.WithTimeout(ctx, c.attemptTimeout)
	defer cancel()
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(attemptCtx, req.method, target, body)
	if err != nil {
		return attempt{err: errors.New("cannot build the request")}
	}
	httpReq.Header.Set("Accept", mediaType)
	httpReq.Header.Set("User-Agent", c.userAgent)
	if req.body != nil {
		httpReq.Header.Set("Content-Type", mediaType)
	}
	httpReq.SetBasicAuth(c.accessKey, c.secretKey)

	resp, err := c.http.Do(httpReq)
	if err != nil {
		err = c.transportError(err, attemptCtx, ctx)
		if neverConnected(err) {
			err = &notSentError{err}
		}
		return attempt{err: err}
	}
	defer resp.Body.Close()

	buf, ok := bodyBuffers.Get().(*bytes.Buffer)
	if !ok {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	a := attempt{status: resp.StatusCode, header: resp.Header, body: buf}
	limit := int64(maxBodyBytes)
	if !success(resp.StatusCode) {
		limit = maxErrorBodyBytes
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	switch {
	case err != nil:
		a.err = fmt.Errorf("reading the answer (HTTP %d): %w", resp.StatusCode, c.transportError(err, attemptCtx, ctx))
	case n > limit && success(resp.StatusCode):
		a.err = fmt.Errorf("%w: larger than %d bytes", errTooLarge, maxBodyBytes)
	case n > limit:
		// An error page's excerpt needs only its start.
		buf.Truncate(int(limit))
	}
	return a
}

// mayHaveActed reports whether the API may have acted on the attempt: it
// did unless the request never left or the API answered that it did not
// (a 4xx).
func (a *attempt) mayHaveActed() bool {
	if a.err != nil {
		var notSent *notSentError
		return !errors.As(a.err, &notSent)
	}
	return a.status != 0 && (a.status < 400 || a.status > 499)
}

// release returns the attempt's body buffer to the pool.
func (a *attempt) release() {
	if a.body != nil && a.body.Cap() <= maxPooledBuffer {
		bodyBuffers.Put(a.body)
	}
	a.body = nil
}

var errTooLarge = errors.New("answer too large")

// transportError keeps the text of a failed attempt without the URL, which
// url.Error repeats, and tells the per-attempt limit from the caller's own
// deadline: only the latter is context.DeadlineExceeded to callers.
func (c *Client) transportError(err error, attemptCtx, callerCtx context.Context) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	if callerCtx.Err() == nil && attemptCtx.Err() != nil {
		return fmt.Errorf("%w: no complete answer within %s", errAttemptTimeout, c.attemptTimeout)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		// An http.Client.Timeout: the attempt's limit, not the caller's.
		return fmt.Errorf("%w: %s", errAttemptTimeout, err.Error())
	}
	return err
}

var errAttemptTimeout = errors.New("attempt timed out")

func success(status int) bool { return status >= 200 && status <= 299 }

// waitFor is how long to wait before the next attempt, and how long the
// server asked for (0 when it did not).
type waitFor struct{ d, asked time.Duration }

// judge says whether an attempt may be sent again, the wait before that,
// and the attempt's failure (nil for a usable 2xx answer).
func (c *Client) judge(req request, a attempt, n int) (retry bool, wait waitFor, failure error) {
	if a.err != nil {
		if errors.Is(a.err, errTooLarge) {
			return false, waitFor{}, fmt.Errorf("%w: %w", ErrMalformedResponse, a.err)
		}
		failure = a.err
		retry = retryableTransport(a.err) && (req.rule == retrySafe || certainlyNotActedOn(a.err))
		if a.status != 0 {
			// A status came but the body was cut: the server has acted, or
			// not, and its answer is lost all the same.
			retry = retryableTransport(a.err) && req.rule == retrySafe
		}
		return retry, waitFor{d: c.backoffWait(n)}, failure
	}
	if success(a.status) {
		return false, waitFor{}, nil
	}
	apiErr := newAPIError(a.status, req.method, req.endpoint.EscapedPath(), a.body.Bytes(), c.redact)
	asked, hasRetryAfter := parseRetryAfter(a.header.Get("Retry-After"), c.now())
	if hasRetryAfter {
		apiErr.RetryAfter = asked
	}
	switch {
	case a.status == http.StatusTooManyRequests:
		retry = true // the API did not act on a throttled request
	case a.status >= 500 && a.status <= 599 && a.status != http.StatusNotImplemented:
		retry = req.rule == retrySafe
	}
	wait = waitFor{d: c.backoffWait(n)}
	if hasRetryAfter {
		// Retry-After: 0 (or a date gone by) still waits the minimum, so a
		// busy server is not hammered.
		wait = waitFor{d: max(min(asked, c.retryAfterCap), c.retryWaitMin), asked: asked}
	}
	return retry, wait, apiErr
}

// RetryWait is how long to wait before sending a request again whose
// attempt-th try (from 1) failed with err: the wait its answer asked for
// (Retry-After, capped), else the client's exponential backoff. It is for
// callers that repeat a request themselves, such as a purchase.
func (c *Client) RetryWait(err error, attempt int) time.Duration {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return max(min(apiErr.RetryAfter, c.retryAfterCap), c.retryWaitMin)
	}
	return c.backoffWait(attempt)
}

// backoffWait is the exponential wait with jitter before attempt n+1.
func (c *Client) backoffWait(n int) time.Duration {
	return c.backoff(c.retryWaitMin, c.retryWaitMax, n-1)
}

func (c *Client) logf(ctx context.Context, level LogLevel, msg string, fields map[string]any) {
	if c.log != nil {
		c.log(ctx, level, msg, fields)
	}
}
