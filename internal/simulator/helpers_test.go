package simulator

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const (
	testAccessKey = "test-access-key"
	testSecretKey = "test-secret-key"
)

// page mirrors the documented list answer, independently of the server's types.
type page struct {
	Data []struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Attributes map[string]any `json:"attributes"`
		Links      struct {
			Related string `json:"related"`
		} `json:"links"`
	} `json:"data"`
	Links struct {
		Self string  `json:"self"`
		Next *string `json:"next"`
	} `json:"links"`
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

type harness struct {
	t   *testing.T
	sim *Server
	ts  *httptest.Server
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	opts.AccessKey, opts.SecretKey = testAccessKey, testSecretKey
	sim := New(opts)
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	return &harness{t: t, sim: sim, ts: ts}
}

// do sends a request with the right credentials; target is a path or an
// absolute URL.
func (h *harness) do(method, target string) (*http.Response, []byte, error) {
	if !strings.HasPrefix(target, "http") {
		target = h.ts.URL + target
	}
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	req.SetBasicAuth(testAccessKey, testSecretKey)
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// send sends a request with the right credentials and a body of the given
// content type ("" for none), and fails the test when no answer comes.
func (h *harness) send(method, target, contentType, body string) (*http.Response, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.ts.URL+target, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.SetBasicAuth(testAccessKey, testSecretKey)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp, answer
}

func (h *harness) get(target string) (*http.Response, []byte) {
	h.t.Helper()
	resp, body, err := h.do(http.MethodGet, target)
	if err != nil {
		h.t.Fatalf("GET %s: %v", target, err)
	}
	return resp, body
}

func (h *harness) page(target string) page {
	h.t.Helper()
	resp, body := h.get(target)
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("GET %s: status %d: %s", target, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.api+json" {
		h.t.Fatalf("GET %s: Content-Type %q", target, ct)
	}
	var p page
	if err := json.Unmarshal(body, &p); err != nil {
		h.t.Fatalf("GET %s: %v: %s", target, err, body)
	}
	return p
}

// walk follows links.next from target and returns every id and the pages seen.
func (h *harness) walk(target string) ([]string, []page) {
	h.t.Helper()
	var ids []string
	var pages []page
	for {
		p := h.page(target)
		pages = append(pages, p)
		for _, item := range p.Data {
			ids = append(ids, item.ID)
		}
		if p.Links.Next == nil {
			return ids, pages
		}
		if len(pages) > 100000 {
			h.t.Fatal("paging does not end")
		}
		target = *p.Links.Next
	}
}

// errorAnswer checks an errors body of the given status and returns its detail.
func (h *harness) errorAnswer(target string, status int) string {
	h.t.Helper()
	resp, body := h.get(target)
	detail, _ := checkErrors(h.t, resp, body, status)["detail"].(string)
	return detail
}

// checkErrors checks an errors body of the given status, with exactly the
// API's keys in its one error object, and returns the object.
func checkErrors(t *testing.T, resp *http.Response, body []byte, status int) map[string]any {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	var answer struct {
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		t.Fatalf("errors body: %v: %s", err, body)
	}
	if len(answer.Errors) != 1 {
		t.Fatalf("want one error: %s", body)
	}
	e := answer.Errors[0]
	if keys := slices.Sorted(maps.Keys(e)); !slices.Equal(keys, []string{"detail", "id", "status", "title"}) {
		t.Fatalf("error keys %v: %s", keys, body)
	}
	id, _ := e["id"].(string)
	if _, isText := e["detail"].(string); !isText || e["status"] != float64(status) ||
		e["title"] != http.StatusText(status) || !uuidPattern.MatchString(id) {
		t.Fatalf("error object: %s", body)
	}
	return e
}
