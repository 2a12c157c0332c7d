package flowroute

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAccessKey = "test-access-key"
	testSecretKey = "test-secret-key"
	seed422Body   = `{"errors": [{"detail": "could not convert string to float: *", "id": "5c4c0ea0-4ef3-434a-b6c5-31861954c127", "status": 422}]}`
	seed200Body   = `{"data": [{"id": "201", "links": {"related": "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=201"}, "type": "areacode"}, {"id": "202", "links": {"related": "https://api.flowroute.com/v2/numbers/available/exchanges?areacode=202"}, "type": "areacode"}], "links": {"next": "https://api.flowroute.com/v2/numbers/available/areacodes?limit=2&offset=2", "self": "https://api.flowroute.com/v2/numbers/available/areacodes?limit=2&offset=0"}}`
	documented403 = `{"errors":[{"status":403,"detail":"","title":"ActionNotAuthorizedError"}]}`
)

// recorder wraps a handler and keeps what the client sent.
type recorder struct {
	mu          sync.Mutex
	requests    []*http.Request
	inFlight    int
	maxInFlight int
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.requests)
}

func (r *recorder) all() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.requests...)
}

func (r *recorder) queries() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var qs []string
	for _, req := range r.requests {
		qs = append(qs, req.URL.RawQuery)
	}
	return qs
}

func (r *recorder) peak() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxInFlight
}

func serve(t testing.TB, h http.HandlerFunc) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec.mu.Lock()
		rec.requests = append(rec.requests, req.Clone(req.Context()))
		rec.inFlight++
		rec.maxInFlight = max(rec.maxInFlight, rec.inFlight)
		rec.mu.Unlock()
		defer func() {
			rec.mu.Lock()
			rec.inFlight--
			rec.mu.Unlock()
		}()
		h(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func newTestClient(t testing.TB, baseURL string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{
		WithBaseURL(baseURL),
		WithRetryWait(time.Millisecond, 5*time.Millisecond),
		WithMaxRetries(2),
	}, opts...)
	c, err := New(testAccessKey, testSecretKey, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func areaID(i int) string { return strconv.Itoa(200 + i) }

// pageJSON writes a list page of area codes; next "" leaves the link out.
func pageJSON(ids []string, next string) []byte {
	var b strings.Builder
	b.Grow(len(ids)*120 + 200)
	b.WriteString(`{"data":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"`)
		b.WriteString(id)
		b.WriteString(`","type":"areacode","links":{"related":"https://api.flowroute.com/v2/numbers/available/exchanges?areacode=`)
		b.WriteString(id)
		b.WriteString(`"}}`)
	}
	b.WriteString(`],"links":{"self":"https://api.flowroute.com/v2/numbers/available/areacodes"`)
	if next != "" {
		b.WriteString(`,"next":"`)
		b.WriteString(next)
		b.WriteByte('"')
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

func queryInt(t testing.TB, q url.Values, key string) int {
	n, err := strconv.Atoi(q.Get(key))
	if err != nil {
		t.Errorf("query %s=%q is not an integer", key, q.Get(key))
	}
	return n
}

// areaCodesAPI serves total area codes honouring limit and offset. A full
// last page carries next when nextOnFullLast is set; pages never hold more
// than serveMax items when it is above zero.
type areaCodesAPI struct {
	total          int
	nextOnFullLast bool
	serveMax       int
}

func (a areaCodesAPI) handler(t testing.TB) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		q := req.URL.Query()
		limit, offset := queryInt(t, q, "limit"), queryInt(t, q, "offset")
		n := limit
		if a.serveMax > 0 {
			n = min(n, a.serveMax)
		}
		var ids []string
		for i := offset; i < min(offset+n, a.total); i++ {
			ids = append(ids, areaID(i))
		}
		next := ""
		if end := offset + len(ids); end < a.total || (a.nextOnFullLast && len(ids) == limit) {
			next = "https://api.flowroute.com/v2/numbers/available/areacodes?limit=" + strconv.Itoa(limit) + "&offset=" + strconv.Itoa(end)
		}
		w.Header().Set("Content-Type", mediaType)
		_, _ = w.Write(pageJSON(ids, next))
	}
}

func wantIDs(t testing.TB, got []AreaCode, from, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("got %d area codes, want %d", len(got), n)
	}
	for i, a := range got {
		if want := areaID(from + i); a.AreaCode != want {
			t.Fatalf("item %d is %q, want %q", i, a.AreaCode, want)
		}
	}
}

func intPtr(n int) *int           { return &n }
func floatPtr(f float64) *float64 { return &f }

// basicAuth is the Authorization header's credentials for the test keys.
var basicAuth = base64.StdEncoding.EncodeToString([]byte(testAccessKey + ":" + testSecretKey))

// secretRun returns a run of 10 characters of the secret key, of the
// access:secret pair or of its base64 form that s shows, or "".
func secretRun(s string) string {
	for _, form := range SecretForms(testAccessKey, testSecretKey) {
		for i := 0; i+10 <= len(form); i++ {
			if strings.Contains(s, form[i:i+10]) && !strings.Contains(testAccessKey, form[i:i+10]) {
				return form[i : i+10]
			}
		}
	}
	return ""
}
