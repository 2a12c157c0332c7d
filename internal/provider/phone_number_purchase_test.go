package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// scriptedAccount answers each request with the next answer scripted for
// its method, and records the methods in order.
type scriptedAccount struct {
	mu      sync.Mutex
	answers map[string][]func(http.ResponseWriter)
	methods []string
}

func (s *scriptedAccount) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.methods = append(s.methods, r.Method)
	next := s.answers[r.Method]
	if len(next) == 0 {
		s.mu.Unlock()
		w.WriteHeader(http.StatusTeapot)
		return
	}
	answer := next[0]
	s.answers[r.Method] = next[1:]
	s.mu.Unlock()
	answer(w)
}

func answer(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

const (
	scriptedNumber = "16502390214"
	ownedBody      = `{"data": {"type": "number", "id": "16502390214", "attributes": {"value": "16502390214"}}}`
	notOwnedBody   = `{"errors": [{"status": 404, "detail": "Could not find that resource on your account."}]}`
	notForSaleBody = `{"errors": [{"status": 422, "detail": "Number 16502390214 is not available for purchase."}]}`
)

// A retry after an unclear purchase that answers "not for sale" may have
// found the number bought by the first attempt: the account is asked, and
// the number adopted, never left out of the state nor replaced by another.
func TestBuyAskTheAccountWhenARetryFindsTheNumberGone(t *testing.T) {
	for name, tc := range map[string]struct {
		secondCheck func(http.ResponseWriter)
		wantOwned   bool
	}{
		"ours after all": {secondCheck: answer(http.StatusOK, ownedBody), wantOwned: true},
		"someone else's": {secondCheck: answer(http.StatusNotFound, notOwnedBody)},
	} {
		t.Run(name, func(t *testing.T) {
			api := &scriptedAccount{answers: map[string][]func(http.ResponseWriter){
				http.MethodPost: {answer(http.StatusServiceUnavailable, `{"errors":[{"status":503}]}`),
					answer(http.StatusUnprocessableEntity, notForSaleBody)},
				http.MethodGet: {answer(http.StatusNotFound, notOwnedBody), tc.secondCheck},
			}}
			srv := httptest.NewServer(api)
			t.Cleanup(srv.Close)
			client, err := flowroute.New(testAccessKey, testSecretKey, flowroute.WithBaseURL(srv.URL),
				flowroute.WithRetryWait(time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			buyer := &purchaser{client: client, claims: newNumberClaims(), maxRetries: 3}
			bought, err := buyer.buy(t.Context(), flowroute.Number{Number: scriptedNumber})
			if tc.wantOwned && (err != nil || bought.owned == nil) {
				t.Fatalf("bought %+v, %v: want the number adopted", bought, err)
			}
			if !tc.wantOwned && err == nil {
				t.Fatalf("bought %+v: want not for sale", bought)
			}
			if fmt.Sprint(api.methods) != "[POST GET POST GET]" {
				t.Errorf("requests %v, want a check after each unclear or refused purchase", api.methods)
			}
		})
	}
}
