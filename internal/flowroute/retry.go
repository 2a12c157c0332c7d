package flowroute

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// retryableTransport tells the failures a new attempt can cure (refused,
// reset, timed-out and cut-off connections) from those it cannot (an
// untrusted certificate, an https URL answered in plain HTTP, an unknown
// host, a malformed request).
func retryableTransport(err error) bool {
	var (
		certErr     *tls.CertificateVerificationError
		unknownCA   x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		dnsErr      *net.DNSError
		netErr      net.Error
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr),
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return false
	case errors.Is(err, errAttemptTimeout), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ETIMEDOUT),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return true
	case errors.As(err, &dnsErr):
		return dnsErr.IsTimeout || dnsErr.IsTemporary
	case errors.As(err, &netErr):
		return netErr.Timeout()
	}
	return false
}

// neverConnected reports a failure to reach the server at all: nothing was
// sent, so the server cannot have acted.
func neverConnected(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect")
}

// notSentError marks a failure that happened before the request left.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// certainlyNotActedOn reports failures after which the API has not acted on
// the request: it was never sent, or the API answered that it did not act
// (a 4xx, a 429 among them).
func certainlyNotActedOn(err error) bool {
	var notSent *notSentError
	if errors.As(err, &notSent) {
		return true
	}
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode <= 499
}

// attemptsError is a request that got no complete answer in any attempt.
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

// stoppedError is the caller's cancellation or deadline ending the retries
// of a request; it keeps the failure that was being retried.
type stoppedError struct {
	ctxErr error
	last   error
}

func (e *stoppedError) Error() string {
	return fmt.Sprintf("%v while retrying; the last attempt got: %v", e.ctxErr, e.last)
}

func (e *stoppedError) Unwrap() []error { return []error{e.ctxErr, e.last} }

// waitTooLongError is an answer whose Retry-After would outlast the
// caller's deadline, so it was not waited out.
type waitTooLongError struct {
	err         error
	asked, left time.Duration
}

func (e *waitTooLongError) Error() string {
	return fmt.Sprintf("%v; not retried: the server asked to wait %s, more than the %s left before the deadline",
		e.err, e.asked, e.left.Round(time.Millisecond))
}

func (e *waitTooLongError) Unwrap() error { return e.err }

// backoff waits exponentially longer with each attempt, with jitter, so that
// parallel clients do not retry in lockstep.
func (c *Client) backoff(lo, hi time.Duration, attempt int) time.Duration {
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

// parseRetryAfter reads delay-seconds or an HTTP date; a date gone by is 0.
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
