package simulator

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultBody selects how a fault damages the answer's body.
type FaultBody int

const (
	// BodyNormal leaves the body alone.
	BodyNormal FaultBody = iota
	// BodyTruncated sends the first half of the JSON answer.
	BodyTruncated
	// BodyMalformed sends JSON:API content that is not JSON.
	BodyMalformed
	// BodyHTML sends a proxy's HTML error page as text/html.
	BodyHTML
	// BodyEmpty sends no body at all.
	BodyEmpty
	// BodyEchoHeaders sends, as text/html, the error page of a misconfigured
	// proxy that shows the request it got: its headers, Authorization
	// included, verbatim.
	BodyEchoHeaders
	// BodyCutOff announces the whole body's Content-Length, sends about half
	// of it and closes the connection: the client reads an unexpected EOF.
	BodyCutOff
	// BodyStall announces the whole body's Content-Length, sends about half
	// of it and then nothing until the client leaves or the server stops.
	BodyStall
)

func (b FaultBody) String() string {
	switch b {
	case BodyNormal:
		return "normal"
	case BodyTruncated:
		return "truncated"
	case BodyMalformed:
		return "malformed"
	case BodyHTML:
		return "html"
	case BodyEmpty:
		return "empty"
	case BodyEchoHeaders:
		return "echo-headers"
	case BodyCutOff:
		return "cut-off"
	case BodyStall:
		return "stall"
	}
	return fmt.Sprintf("FaultBody(%d)", int(b))
}

// Fault scripts a misbehaviour for matching /v2 requests that passed auth:
// a request matches when Method, Path, PathPrefix and Offset all do. In one
// fault, Latency comes first, then ResetConnection, then Status (an errors
// body, or a damaged one with Body); without Status the normal answer is
// sent, shaped by Body, ExtraItems, Overlap, ForeignNext and StuckNext.
// Latency, ResetConnection and Status come before the request is carried
// out, unless ActFirst; a request that gets through is carried out, so
// BodyCutOff or BodyStall on a purchase buys the number and loses the answer.
type Fault struct {
	// Method matches this request method exactly ("POST"); "" matches any.
	Method string
	// Path matches this URL path exactly; "" matches any.
	Path string
	// PathPrefix matches the URL paths that start with it: Method "POST"
	// with PathPrefix "/v2/numbers/1" is every purchase. "" matches any.
	PathPrefix string
	// Offset matches requests with this offset (absent counts as 0); nil matches any.
	Offset *int
	// Times is how many matching requests the fault fires on before it
	// expires; 0 or less means forever.
	Times int

	// Status answers this final HTTP status (200-599) with a JSON errors
	// body; 0 means none. 204 and 304 go out without a body, as HTTP wants.
	Status int
	// RetryAfter is sent as the Retry-After header.
	RetryAfter string
	// Latency delays the answer, unless the client gives up first.
	Latency time.Duration
	// Body damages the body; with Status 0 the status stays the normal one (200).
	Body FaultBody
	// ResetConnection drops the connection (with a TCP reset) without answering.
	ResetConnection bool
	// ExtraItems answers a page with this many more items than asked.
	ExtraItems int
	// Overlap starts the page this many items before the asked offset, so
	// items repeat across pages; links.next stays where it would be.
	Overlap int
	// ForeignNext, when set, is sent as links.next on every page.
	ForeignNext string
	// StuckNext sends links.next pointing at the same offset on every page.
	StuckNext bool

	// ActFirst carries the request out (the purchase made, the change
	// applied, the number released) before Latency, ResetConnection and
	// Status apply: it was acted on, then the answer was late, lost or an
	// error. Without it they apply first, and a fault that answers leaves
	// the account as it was.
	ActFirst bool
	// ActLater holds the request and carries it out after this delay,
	// whether or not the client is still waiting, as a server does that
	// finishes its work after the client left: a client still connected
	// then gets the normal answer, one that left gets nothing. A purchase
	// held so takes its number out of the listings at once, so a purchase
	// sent again meanwhile finds it not for sale, and the account owns it
	// only once the delay is over. It goes alone: no other misbehaviour.
	ActLater time.Duration
	// TakeNumber, on a purchase (POST /v2/numbers/{number}), has another
	// account buy the number as the request arrives, so the purchase finds
	// it gone: a race between a listing and a purchase. Other matching
	// requests count against Times but take nothing.
	TakeNumber bool
}

type activeFault struct {
	Fault
	remaining int
}

// Validate reports a fault the server cannot send or that could never act as
// written: a Status other than 0 outside 200-599 (Go sends a 1xx status as an
// interim response followed by a 200, and codes from 600 up are not HTTP
// statuses); a Method not in upper case (methods are case-sensitive); a Path
// or PathPrefix that does not start with "/", or a Path outside its
// PathPrefix; ActFirst without Latency, ResetConnection or Status to apply
// after acting; TakeNumber with a Method other than POST; an unknown Body.
func (f Fault) Validate() error {
	switch {
	case f.Status != 0 && (f.Status < 200 || f.Status > 599):
		return fmt.Errorf("fault status %d: want an HTTP status from 200 to 599, or 0 for none", f.Status)
	case f.Method != strings.ToUpper(f.Method):
		return fmt.Errorf("fault method %q: methods are case-sensitive, want %q", f.Method, strings.ToUpper(f.Method))
	case f.Path != "" && !strings.HasPrefix(f.Path, "/"):
		return fmt.Errorf("fault path %q: want a path starting with /", f.Path)
	case f.PathPrefix != "" && !strings.HasPrefix(f.PathPrefix, "/"):
		return fmt.Errorf("fault path prefix %q: want a path starting with /", f.PathPrefix)
	case f.Path != "" && !strings.HasPrefix(f.Path, f.PathPrefix):
		return fmt.Errorf("fault path %q is outside its path prefix %q: the fault would never fire", f.Path, f.PathPrefix)
	case f.ActFirst && f.Latency <= 0 && !f.ResetConnection && f.Status == 0:
		return errors.New("fault ActFirst: want Latency, ResetConnection or Status to apply after acting")
	case f.TakeNumber && f.Method != "" && f.Method != http.MethodPost:
		return fmt.Errorf("fault TakeNumber acts on purchases (POST), not on method %s", f.Method)
	case f.ActLater < 0:
		return fmt.Errorf("fault ActLater %v: want a delay of 0 or more", f.ActLater)
	case f.ActLater > 0 && (f.ActFirst || f.Latency > 0 || f.ResetConnection || f.Status != 0 || f.Body != BodyNormal ||
		f.TakeNumber):
		return errors.New("fault ActLater goes alone: the request is carried out late and answered normally")
	case f.Body < BodyNormal || f.Body > BodyStall:
		return fmt.Errorf("fault body %v: unknown", f.Body)
	}
	return nil
}

// AddFault adds a fault after those already added; for each request the
// first live match fires. It panics when f.Validate fails, since such a fault
// would quietly answer something else than the test scripted.
func (s *Server) AddFault(f Fault) {
	if err := f.Validate(); err != nil {
		panic("simulator: AddFault: " + err.Error())
	}
	s.mu.Lock()
	s.faults = append(s.faults, &activeFault{Fault: f, remaining: f.Times})
	s.mu.Unlock()
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns the fault that fires for this request, if any, counting
// it against its Times.
func (s *Server) takeFault(method, path string, query url.Values) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return nil
	}
	offset, err := strconv.Atoi(query.Get("offset"))
	if !query.Has("offset") {
		offset, err = 0, nil
	}
	for i, f := range s.faults {
		if f.Method != "" && f.Method != method || f.Path != "" && f.Path != path || !strings.HasPrefix(path, f.PathPrefix) {
			continue
		}
		if f.Offset != nil && (err != nil || *f.Offset != offset) {
			continue
		}
		if f.Times > 0 {
			f.remaining--
			if f.remaining == 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
		}
		fired := f.Fault
		return &fired
	}
	return nil
}

// sleep waits for d and reports false if ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// resetConnection closes the client's connection without a response. On
// HTTP/2, where hijacking is impossible, it aborts the stream instead.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // send RST rather than an orderly close
	}
	conn.Close()
}

// malformedBody starts like an answer but is not JSON.
const malformedBody = `{"data": [{"id": "201", "type": "areacode" "links": {"related": }]`

// damageBody returns the damaged body and its content type; a body left
// alone keeps contentType. BodyCutOff and BodyStall damage the sending, not
// the body.
func damageBody(kind FaultBody, r *http.Request, status int, body []byte, contentType string) ([]byte, string) {
	switch kind {
	case BodyTruncated:
		return body[:len(body)/2], contentType
	case BodyMalformed:
		return []byte(malformedBody), contentTypeJSONAPI
	case BodyHTML:
		return proxyPage(status, ""), "text/html"
	case BodyEchoHeaders:
		// The request comes first, as in a debugging proxy's page, so that a
		// client's short excerpt of it reaches the Authorization header.
		var page strings.Builder
		fmt.Fprintf(&page, "<html><body><pre>\r\n%s %s %s\r\n", r.Method, r.URL.RequestURI(), r.Proto)
		for _, name := range slices.Sorted(maps.Keys(r.Header)) {
			for _, value := range r.Header[name] {
				fmt.Fprintf(&page, "%s: %s\r\n", name, value)
			}
		}
		fmt.Fprintf(&page, "Host: %s\r\n</pre>\r\n<p>%d %s</p></body></html>\r\n", r.Host, status, http.StatusText(status))
		return []byte(page.String()), "text/html"
	case BodyEmpty:
		return nil, contentType
	}
	return body, contentType
}

// proxyPage is an nginx-like error page, with extra HTML after the heading.
func proxyPage(status int, extra string) []byte {
	title := fmt.Sprintf("%d %s", status, http.StatusText(status))
	return []byte("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n" + extra + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
}

// breakOff sends the first half of body, whose whole length is announced,
// then stops: at once for BodyCutOff, once the request's context ends for
// BodyStall. Aborting the handler closes the connection short of the body.
func breakOff(w http.ResponseWriter, r *http.Request, kind FaultBody, body []byte) {
	_, _ = w.Write(body[:len(body)/2])
	_ = http.NewResponseController(w).Flush()
	if kind == BodyStall {
		<-r.Context().Done()
	}
	panic(http.ErrAbortHandler)
}
