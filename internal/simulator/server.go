// Package simulator is a local stand-in for Flowroute's Numbers API v2: the
// available area codes, exchanges and numbers endpoints, the account's own
// numbers (list, read, purchase, update, release), its inbound voice routes
// (routes.go), its E911 addresses (e911.go) and CNAM presets (cnam.go) and
// their attachment to numbers, with basic auth, paging, the API's error
// bodies, a request log and scriptable faults.
//
// Where the public documentation is silent the simulator behaves as follows:
//   - an offset past the end answers 200 with "data": [] and no links.next;
//   - links.next is left out on an exactly full last page unless
//     Options.NextOnFullLastPage is set;
//   - limit outside 1..max, a negative offset, or a value that is not a
//     number answers 422, worded like the Python service behind the API;
//     empty numeric values count as not numbers, empty text filters as absent;
//   - a negative or NaN max_setup_cost is accepted and matches nothing;
//   - starts_with assumes country code 1 unless it begins with "+" or with
//     "1" (no NANP area code does), so "646", "1646" and "+1646" are alike;
//   - an unknown areacode or an unknown number_type value: 200 with no data
//     and 422 respectively;
//   - only GET is allowed on the list endpoints, and GET, POST, PATCH and
//     DELETE on /v2/numbers/{number} (405 otherwise); a {number} that is not
//     all digits is not found on the server (404);
//   - a purchase of a number that is not for sale (already on the account,
//     bought by another account, or never in the inventory) answers 422
//     "Number 1XXXXXXXXXX is not available for purchase.";
//   - a PATCH body must be a JSON object with "type": "number" (422
//     otherwise, and for a value of the wrong type, naming the field);
//     unknown attributes are ignored; "alias": "" clears the alias like null;
//     a body that is not application/vnd.api+json or application/json
//     answers 415;
//   - a number the account does not own answers the documented 404 to GET,
//     PATCH (once its body passed the checks above) and DELETE, without a
//     title as in the reference's example;
//     DELETE answers 204 without a body;
//   - GET /v2/numbers reads starts_with like the search and alias as an
//     exact, case-sensitive match; its items carry links.self.
//   - an E911 address needs every attribute but address_type and
//     address_type_number, which go together; state is two upper-case
//     letters, country US or CA, zip a US ZIP (or ZIP+4) or a Canadian postal
//     code; each field refused is named in a 422 whose detail is the
//     documented object {"data": {"attributes": {"zip": ["message"]}}};
//     an address in zip 00000 cannot be geocoded (400); a PATCH is checked
//     as a whole, and a null or empty attribute clears it; DELETE of an
//     address that a number uses answers 403 "This address is assigned to
//     one or more numbers.";
//   - a CNAM preset's value is 1 to 15 letters, digits, spaces and . , ' - &
//     with at least one letter, and unique in any case (422 otherwise); an
//     approved preset cannot be changed (403); a rejected one can, and goes
//     back to review; its times read as RFC 3339 in UTC; a preset that is
//     pending or rejected, or a toll-free number, cannot be assigned (422);
//     an assignment shows on the number at once;
//   - the E911 and CNAM list filters match exactly, in any case; GET
//     /v2/cnams serves pages of at most 200.
package simulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// API paths, as mounted under /v2.
const (
	PathAreaCodes = "/v2/numbers/available/areacodes"
	PathExchanges = "/v2/numbers/available/exchanges"
	PathNumbers   = "/v2/numbers/available"
	// PathOwnedNumbers lists the account's numbers; each one is at
	// PathOwnedNumbers + "/" + number.
	PathOwnedNumbers = "/v2/numbers"
)

const (
	contentTypeJSONAPI = "application/vnd.api+json"
	defaultLimit       = 10
	maxAreaCodesLimit  = 400
	maxListLimit       = 200
	detailNotFound     = "The requested URL was not found on the server."
	// maxRequestBody bounds what is read of a request body; the request log
	// keeps the first requestLogBody bytes of it.
	maxRequestBody = 1 << 20
	requestLogBody = 4 << 10
)

// Options configure a Server.
type Options struct {
	// AccessKey and SecretKey are the basic-auth credentials every /v2
	// request must carry; both are required.
	AccessKey, SecretKey string
	// Inventory is served; nil means Generate(DefaultSeed, DefaultSize).
	Inventory *Inventory
	// NextOnFullLastPage sends links.next on an exactly full last page too,
	// the case the public documentation leaves open.
	NextOnFullLastPage bool
	// RequestLogLimit, when positive, keeps only that many of the most
	// recent requests in the log, so a long run does not grow without bound;
	// 0 keeps every request. RequestCount counts every request either way.
	RequestLogLimit int
	// OnRequest, when set, is called with each request as it is logged
	// (from the serving goroutine, so it must be safe for concurrent use).
	OnRequest func(Request)
	// OnAccountChange, when set, is called after each change of the
	// account's numbers, their settings, its routes, E911 addresses or CNAM
	// presets (but for approvals by CNAMApprovalDelay, which a load makes
	// again), before the request that made it is answered; it is how a
	// caller persists the account with SaveAccount.
	// Calls may overlap: serialize them and save inside, so that the last
	// save holds the latest state.
	OnAccountChange func()
	// CNAMApprovalDelay is how long a new or changed CNAM preset waits
	// before it is approved by itself, standing in for Flowroute's review
	// (up to 48 hours). 0 leaves presets pending until ApproveCNAM or
	// RejectCNAM decides. The answer that creates a preset always reads
	// pending: time.Nanosecond approves it by the next request.
	CNAMApprovalDelay time.Duration
}

// Request is one logged request. The credentials are never kept: AuthOK
// tells whether they were right.
type Request struct {
	Method, Path string
	Query        url.Values
	AuthOK       bool
	Host         string
	UserAgent    string
	// Body is the request body, cut at 4 KiB.
	Body string
}

// Server serves the simulated API. It is safe for concurrent use.
type Server struct {
	inv                     *Inventory
	accessKeySum, secretSum [sha256.Size]byte
	nextOnFullLastPage      bool
	onRequest               func(Request)
	onAccountChange         func()

	accountMu   sync.Mutex // guards owned, the routes, e911s and cnams, and serializes changes of forSale
	owned       map[string]OwnedNumber
	routes      []Route // by id, without the built-in sip-reg route
	nextRouteID int
	e911s       e911Store
	cnams       cnamStore
	// numberCallbacks and accountCallbacks are the messaging callbacks (messaging.go).
	numberCallbacks  map[string]callbacks
	accountCallbacks callbacks
	forSale          atomic.Pointer[availability] // replaced, never changed

	mu       sync.Mutex // guards the fields below
	logLimit int
	requests []Request // a ring once logLimit > 0 entries are held
	oldest   int       // where the ring starts
	count    int       // requests since the last reset, kept or dropped
	faults   []*activeFault

	late sync.WaitGroup // requests held by ActLater faults, not yet carried out
}

// New returns a Server for opts, with an account that owns no number. It
// panics when a key is missing, since a simulator that accepts any
// credentials would hide client bugs, and when the access key holds a ':',
// which basic auth cannot carry.
func New(opts Options) *Server {
	if opts.AccessKey == "" || opts.SecretKey == "" {
		panic("simulator: Options.AccessKey and Options.SecretKey are required")
	}
	if strings.Contains(opts.AccessKey, ":") {
		panic("simulator: Options.AccessKey must not contain ':', which basic auth cannot carry")
	}
	inv := opts.Inventory
	if inv == nil {
		inv = Generate(DefaultSeed, DefaultSize)
	}
	s := &Server{
		inv:                inv,
		accessKeySum:       sha256.Sum256([]byte(opts.AccessKey)),
		secretSum:          sha256.Sum256([]byte(opts.SecretKey)),
		nextOnFullLastPage: opts.NextOnFullLastPage,
		onRequest:          opts.OnRequest,
		onAccountChange:    opts.OnAccountChange,
		owned:              map[string]OwnedNumber{},
		nextRouteID:        firstRouteID,
		cnams:              cnamStore{approvalDelay: opts.CNAMApprovalDelay, now: time.Now},
		logLimit:           max(opts.RequestLogLimit, 0),
	}
	// Index now so the first request is not the slow one.
	s.forSale.Store(&availability{index: inv.index()})
	return s
}

// Inventory returns the inventory as generated: purchases do not change it.
func (s *Server) Inventory() *Inventory { return s.inv }

// ServeHTTP answers one request: only paths under /v2 exist, and there the
// credentials are checked before anything else, faults next.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	authOK := s.authorized(r)
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRequestBody)) // what arrived before an error will do
	s.record(Request{Method: r.Method, Path: r.URL.Path, Query: query, AuthOK: authOK, Host: r.Host,
		UserAgent: r.UserAgent(), Body: string(body[:min(len(body), requestLogBody)])})

	if r.URL.Path != "/v2" && !strings.HasPrefix(r.URL.Path, "/v2/") && !strings.HasPrefix(r.URL.Path, "/v2.1/") {
		reply(w, r, http.StatusNotFound, newErrors(http.StatusNotFound, detailNotFound), nil)
		return
	}
	if !authOK {
		reply(w, r, http.StatusUnauthorized, newErrors(http.StatusUnauthorized, "Authentication failed."), nil)
		return
	}

	fault := s.takeFault(r.Method, r.URL.Path, query)
	if fault != nil && fault.ActLater > 0 {
		s.actLater(w, r, query, body, fault)
		return
	}
	if fault != nil && fault.TakeNumber && r.Method == http.MethodPost {
		if number, ok := numberPath(r.URL.Path); ok {
			_ = s.TakeNumber(number) // a number not for sale cannot be bought anyway
		}
	}
	if fault != nil && !fault.ActFirst && misbehave(w, r, fault) {
		return
	}
	a := s.route(r, query, body, fault)
	if fault != nil && fault.ActFirst && misbehave(w, r, fault) {
		return
	}
	if a.allow != "" {
		w.Header().Set("Allow", a.allow)
	}
	reply(w, r, a.status, a.payload, fault)
}

// actLater carries the request out once fault.ActLater has passed, whether
// or not the client is still there, and answers a client that waited.
func (s *Server) actLater(w http.ResponseWriter, r *http.Request, query url.Values, body []byte, fault *Fault) {
	held := r.Clone(context.WithoutCancel(r.Context()))
	number, purchase := numberPath(r.URL.Path)
	purchase = purchase && r.Method == http.MethodPost && s.holdForPurchase(number)
	done := make(chan answer, 1)
	s.late.Add(1)
	time.AfterFunc(fault.ActLater, func() {
		defer s.late.Done()
		if purchase {
			s.endHold(number)
		}
		done <- s.route(held, query, body, fault)
	})
	select {
	case a := <-done:
		if a.allow != "" {
			w.Header().Set("Allow", a.allow)
		}
		reply(w, r, a.status, a.payload, fault)
	case <-r.Context().Done():
		panic(http.ErrAbortHandler) // the client left; the work goes on
	}
}

// WaitLate waits until every request held by an ActLater fault has been
// carried out.
func (s *Server) WaitLate() { s.late.Wait() }

// answer is what a request is answered when no fault intervenes.
type answer struct {
	status  int
	payload any    // nil for no body
	allow   string // the Allow header of a 405
}

func (s *Server) route(r *http.Request, query url.Values, body []byte, fault *Fault) answer {
	if ep, ok := endpoints[r.URL.Path]; ok {
		if r.Method != http.MethodGet {
			return methodNotAllowed(http.MethodGet)
		}
		status, payload := ep.serve(s, r, query, fault)
		return answer{status: status, payload: payload}
	}
	if number, ok := numberPath(r.URL.Path); ok {
		return s.serveNumber(r, number, body)
	}
	if a, ok := s.serveMessaging(r, body); ok {
		return a
	}
	if a, ok := s.serveRoutes(r, query, body, fault); ok {
		return a
	}
	if a, ok := s.serveE911(r, query, body, fault); ok {
		return a
	}
	if a, ok := s.serveCNAM(r, query, body, fault); ok {
		return a
	}
	return answer{status: http.StatusNotFound, payload: newErrors(http.StatusNotFound, detailNotFound)}
}

func methodNotAllowed(allow string) answer {
	return answer{
		status:  http.StatusMethodNotAllowed,
		payload: newErrors(http.StatusMethodNotAllowed, "The method is not allowed for the requested URL."),
		allow:   allow,
	}
}

// misbehave applies the fault's Latency, ResetConnection and Status, and
// reports whether the request is answered.
func misbehave(w http.ResponseWriter, r *http.Request, fault *Fault) bool {
	if fault.Latency > 0 && !sleep(r.Context(), fault.Latency) {
		// The client left or the server is stopping: drop the
		// connection rather than send an empty 200.
		panic(http.ErrAbortHandler)
	}
	if fault.ResetConnection {
		resetConnection(w)
		return true
	}
	if fault.Status != 0 {
		reply(w, r, fault.Status, newErrors(fault.Status, "Injected fault: "+http.StatusText(fault.Status)), fault)
		return true
	}
	return false
}

// authorized compares SHA-256 digests in constant time, so neither the
// content nor the length of the keys leaks through timing.
func (s *Server) authorized(r *http.Request) bool {
	user, password, ok := r.BasicAuth()
	if !ok {
		return false
	}
	userSum, passwordSum := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(password))
	return subtle.ConstantTimeCompare(userSum[:], s.accessKeySum[:])&
		subtle.ConstantTimeCompare(passwordSum[:], s.secretSum[:]) == 1
}

func (s *Server) record(req Request) {
	s.mu.Lock()
	s.count++
	if s.logLimit > 0 && len(s.requests) == s.logLimit {
		s.requests[s.oldest] = req
		s.oldest = (s.oldest + 1) % s.logLimit
	} else {
		s.requests = append(s.requests, req)
	}
	s.mu.Unlock()
	if s.onRequest != nil {
		s.onRequest(req)
	}
}

// Requests returns a copy of the request log in arrival order: with
// Options.RequestLogLimit, only the most recent requests.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, 0, len(s.requests))
	for _, part := range [][]Request{s.requests[s.oldest:], s.requests[:s.oldest]} {
		for _, req := range part {
			query := make(url.Values, len(req.Query))
			for k, v := range req.Query {
				query[k] = append([]string(nil), v...)
			}
			req.Query = query
			out = append(out, req)
		}
	}
	return out
}

// RequestCount returns how many requests arrived since the last reset,
// including those the log no longer holds.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// ResetRequests empties the request log and its count.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests, s.oldest, s.count = nil, 0, 0
	s.mu.Unlock()
}

type relatedLinks struct {
	Related string `json:"related"`
}

// JSON field order follows the API's answers (keys sorted).
type refItem struct {
	ID    string       `json:"id"`
	Links relatedLinks `json:"links"`
	Type  string       `json:"type"`
}

type numberAttributes struct {
	InboundRate float64 `json:"inbound_rate"`
	ISOCountry  string  `json:"iso_country"`
	MonthlyCost float64 `json:"monthly_cost"`
	NumberType  string  `json:"number_type"`
	RateCenter  string  `json:"rate_center"`
	RateType    string  `json:"rate_type"`
	SetupCost   float64 `json:"setup_cost"`
	State       string  `json:"state"`
	Tier        string  `json:"tier"`
	Value       string  `json:"value"`
}

type numberItem struct {
	Attributes numberAttributes `json:"attributes"`
	ID         string           `json:"id"`
	Links      relatedLinks     `json:"links"`
	Type       string           `json:"type"`
}

type pageLinks struct {
	Next string `json:"next,omitempty"`
	Self string `json:"self"`
}

type listPage[T any] struct {
	Data  []T       `json:"data"`
	Links pageLinks `json:"links"`
}

type apiError struct {
	Detail string `json:"detail"`
	ID     string `json:"id"`
	Status int    `json:"status"`
	Title  string `json:"title,omitempty"`
}

type errorsBody struct {
	Errors []apiError `json:"errors"`
}

func newErrors(status int, detail string) errorsBody {
	return errorsBody{Errors: []apiError{{Detail: detail, ID: newErrorID(), Status: status, Title: http.StatusText(status)}}}
}

func unprocessable(err error) (int, any) {
	return http.StatusUnprocessableEntity, newErrors(http.StatusUnprocessableEntity, err.Error())
}

// newErrorID returns a random UUID (version 4), like the API's error ids.
func newErrorID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// listEndpoint describes a list endpoint: items of type T, answered as I.
type listEndpoint[T, I any] struct {
	path     string
	maxLimit int
	echo     []string // parameters repeated in links.self and links.next
	// itemLink is the path that, after the base URL, starts each item's
	// link: links.related, or links.self for the account's numbers.
	itemLink string
	// open reads the endpoint's own parameters, after limit and offset, and
	// returns the list to page through.
	open func(s *Server, query url.Values) (window[T], error)
	item func(link string, v T) I
}

// window returns the items at positions start..start+count-1 and whether
// more follow them.
type window[T any] func(start, count int) ([]T, bool)

// endpoint lets ServeHTTP hold list endpoints of different item types.
type endpoint interface {
	serve(s *Server, r *http.Request, query url.Values, fault *Fault) (int, any)
}

var endpoints = map[string]endpoint{
	PathAreaCodes: &listEndpoint[string, refItem]{
		path:     PathAreaCodes,
		maxLimit: maxAreaCodesLimit,
		echo:     []string{"max_setup_cost"},
		itemLink: PathExchanges + "?areacode=",
		open: costedIDs(func(a *availability, _ url.Values) (*costedList, map[string]float64, error) {
			return &a.areaCodes, a.areaCodeCost, nil
		}),
		item: refItemOf("areacode"),
	},
	PathExchanges: &listEndpoint[string, refItem]{
		path:     PathExchanges,
		maxLimit: maxListLimit,
		echo:     []string{"max_setup_cost", "areacode"},
		itemLink: PathNumbers + "?starts_with=1",
		open: costedIDs(func(a *availability, query url.Values) (*costedList, map[string]float64, error) {
			if !query.Has("areacode") {
				return a.exchangeList(""), a.exchangeCost, nil
			}
			// The API reads areacode as an integer, so "0201" means 201.
			n, err := intParam(query, "areacode", 0)
			if err != nil {
				return nil, nil, err
			}
			return a.exchangeList(strconv.Itoa(n)), a.exchangeCost, nil
		}),
		item: refItemOf("exchange"),
	},
	PathNumbers: &listEndpoint[Number, numberItem]{
		path:     PathNumbers,
		maxLimit: maxListLimit,
		echo:     []string{"starts_with", "contains", "ends_with", "state", "rate_center", "number_type"},
		itemLink: PathOwnedNumbers + "/",
		open:     searchNumbers,
		item: func(link string, n Number) numberItem {
			return numberItem{
				Attributes: attributes(n),
				ID:         n.Number,
				Links:      relatedLinks{Related: link + url.PathEscape(n.Number)},
				Type:       "number",
			}
		},
	},
	PathOwnedNumbers: &listEndpoint[OwnedNumber, numberResource]{
		path:     PathOwnedNumbers,
		maxLimit: maxListLimit,
		echo:     []string{"starts_with", "contains", "ends_with", "alias"},
		itemLink: PathOwnedNumbers + "/",
		open:     searchOwned,
		item: func(link string, o OwnedNumber) numberResource {
			return numberResourceOf(link+o.Number, o)
		},
	},
}

func (e *listEndpoint[T, I]) serve(s *Server, r *http.Request, query url.Values, fault *Fault) (int, any) {
	limit, offset, err := parsePaging(query, e.maxLimit)
	if err != nil {
		return unprocessable(err)
	}
	all, err := e.open(s, query)
	if err != nil {
		return unprocessable(err)
	}
	values, next := paginate(all, limit, offset, s.nextOnFullLastPage, fault)
	base := baseURL(r)
	link := base + e.itemLink
	data := make([]I, len(values))
	for i, v := range values {
		data[i] = e.item(link, v)
	}
	return http.StatusOK, listPage[I]{
		Data:  data,
		Links: links(base+e.path, echo(query, e.echo...), limit, offset, next, fault),
	}
}

// costedIDs opens the area codes or exchanges still for sale: max_setup_cost
// is read first, then pick chooses the list from the other parameters (nil
// for none) and the costs left where numbers were bought.
func costedIDs(pick func(*availability, url.Values) (*costedList, map[string]float64, error)) func(*Server, url.Values) (window[string], error) {
	return func(s *Server, query url.Values) (window[string], error) {
		maxSetupCost, err := floatParam(query, "max_setup_cost")
		if err != nil {
			return nil, err
		}
		list, costs, err := pick(s.forSale.Load(), query)
		if err != nil {
			return nil, err
		}
		ids := list.filter(maxSetupCost)
		return skipWindow(ids, skipped(ids, costs, maxSetupCost)), nil
	}
}

func refItemOf(kind string) func(related, id string) refItem {
	return func(related, id string) refItem {
		return refItem{ID: id, Links: relatedLinks{Related: related + url.QueryEscape(id)}, Type: kind}
	}
}

func searchNumbers(s *Server, query url.Values) (window[Number], error) {
	filter := NumberFilter{
		StartsWith: query.Get("starts_with"),
		Contains:   query.Get("contains"),
		EndsWith:   query.Get("ends_with"),
		State:      query.Get("state"),
		RateCenter: query.Get("rate_center"),
		NumberType: query.Get("number_type"),
	}
	if err := checkDigits(filter.StartsWith, filter.Contains, filter.EndsWith); err != nil {
		return nil, err
	}
	if filter.NumberType != "" && !strings.EqualFold(filter.NumberType, NumberTypeLongcode) &&
		!strings.EqualFold(filter.NumberType, NumberTypeTollFree) {
		return nil, fmt.Errorf("number_type must be one of: %s, %s", NumberTypeLongcode, NumberTypeTollFree)
	}
	a := s.forSale.Load()
	return func(start, count int) ([]Number, bool) { return a.searchWindow(filter, a.gone, start, count) }, nil
}

// checkDigits checks the number filters; startsWith may begin with "+".
func checkDigits(startsWith, contains, endsWith string) error {
	for _, digits := range []string{strings.TrimPrefix(startsWith, "+"), contains, endsWith} {
		if strings.Trim(digits, "0123456789") != "" {
			return fmt.Errorf("invalid literal for int() with base 10: '%s'", digits)
		}
	}
	return nil
}

// attributes fills in the newer fields the Number type does not carry from
// the number type, with per-minute inbound rates like Flowroute's price list.
func attributes(n Number) numberAttributes {
	a := numberAttributes{
		InboundRate: 0.0055,
		ISOCountry:  "US",
		MonthlyCost: n.MonthlyCost,
		NumberType:  n.NumberType,
		RateCenter:  n.RateCenter,
		RateType:    "local",
		SetupCost:   n.SetupCost,
		State:       n.State,
		Tier:        "Standard",
		Value:       n.Number,
	}
	if n.NumberType == NumberTypeTollFree {
		a.InboundRate, a.RateType = 0.025, NumberTypeTollFree
	}
	return a
}

func parsePaging(query url.Values, maxLimit int) (limit, offset int, err error) {
	if limit, err = intParam(query, "limit", defaultLimit); err != nil {
		return 0, 0, err
	}
	if limit < 1 || limit > maxLimit {
		return 0, 0, fmt.Errorf("limit must be between 1 and %d", maxLimit)
	}
	if offset, err = intParam(query, "offset", 0); err != nil {
		return 0, 0, err
	}
	if offset < 0 {
		return 0, 0, fmt.Errorf("offset must not be negative")
	}
	return limit, offset, nil
}

// intParam and floatParam word their errors like the Python service behind
// the real API.
func intParam(query url.Values, name string, fallback int) (int, error) {
	if !query.Has(name) {
		return fallback, nil
	}
	value := query.Get(name)
	n, err := strconv.Atoi(value)
	if err != nil {
		return 0, fmt.Errorf("invalid literal for int() with base 10: '%s'", value)
	}
	return n, nil
}

// floatParam returns nil when the parameter is absent. Negative and NaN
// values are accepted and, as in Python, no setup cost compares <= them.
func floatParam(query url.Values, name string) (*float64, error) {
	if !query.Has(name) {
		return nil, nil
	}
	value := query.Get(name)
	f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil {
		return nil, fmt.Errorf("could not convert string to float: %s", value)
	}
	return &f, nil
}

func sliceWindow[T any](items []T) window[T] {
	return func(start, count int) ([]T, bool) {
		if start >= len(items) {
			return nil, false
		}
		end := start + min(count, len(items)-start)
		return items[start:end], end < len(items)
	}
}

// skipWindow pages through items without those at the positions in skip
// (ascending, distinct).
func skipWindow[T any](items []T, skip []int) window[T] {
	if len(skip) == 0 {
		return sliceWindow(items)
	}
	return func(start, count int) ([]T, bool) {
		// Each skipped position at or before the candidate moves it on by one.
		i, k := start, 0
		for k < len(skip) && skip[k] <= i {
			i++
			k++
		}
		var page []T
		for ; i < len(items) && len(page) < count; i++ {
			if k < len(skip) && skip[k] == i {
				k++
				continue
			}
			page = append(page, items[i])
		}
		for k < len(skip) && skip[k] == i {
			i++
			k++
		}
		return page, i < len(items)
	}
}

// paginate returns the page asked for and whether links.next is due, bent by
// the fault's ExtraItems and Overlap (which leave next as it would be).
func paginate[T any](all window[T], limit, offset int, nextOnFull bool, fault *Fault) ([]T, bool) {
	items, more := all(offset, limit)
	next := more || (nextOnFull && len(items) == limit)
	if fault != nil && (fault.ExtraItems > 0 || fault.Overlap > 0) {
		items, _ = all(max(0, offset-max(fault.Overlap, 0)), limit+max(fault.ExtraItems, 0))
	}
	return items, next
}

// links echoes the query with explicit limit and offset, as the API does.
func links(endpoint string, query url.Values, limit, offset int, next bool, fault *Fault) pageLinks {
	self := pageURL(endpoint, query, limit, offset)
	l := pageLinks{Self: self}
	switch {
	case fault != nil && fault.ForeignNext != "":
		l.Next = fault.ForeignNext
	case fault != nil && fault.StuckNext:
		l.Next = self
	case next:
		l.Next = pageURL(endpoint, query, limit, offset+limit)
	}
	return l
}

func pageURL(endpoint string, query url.Values, limit, offset int) string {
	query.Set("limit", strconv.Itoa(limit))
	query.Set("offset", strconv.Itoa(offset))
	return endpoint + "?" + query.Encode()
}

// echo copies the named parameters that the request carried.
func echo(query url.Values, names ...string) url.Values {
	out := url.Values{}
	for _, name := range names {
		if query.Has(name) {
			out.Set(name, query.Get(name))
		}
	}
	return out
}

// baseURL is where the client reached the simulator, so links lead back to it.
func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// reply writes payload as JSON:API, or no body for a nil payload, then
// applies the fault's header and body damage.
func reply(w http.ResponseWriter, r *http.Request, status int, payload any, fault *Fault) {
	var body []byte
	contentType := ""
	if payload != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // keep "&" in links as the API writes it
		if err := enc.Encode(payload); err != nil {
			status = http.StatusInternalServerError
			buf.Reset()
			_ = enc.Encode(newErrors(status, "cannot encode the answer: "+err.Error()))
		}
		body, contentType = buf.Bytes(), contentTypeJSONAPI
	}
	if fault != nil {
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		body, contentType = damageBody(fault.Body, r, status, body, contentType)
	}
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if fault != nil && (fault.Body == BodyCutOff || fault.Body == BodyStall) {
		breakOff(w, r, fault.Body, body)
	}
	_, _ = w.Write(body) // the client went away: nothing left to tell it
}
