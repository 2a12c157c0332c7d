package flowroute

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"sync"
	"testing"
)

// reply is one scripted answer.
type reply struct {
	status int
	body   string
}

// sentRequest is what a request carried.
type sentRequest struct {
	method, path, contentType, body string
}

// scriptedAPI answers each "METHOD /path" with its replies in turn, the
// last one again once they run out, and 599 to anything unscripted.
type scriptedAPI struct {
	mu      sync.Mutex
	replies map[string][]reply
	sent    []sentRequest
}

func newScriptedAPI(t *testing.T, replies map[string][]reply) (*Client, *scriptedAPI) {
	t.Helper()
	api := &scriptedAPI{replies: replies}
	srv, _ := serve(t, func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		api.mu.Lock()
		api.sent = append(api.sent, sentRequest{req.Method, req.URL.Path, req.Header.Get("Content-Type"), string(body)})
		key := req.Method + " " + req.URL.Path
		script, ok := api.replies[key]
		next := reply{status: 599}
		if ok {
			next = script[0]
			if len(script) > 1 {
				api.replies[key] = script[1:]
			}
		}
		api.mu.Unlock()
		if next.body != "" {
			w.Header().Set("Content-Type", mediaType)
		}
		w.WriteHeader(next.status)
		_, _ = io.WriteString(w, next.body)
	})
	return newTestClient(t, srv.URL+"/v2"), api
}

func (api *scriptedAPI) requests() []sentRequest {
	api.mu.Lock()
	defer api.mu.Unlock()
	return append([]sentRequest(nil), api.sent...)
}

// assertJSONBody checks that a request carried want as JSON:API.
func assertJSONBody(t *testing.T, got sentRequest, want string) {
	t.Helper()
	if got.contentType != mediaType {
		t.Errorf("%s %s: Content-Type %q", got.method, got.path, got.contentType)
	}
	var g, w any
	if err := json.Unmarshal([]byte(got.body), &g); err != nil {
		t.Fatalf("%s %s: body %q: %v", got.method, got.path, got.body, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s %s: body\n%s\nwant\n%s", got.method, got.path, got.body, want)
	}
}

// assertNoBody checks that requests carried no body.
func assertNoBody(t *testing.T, requests []sentRequest) {
	t.Helper()
	for _, r := range requests {
		if r.body != "" || r.contentType != "" {
			t.Errorf("%s %s: body %q (%q)", r.method, r.path, r.body, r.contentType)
		}
	}
}
