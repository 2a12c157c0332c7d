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

	"github.com/hashicorp/go-retryablehttp"
)

const (
	maxBodyBytes      = 16 << 20
	maxErrorBodyBytes = 64 << 10
	// maxPooledBuffer keeps one oversized answer from pinning memory.
	maxPooledBuffer = 1 << 20
)

// bodyBuffers holds *bytes.Buffer for reading bodies; New is left unset so
// that Get on an empty pool returns nil and get allocates.
var bodyBuffers sync.Pool

// get sends a GET with retries and passes a 2xx body to decode. The body's
// memory is reused afterwards, so decode must copy what it keeps.
func (c *Client) get(ctx context.Context, endpoint *url.URL, query url.Values, decode func(body []byte) error) error {
	u := *endpoint
	u.RawQuery = query.Encode()
	path := u.EscapedPath()
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	req.Header.Set("Accept", mediaType)
	req.Header.Set("User-Agent", c.userAgent)
	req.SetBasicAuth(c.accessKey, c.secretKey)

	resp, err := c.http.Do(req)
	if ctx.Err() != nil {
		// A cancellation landing with an answer is the caller's doing, not
		// the server's: the status (a 429 being retried, say) would mislead.
		if resp != nil {
			resp.Body.Close()
		}
		return fmt.Errorf("GET %s: %w", path, ctx.Err())
	}
	if err != nil {
		var failed *attemptsError
		if errors.As(err, &failed) {
			c.logGiveUp(ctx, http.MethodGet, path, failed.attempts, "error", failed.err.Error())
		}
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()

	buf, ok := bodyBuffers.Get().(*bytes.Buffer)
	if !ok {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			bodyBuffers.Put(buf)
		}
	}()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, readErr := buf.ReadFrom(io.LimitReader(resp.Body, maxErrorBodyBytes))
		if readErr != nil && ctx.Err() != nil {
			return fmt.Errorf("GET %s: %w", path, ctx.Err())
		}
		// A body cut short still yields the status and an excerpt.
		return newAPIError(resp.StatusCode, http.MethodGet, path, buf.Bytes())
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		} else {
			err = notCallersDeadline(err)
		}
		return fmt.Errorf("GET %s: %w: reading the response: %w", path, ErrNoAnswer, err)
	}
	if n > maxBodyBytes {
		return fmt.Errorf("GET %s: %w: larger than %d bytes", path, ErrMalformedResponse, maxBodyBytes)
	}
	if err := decode(buf.Bytes()); err != nil {
		return fmt.Errorf("GET %s: %w: %w", path, ErrMalformedResponse, err)
	}
	return nil
}
