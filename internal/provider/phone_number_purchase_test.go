package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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

// hangUp closes the connection without an answer: the answer is lost.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
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
// the number adopted, or kept as unconfirmed; never left out of the state
// nor replaced by another.
func TestBuyAskTheAccountWhenARetryFindsTheNumberGone(t *testing.T) {
	for name, tc := range map[string]struct {
		secondCheck func(http.ResponseWriter)
		wantOwned   bool
	}{
		"ours after all": {secondCheck: answer(http.StatusOK, ownedBody), wantOwned: true},
		"not ours yet":   {secondCheck: answer(http.StatusNotFound, notOwnedBody)},
	} {
		t.Run(name, func(t *testing.T) {
			api := &scriptedAccount{answers: map[string][]func(http.ResponseWriter){
				http.MethodPost: {answer(http.StatusServiceUnavailable, `{"errors":[{"status":503}]}`),
					answer(http.StatusUnprocessableEntity, notForSaleBody)},
				http.MethodGet: {answer(http.StatusNotFound, notOwnedBody), tc.secondCheck},
			}}
			bought, err := scriptedBuyer(t, api).buy(t.Context(), flowroute.Number{Number: scriptedNumber})
			switch {
			case err != nil:
				t.Fatalf("error %v: want the number in the state", err)
			case tc.wantOwned && bought.owned == nil:
				t.Fatalf("bought %+v: want the number adopted", bought)
			case !tc.wantOwned && (bought.owned != nil || bought.unconfirmedSince.IsZero()):
				t.Fatalf("bought %+v: want the purchase unconfirmed", bought)
			}
			if fmt.Sprint(api.methods) != "[POST GET POST GET]" {
				t.Errorf("requests %v, want a check after each unclear or refused purchase", api.methods)
			}
		})
	}
}

// A purchase that Flowroute may still be carrying out (its answer lost, a
// server or gateway error) is never sent again: one "not on the account"
// settles nothing, so the number is kept as unconfirmed. A 503 says
// Flowroute did not take it on: once the account does not own the number,
// the purchase is sent again.
func TestBuyNeverResendsAPurchaseThatMayBeUnderWay(t *testing.T) {
	for name, tc := range map[string]struct {
		first       func(http.ResponseWriter)
		wantMethods string
		wantOwned   bool
	}{
		"answer lost":     {first: hangUp, wantMethods: "[POST GET]"},
		"gateway timeout": {first: answer(http.StatusGatewayTimeout, `{"errors":[{"status":504}]}`), wantMethods: "[POST GET]"},
		"bad gateway":     {first: answer(http.StatusBadGateway, "<html>bad gateway</html>"), wantMethods: "[POST GET]"},
		"unreadable 201":  {first: answer(http.StatusCreated, `{"data": `), wantMethods: "[POST GET]"},
		"500 answered":    {first: answer(http.StatusInternalServerError, `{"errors":[{"status":500}]}`), wantMethods: "[POST GET]"},
		"503 answered": {first: answer(http.StatusServiceUnavailable, `{"errors":[{"status":503}]}`),
			wantMethods: "[POST GET POST]", wantOwned: true},
	} {
		t.Run(name, func(t *testing.T) {
			api := &scriptedAccount{answers: map[string][]func(http.ResponseWriter){
				http.MethodPost: {tc.first, answer(http.StatusCreated, ownedBody)},
				http.MethodGet:  {answer(http.StatusNotFound, notOwnedBody)},
			}}
			bought, err := scriptedBuyer(t, api).buy(t.Context(), flowroute.Number{Number: scriptedNumber})
			switch {
			case err != nil:
				t.Fatalf("error %v: want the number in the state", err)
			case tc.wantOwned != (bought.owned != nil), tc.wantOwned == !bought.unconfirmedSince.IsZero():
				t.Fatalf("bought %+v: want owned %v, else unconfirmed", bought, tc.wantOwned)
			}
			if got := fmt.Sprint(api.methods); got != tc.wantMethods {
				t.Errorf("requests %v, want %v", got, tc.wantMethods)
			}
		})
	}
}

// An unreadable 207, then the number found on the account: the warning that
// messaging was not set up is kept.
func TestBuyAdoptedAfterUnreadable207KeepsTheMessagingWarning(t *testing.T) {
	api := &scriptedAccount{answers: map[string][]func(http.ResponseWriter){
		http.MethodPost: {answer(http.StatusMultiStatus, `{"data": `)},
		http.MethodGet:  {answer(http.StatusOK, ownedBody)},
	}}
	bought, err := scriptedBuyer(t, api).buy(t.Context(), flowroute.Number{Number: scriptedNumber})
	if err != nil || bought.owned == nil || len(bought.warnings) != 1 || !strings.Contains(bought.warnings[0], "SMS/MMS") {
		t.Fatalf("bought %+v, %v: want adopted with the messaging warning", bought, err)
	}
}

// scriptedBuyer buys from api with a client that retries nothing itself,
// unless options say otherwise.
func scriptedBuyer(t *testing.T, api *scriptedAccount, options ...flowroute.Option) *purchaser {
	t.Helper()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	client, err := flowroute.New(testAccessKey, testSecretKey, append([]flowroute.Option{flowroute.WithBaseURL(srv.URL),
		flowroute.WithRetryWait(time.Millisecond, time.Millisecond), flowroute.WithMaxRetries(0)}, options...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &purchaser{client: client, claims: newNumberClaims(), maxRetries: 3}
}

// A 429 waited out, then an attempt whose wait the create's time limit cuts
// short: the attempt cut short decides, and it may still be carried out.
func TestBuyCutShortAfterA429IsUnconfirmed(t *testing.T) {
	held := make(chan struct{})
	api := &scriptedAccount{answers: map[string][]func(http.ResponseWriter){
		http.MethodPost: {answer(http.StatusTooManyRequests, `{"errors":[{"status":429}]}`), func(http.ResponseWriter) { <-held }},
		http.MethodGet:  {answer(http.StatusNotFound, notOwnedBody)},
	}}
	buyer := scriptedBuyer(t, api, flowroute.WithMaxRetries(2))
	t.Cleanup(func() { close(held) }) // before the server closes: cleanups run last first
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	bought, err := buyer.buy(ctx, flowroute.Number{Number: scriptedNumber})
	if err != nil || bought.owned != nil || bought.unconfirmedSince.IsZero() {
		t.Fatalf("bought %+v, %v: want the purchase unconfirmed", bought, err)
	}
}

// A purchase answered 503 is sent again only after the wait it asked for.
func TestBuyWaitsBeforeSendingAgain(t *testing.T) {
	var sent []time.Time
	api := &scriptedAccount{answers: map[string][]func(http.ResponseWriter){
		http.MethodPost: {
			func(w http.ResponseWriter) {
				sent = append(sent, time.Now())
				w.Header().Set("Retry-After", "1")
				answer(http.StatusServiceUnavailable, `{"errors":[{"status":503}]}`)(w)
			},
			func(w http.ResponseWriter) {
				sent = append(sent, time.Now())
				answer(http.StatusCreated, ownedBody)(w)
			},
		},
		http.MethodGet: {answer(http.StatusNotFound, notOwnedBody)},
	}}
	bought, err := scriptedBuyer(t, api).buy(t.Context(), flowroute.Number{Number: scriptedNumber})
	if err != nil || bought.owned == nil {
		t.Fatalf("bought %+v, %v: want bought on the second attempt", bought, err)
	}
	if len(sent) != 2 || sent[1].Sub(sent[0]) < time.Second {
		t.Errorf("purchases at %v: want the second one Retry-After (1s) after the first", sent)
	}
}
