package flowroute

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	maxExcerptRunes = 200
	// maxFieldRunes keeps a single error entry from flooding a message.
	maxFieldRunes = 1000
)

// Kinds of failure other than an API error answer, for errors.Is.
var (
	// ErrNoAnswer: no complete answer came, retries included (connection
	// refused or reset, a timeout, a TLS failure).
	ErrNoAnswer = errors.New("no complete answer")
	// ErrMalformedResponse: a 2xx answer that is not the API's JSON.
	ErrMalformedResponse = errors.New("malformed response")
	// ErrInconsistentPaging: pages that break the API's paging rules (more
	// items than asked for, or the same items again while claiming more).
	ErrInconsistentPaging = errors.New("inconsistent paging")
	// ErrOutcomeUnknown: a request that is never repeated blindly (a
	// purchase, a creation) failed in a way that leaves open whether the API
	// acted on it: a 5xx, a reset or timed-out connection, a lost answer.
	// Ask the API what is there before trying again.
	ErrOutcomeUnknown = errors.New("outcome unknown")
)

// APIError is a non-2xx answer from the API.
type APIError struct {
	StatusCode int
	Method     string
	// Path is the request path only: no host, query or credentials.
	Path string
	// Errors holds every entry of the body's "errors" array.
	Errors []ErrorObject
	// Excerpt is a short printable part of a body that was not the JSON
	// errors shape (an HTML page from a proxy, for instance); empty when the
	// body was empty or decoded into Errors. Any run of the secret key, in
	// any of its forms, is cut out of it, as of every text in Errors.
	Excerpt string
	// RetryAfter is the wait the answer asked for (its Retry-After), 0 when
	// it asked for none.
	RetryAfter time.Duration
}

// FlowrouteFormat reports whether the body was the API's JSON errors shape:
// otherwise something else answered (a proxy, a load balancer, a wrong
// base URL).
func (e *APIError) FlowrouteFormat() bool { return len(e.Errors) > 0 }

// ErrorObject is one entry of an error body. Any field may be missing.
type ErrorObject struct {
	Status int
	Title  string
	Detail string
	ID     string
	// Fields holds each field's message when the detail was an object
	// naming fields at any depth, as the E911 validation answers; Detail
	// then reads "field: message; ...". Nil otherwise.
	Fields map[string]string
}

// Error reads like `GET /v2/numbers/available/areacodes: 422 Unprocessable
// Entity: could not convert string to float: * (error id 5c4c...)`.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	statusText := http.StatusText(e.StatusCode)
	if statusText != "" {
		b.WriteByte(' ')
		b.WriteString(statusText)
	}
	entries := e.Details()
	switch {
	case len(entries) > 0:
		b.WriteString(": ")
		b.WriteString(strings.Join(entries, "; "))
	case e.Excerpt != "":
		b.WriteString(": ")
		b.WriteString(e.Excerpt)
	case len(e.Errors) == 0:
		b.WriteString(" (empty body)")
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (Retry-After %s)", e.RetryAfter)
	}
	switch {
	// A write refused with a reason (a route in use, an approved preset) is not about the keys.
	case e.StatusCode == http.StatusUnauthorized ||
		e.StatusCode == http.StatusForbidden && (e.Method == http.MethodGet || !e.hasDetail()):
		b.WriteString(" (check the access key and secret key)")
	case e.StatusCode >= 300 && e.StatusCode <= 399:
		b.WriteString(" (redirect not followed: check the base URL)")
	}
	return b.String()
}

func (e *APIError) hasDetail() bool {
	for _, obj := range e.Errors {
		if obj.Detail != "" {
			return true
		}
	}
	return false
}

// Details describes each entry of the error body, leaving out what the
// status line already says: `could not convert string to float: * (error
// id 5c4c...)`. Entries with nothing more to say are left out.
func (e *APIError) Details() []string {
	statusText := http.StatusText(e.StatusCode)
	var details []string
	for _, obj := range e.Errors {
		if s := obj.describe(e.StatusCode, statusText); s != "" {
			details = append(details, s)
		}
	}
	return details
}

// describe leaves out what the status line already says.
func (o ErrorObject) describe(httpStatus int, statusText string) string {
	var parts []string
	if o.Status != 0 && o.Status != httpStatus {
		parts = append(parts, "status "+strconv.Itoa(o.Status))
	}
	if o.Title != "" && o.Title != statusText {
		parts = append(parts, o.Title)
	}
	if o.Detail != "" {
		parts = append(parts, o.Detail)
	}
	s := strings.Join(parts, ": ")
	if o.ID != "" {
		if s != "" {
			s += " "
		}
		s += "(error id " + o.ID + ")"
	}
	return s
}

// errorBody takes each field raw: one entry of an unexpected type must not
// throw away the others.
type errorBody struct {
	Errors []struct {
		Status json.RawMessage `json:"status"`
		Title  json.RawMessage `json:"title"`
		Detail json.RawMessage `json:"detail"`
		ID     json.RawMessage `json:"id"`
	} `json:"errors"`
}

// newAPIError decodes the JSON errors shape, falling back to an excerpt of
// whatever else the body holds; redact runs on every text before it is cut
// short, so that no part of a secret survives the cut.
func newAPIError(status int, method, path string, body []byte, redact func(string) string) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
	var decoded errorBody
	if err := json.Unmarshal(body, &decoded); err == nil && len(decoded.Errors) > 0 {
		e.Errors = make([]ErrorObject, len(decoded.Errors))
		for i, d := range decoded.Errors {
			detail, fields := detailText(d.Detail, redact)
			e.Errors[i] = ErrorObject{
				Status: parseStatus(d.Status),
				Title:  printable(redact(lenientText(d.Title)), maxFieldRunes),
				Detail: detail,
				ID:     printable(redact(lenientText(d.ID)), maxFieldRunes),
				Fields: fields,
			}
		}
		return e
	}
	e.Excerpt = printable(redact(string(body)), maxExcerptRunes)
	return e
}

// detailText takes a detail that is text, or an object naming fields at any
// depth, as the E911 validation answers ({"data": {"attributes": {"zip":
// ["..."]}}}): each field reads "zip: message", and comes with the fields'
// messages. Any other detail reads as an excerpt of itself, never as nothing.
func detailText(raw json.RawMessage, redact func(string) string) (string, map[string]string) {
	if s := lenientText(raw); s != "" {
		return printable(redact(s), maxFieldRunes), nil
	}
	var detail any
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	if decoder.Decode(&detail) != nil || detail == nil || detail == "" {
		return "", nil
	}
	messages := map[string][]string{}
	collectFields(detail, "", messages)
	if len(messages) == 0 {
		return printable(redact(string(raw)), maxExcerptRunes), nil
	}
	fields := make(map[string]string, len(messages))
	for name, list := range messages {
		fields[printable(redact(name), maxFieldRunes)] = printable(redact(strings.Join(list, ", ")), maxFieldRunes)
	}
	names := slices.Sorted(maps.Keys(fields))
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + ": " + fields[name]
	}
	// Redacted again as a whole: a secret may run across a name and its message.
	return printable(redact(strings.Join(parts, "; ")), maxFieldRunes), fields
}

// collectFields gathers the messages of each field: a text or a number is a
// message of the innermost key it sits under, in a list or not, so that the
// keys of an envelope around the fields ("data", "attributes") name nothing.
func collectFields(v any, name string, messages map[string][]string) {
	switch v := v.(type) {
	case map[string]any:
		for _, key := range slices.Sorted(maps.Keys(v)) {
			collectFields(v[key], key, messages)
		}
	case []any:
		for _, item := range v {
			collectFields(item, name, messages)
		}
	case string:
		if name != "" && v != "" {
			messages[name] = append(messages[name], v)
		}
	case json.Number:
		if name != "" {
			messages[name] = append(messages[name], v.String())
		}
	}
}

// parseStatus accepts a number or, as JSON:API prescribes, a numeric string;
// anything else counts as missing rather than failing the whole body.
func parseStatus(raw json.RawMessage) int {
	raw = bytes.Trim(raw, `"`)
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0
	}
	return n
}

// lenientText accepts a string or a number (an id sent as 12345); anything
// else counts as missing, as in parseStatus.
func lenientText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// printable keeps error text on one line and free of terminal control
// sequences, truncated to limit runes.
func printable(s string, limit int) string {
	var b strings.Builder
	runes := 0
	pendingSpace := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			pendingSpace = b.Len() > 0
			continue
		case !unicode.IsPrint(r):
			continue
		}
		need := 1
		if pendingSpace {
			need = 2
		}
		if runes+need > limit {
			b.WriteString("...")
			break
		}
		if pendingSpace {
			b.WriteByte(' ')
			runes++
			pendingSpace = false
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

// markNotFound marks a 404 answer with notFound, the caller's error for a
// number, route or record that does not exist.
func markNotFound(err, notFound error) error {
	// Only Flowroute's own 404 says the item is gone: a proxy's or a wrong
	// base URL's says nothing about the account.
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.FlowrouteFormat() {
		return fmt.Errorf("%w: %w", notFound, err)
	}
	return err
}
