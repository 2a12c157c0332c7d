package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// OwnedNumber is a number on the simulated account: its inventory data and
// its settings. An empty relationship id means none (null in the API).
type OwnedNumber struct {
	Number      string  `json:"number"`
	State       string  `json:"state"`
	RateCenter  string  `json:"rate_center"`
	NumberType  string  `json:"number_type"`
	SetupCost   float64 `json:"setup_cost"`
	MonthlyCost float64 `json:"monthly_cost"`

	Alias              *string `json:"alias"`
	CNAMLookupsEnabled bool    `json:"cnam_lookups_enabled"`
	MessagingEnabled   bool    `json:"messaging_enabled"`
	PrimaryRouteID     string  `json:"primary_route_id"`
	FailoverRouteID    string  `json:"failover_route_id"`
	CNAMPresetID       string  `json:"cnam_preset_id"`
	E911AddressID      string  `json:"e911_address_id"`
}

// sipRegRouteID is the account's built-in sip-reg route.
const sipRegRouteID = "0"

// newlyBought gives n the settings of a number just bought, as in the API
// reference's example.
func newlyBought(n Number) OwnedNumber {
	return OwnedNumber{
		Number:             n.Number,
		State:              n.State,
		RateCenter:         n.RateCenter,
		NumberType:         n.NumberType,
		SetupCost:          n.SetupCost,
		MonthlyCost:        n.MonthlyCost,
		CNAMLookupsEnabled: true,
		PrimaryRouteID:     sipRegRouteID,
	}
}

// clone keeps callers from changing the account through Alias.
func (o OwnedNumber) clone() OwnedNumber {
	if o.Alias != nil {
		alias := *o.Alias
		o.Alias = &alias
	}
	return o
}

// availability is what is still for sale: the inventory less the numbers
// bought since, by this account or another. The few numbers gone are skipped
// per request, so the index built at start keeps serving. It never changes
// once published, so requests read it without a lock.
type availability struct {
	*index
	gone []int // positions in index.numbers, ascending
	// The area codes and exchanges that lost numbers, each with the lowest
	// setup cost still for sale there, +Inf when none is left.
	areaCodeCost, exchangeCost map[string]float64
}

// forSale returns the number if it is still for sale.
func (a *availability) forSale(number string) (Number, bool) {
	lo, hi := a.positions(number)
	if lo == hi {
		return Number{}, false
	}
	if _, gone := slices.BinarySearch(a.gone, lo); gone {
		return Number{}, false
	}
	return a.numbers[lo], true
}

// change returns a copy with the numbers in restock for sale again, then
// those in withdraw gone; numbers outside the inventory are ignored.
func (a *availability) change(withdraw, restock []string) *availability {
	next := &availability{index: a.index, gone: slices.Clone(a.gone)}
	areaCodes, exchanges := map[string]bool{}, map[string]bool{}
	for _, step := range []struct {
		numbers []string
		gone    bool
	}{{restock, false}, {withdraw, true}} {
		for _, number := range step.numbers {
			lo, hi := a.positions(number)
			for p := lo; p < hi; p++ {
				i, found := slices.BinarySearch(next.gone, p)
				switch {
				case step.gone && !found:
					next.gone = slices.Insert(next.gone, i, p)
				case !step.gone && found:
					next.gone = slices.Delete(next.gone, i, i+1)
				}
			}
			if lo < hi {
				areaCodes[a.numbers[lo].AreaCode] = true
				exchanges[a.numbers[lo].Exchange] = true
			}
		}
	}

	next.areaCodeCost, next.exchangeCost = maps.Clone(a.areaCodeCost), maps.Clone(a.exchangeCost)
	if next.areaCodeCost == nil {
		next.areaCodeCost, next.exchangeCost = map[string]float64{}, map[string]float64{}
	}
	for id := range areaCodes {
		next.areaCodeCost[id] = math.Inf(1)
	}
	for id := range exchanges {
		next.exchangeCost[id] = math.Inf(1)
	}
	gone := next.gone
	for i := range next.numbers {
		if len(gone) > 0 && gone[0] == i {
			gone = gone[1:]
			continue
		}
		n := &next.numbers[i]
		if areaCodes[n.AreaCode] {
			next.areaCodeCost[n.AreaCode] = min(next.areaCodeCost[n.AreaCode], n.SetupCost)
		}
		if exchanges[n.Exchange] {
			next.exchangeCost[n.Exchange] = min(next.exchangeCost[n.Exchange], n.SetupCost)
		}
	}
	// An id back at its full inventory's cost needs no overlay.
	for id := range areaCodes {
		if next.areaCodeCost[id] == next.areaCodes.cost(id) {
			delete(next.areaCodeCost, id)
		}
	}
	for id := range exchanges {
		if next.exchangeCost[id] == next.exchanges.cost(id) {
			delete(next.exchangeCost, id)
		}
	}
	return next
}

// skipped returns the positions in ids (a list filtered by maxSetupCost,
// in API order) of the ids that lost every number at or under that cost.
func skipped(ids []string, costs map[string]float64, maxSetupCost *float64) []int {
	var skip []int
	for id, cost := range costs {
		if !math.IsInf(cost, 1) && (maxSetupCost == nil || cost <= *maxSetupCost) {
			continue
		}
		if i, ok := slices.BinarySearchFunc(ids, id, compareIDs); ok {
			skip = append(skip, i)
		}
	}
	slices.Sort(skip)
	return skip
}

func errNotForSale(number string) error {
	return fmt.Errorf("simulator: number %q is not for sale", number)
}

func errNotOwned(number string) error {
	return fmt.Errorf("simulator: number %q is not on the account", number)
}

// OwnedNumbers returns a copy of the account's numbers, sorted by number.
func (s *Server) OwnedNumbers() []OwnedNumber {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	out := make([]OwnedNumber, 0, len(s.owned))
	for _, number := range slices.Sorted(maps.Keys(s.owned)) {
		out = append(out, s.owned[number].clone())
	}
	return out
}

// AddOwned puts numbers that are for sale on the account, as if bought in
// Flowroute's portal: all of them, or none when one is not for sale.
func (s *Server) AddOwned(numbers ...string) error {
	_, err := s.buy(numbers...)
	return err
}

// ReleaseOutside releases a number of the account, as if done in Flowroute's
// portal: it is for sale again and its settings are forgotten.
func (s *Server) ReleaseOutside(number string) error {
	return s.release(number)
}

// TakeNumber has another account buy a number that is for sale: it leaves
// the listings without joining this account.
func (s *Server) TakeNumber(number string) error {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	avail := s.forSale.Load()
	if _, ok := avail.forSale(number); !ok {
		return errNotForSale(number)
	}
	s.forSale.Store(avail.change([]string{number}, nil))
	return nil
}

// holdForPurchase takes a number that is for sale out of the listings while
// a held purchase of it is under way, and reports whether it was for sale.
func (s *Server) holdForPurchase(number string) bool {
	return s.TakeNumber(number) == nil
}

// endHold puts a held number back on sale, for the held purchase to buy it.
func (s *Server) endHold(number string) {
	s.accountMu.Lock()
	s.forSale.Store(s.forSale.Load().change(nil, []string{number}))
	s.accountMu.Unlock()
}

func (s *Server) buy(numbers ...string) ([]OwnedNumber, error) {
	s.accountMu.Lock()
	avail := s.forSale.Load()
	bought := make([]OwnedNumber, 0, len(numbers))
	seen := make(map[string]bool, len(numbers))
	for _, number := range numbers {
		n, ok := avail.forSale(number)
		if !ok || seen[number] {
			s.accountMu.Unlock()
			return nil, errNotForSale(number)
		}
		seen[number] = true
		bought = append(bought, newlyBought(n))
	}
	for _, o := range bought {
		s.owned[o.Number] = o
	}
	s.forSale.Store(avail.change(numbers, nil))
	s.accountMu.Unlock()
	s.accountChanged()
	return bought, nil
}

func (s *Server) release(number string) error {
	s.accountMu.Lock()
	if _, ok := s.owned[number]; !ok {
		s.accountMu.Unlock()
		return errNotOwned(number)
	}
	delete(s.owned, number)
	delete(s.numberCallbacks, number)
	s.forSale.Store(s.forSale.Load().change(nil, []string{number}))
	s.accountMu.Unlock()
	s.accountChanged()
	return nil
}

func (s *Server) ownedNumber(number string) (OwnedNumber, bool) {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	o, ok := s.owned[number]
	return o.clone(), ok
}

// numberChanges holds what a PATCH of a number sets; nil leaves a setting be.
type numberChanges struct {
	setAlias               bool
	alias                  *string // nil clears it
	cnamLookups, messaging *bool
}

func (s *Server) update(number string, c numberChanges) (OwnedNumber, bool) {
	s.accountMu.Lock()
	o, ok := s.owned[number]
	if !ok {
		s.accountMu.Unlock()
		return OwnedNumber{}, false
	}
	if c.setAlias {
		o.Alias = c.alias
	}
	if c.cnamLookups != nil {
		o.CNAMLookupsEnabled = *c.cnamLookups
	}
	if c.messaging != nil {
		o.MessagingEnabled = *c.messaging
	}
	s.owned[number] = o
	s.accountMu.Unlock()
	s.accountChanged()
	return o.clone(), true
}

func (s *Server) accountChanged() {
	if s.onAccountChange != nil {
		s.onAccountChange()
	}
}

// accountFile is what SaveAccount writes and LoadAccount reads.
type accountFile struct {
	Numbers []OwnedNumber `json:"numbers"`
	Routes  []Route       `json:"routes,omitempty"`
	savedRecords
	savedCallbacks
	LastIDs lastIDs `json:"last_ids,omitzero"`
}

// lastIDs are the last ids handed out, deleted records' included: the
// records alone would let a restart hand a deleted record's id out again,
// and a stale Terraform state would take that new record as its own.
type lastIDs struct {
	Route       int `json:"route,omitempty"`
	E911Address int `json:"e911_address,omitempty"`
	CNAMPreset  int `json:"cnam_preset,omitempty"`
}

func (s *Server) lastIDs() lastIDs {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	var last lastIDs
	if s.nextRouteID > firstRouteID {
		last.Route = s.nextRouteID - 1
	}
	if s.e911s.issued > 0 {
		last.E911Address = e911IDBase + s.e911s.issued
	}
	if s.cnams.issued > 0 {
		last.CNAMPreset = cnamIDBase + s.cnams.issued
	}
	return last
}

// SaveAccount writes the account's numbers, their settings and messaging
// callbacks, its routes, account-wide callbacks, E911 addresses and CNAM
// presets as JSON, with the last ids handed out, for LoadAccount to read
// back. Numbers bought by other accounts are not kept.
func (s *Server) SaveAccount(w io.Writer) error {
	// The last ids are read last, so that they cover every record saved.
	data, err := json.MarshalIndent(accountFile{Numbers: s.OwnedNumbers(), Routes: s.ownRoutes(),
		savedRecords: s.savedRecords(), savedCallbacks: s.savedCallbacks(), LastIDs: s.lastIDs()}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// LoadAccount replaces the account with the one SaveAccount wrote: the
// numbers owned until then are for sale again, the loaded ones are not.
// Options.OnAccountChange is not called.
func (s *Server) LoadAccount(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	var file accountFile
	if err := json.Unmarshal(data, &file); err != nil {
		return fmt.Errorf("not a saved account: %w", err)
	}
	owned := make(map[string]OwnedNumber, len(file.Numbers))
	for _, o := range file.Numbers {
		if o.Number == "" || strings.Trim(o.Number, "0123456789") != "" {
			return fmt.Errorf("saved account: %q is not a number", o.Number)
		}
		if _, twice := owned[o.Number]; twice {
			return fmt.Errorf("saved account: %s is listed twice", o.Number)
		}
		owned[o.Number] = o.clone()
	}
	routes, nextRouteID, err := loadRoutes(file.Routes)
	if err != nil {
		return err
	}
	e911s, cnams, err := file.restoreRecords(s.cnams.approvalDelay, s.cnams.now)
	if err != nil {
		return fmt.Errorf("saved account: %w", err)
	}
	// Ids go on after the last one handed out, even when its record is gone.
	nextRouteID = max(nextRouteID, file.LastIDs.Route+1)
	e911s.issued = max(e911s.issued, file.LastIDs.E911Address-e911IDBase)
	cnams.issued = max(cnams.issued, file.LastIDs.CNAMPreset-cnamIDBase)

	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	restock := slices.Collect(maps.Keys(s.owned))
	s.owned = owned
	s.routes, s.nextRouteID = routes, nextRouteID
	s.e911s, s.cnams = e911s, cnams
	s.accountCallbacks, s.numberCallbacks = file.AccountCallbacks, file.NumberCallbacks
	s.forSale.Store(s.forSale.Load().change(slices.Collect(maps.Keys(owned)), restock))
	return nil
}

// numberPath returns the number in a path /v2/numbers/{number}.
func numberPath(path string) (string, bool) {
	number, ok := strings.CutPrefix(path, PathOwnedNumbers+"/")
	return number, ok && number != "" && strings.Trim(number, "0123456789") == ""
}

const (
	allowOnNumber         = "GET, POST, PATCH, DELETE"
	detailNotOnAccount    = "Could not find that resource on your account."
	detailWrongMediaType  = "Content-Type must be application/vnd.api+json or application/json."
	numberStatusPurchased = "PURCHASED"
)

// serveNumber answers the calls on one number: read, purchase, update and
// release.
func (s *Server) serveNumber(r *http.Request, number string, body []byte) answer {
	self := baseURL(r) + PathOwnedNumbers + "/" + number
	switch r.Method {
	case http.MethodGet:
		o, ok := s.ownedNumber(number)
		if !ok {
			return notOnAccount()
		}
		return answer{status: http.StatusOK, payload: s.numberDocumentOf(self, o)}
	case http.MethodPost:
		bought, err := s.buy(number)
		if err != nil {
			return answer{status: http.StatusUnprocessableEntity, payload: newErrors(http.StatusUnprocessableEntity,
				fmt.Sprintf("Number %s is not available for purchase.", number))}
		}
		return answer{status: http.StatusCreated, payload: s.numberDocumentOf(self, bought[0])}
	case http.MethodPatch:
		if len(body) > 0 && !jsonMediaType(r.Header.Get("Content-Type")) {
			return answer{status: http.StatusUnsupportedMediaType,
				payload: newErrors(http.StatusUnsupportedMediaType, detailWrongMediaType)}
		}
		changes, err := parseNumberChanges(body)
		if err != nil {
			return answer{status: http.StatusUnprocessableEntity, payload: newErrors(http.StatusUnprocessableEntity, err.Error())}
		}
		o, ok := s.update(number, changes)
		if !ok {
			return notOnAccount()
		}
		return answer{status: http.StatusOK, payload: s.numberDocumentOf(self, o)}
	case http.MethodDelete:
		if s.release(number) != nil {
			return notOnAccount()
		}
		return answer{status: http.StatusNoContent}
	}
	return methodNotAllowed(allowOnNumber)
}

// notOnAccount is the documented 404 body, which has no title.
func notOnAccount() answer {
	return answer{status: http.StatusNotFound, payload: errorsBody{Errors: []apiError{{
		Detail: detailNotOnAccount, ID: newErrorID(), Status: http.StatusNotFound,
	}}}}
}

func jsonMediaType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mediaType == contentTypeJSONAPI || mediaType == "application/json")
}

// parseNumberChanges reads the flat body of a PATCH: "type" must be
// "number", other attributes are optional and unknown ones ignored.
func parseNumberChanges(body []byte) (numberChanges, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return numberChanges{}, errors.New("the body must be a JSON object")
	}
	var kind string
	if err := json.Unmarshal(fields["type"], &kind); err != nil || kind != "number" {
		return numberChanges{}, errors.New(`type must be "number"`)
	}
	var c numberChanges
	if raw, ok := fields["alias"]; ok {
		if err := json.Unmarshal(raw, &c.alias); err != nil {
			return numberChanges{}, errors.New("alias must be a string or null")
		}
		c.setAlias = true
		if c.alias != nil && *c.alias == "" {
			c.alias = nil
		}
	}
	for _, flag := range []struct {
		name   string
		target **bool
	}{{"cnam_lookups_enabled", &c.cnamLookups}, {"messaging_enabled", &c.messaging}} {
		raw, ok := fields[flag.name]
		if !ok {
			continue
		}
		// Unmarshal takes null for "no change": the API's booleans are never null.
		if err := json.Unmarshal(raw, flag.target); err != nil || *flag.target == nil {
			return numberChanges{}, fmt.Errorf("%s must be true or false", flag.name)
		}
	}
	return c, nil
}

// searchOwned opens the account's numbers filtered as GET /v2/numbers does.
func searchOwned(s *Server, query url.Values) (window[OwnedNumber], error) {
	startsWith, contains, endsWith := query.Get("starts_with"), query.Get("contains"), query.Get("ends_with")
	if err := checkDigits(startsWith, contains, endsWith); err != nil {
		return nil, err
	}
	prefix := ""
	if startsWith != "" {
		prefix = numberPrefix(startsWith)
	}
	alias := query.Get("alias")
	var found []OwnedNumber
	for _, o := range s.OwnedNumbers() {
		if strings.HasPrefix(o.Number, prefix) && strings.Contains(o.Number, contains) &&
			strings.HasSuffix(o.Number, endsWith) && (alias == "" || o.Alias != nil && *o.Alias == alias) {
			found = append(found, o)
		}
	}
	return sliceWindow(found), nil
}

// JSON field order follows the API's answers (keys sorted).
type ownedAttributes struct {
	Alias              *string `json:"alias"`
	CNAMLookupsEnabled bool    `json:"cnam_lookups_enabled"`
	InboundRate        float64 `json:"inbound_rate"`
	ISOCountry         string  `json:"iso_country"`
	MessagingEnabled   bool    `json:"messaging_enabled"`
	MonthlyCost        float64 `json:"monthly_cost"`
	NumberType         string  `json:"number_type"`
	RateCenter         string  `json:"rate_center"`
	RateType           string  `json:"rate_type"`
	SetupCost          float64 `json:"setup_cost"`
	State              string  `json:"state"`
	Status             string  `json:"status"`
	Tier               string  `json:"tier"`
	Value              string  `json:"value"`
}

type resourceRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type relationship struct {
	Data *resourceRef `json:"data"`
}

type numberRelationships struct {
	CNAMPreset    relationship `json:"cnam_preset"`
	E911Address   relationship `json:"e911_address"`
	FailoverRoute relationship `json:"failover_route"`
	PrimaryRoute  relationship `json:"primary_route"`
}

type selfLink struct {
	Self string `json:"self"`
}

// numberResource is a number of the account; list items leave out the
// relationships.
type numberResource struct {
	Attributes    ownedAttributes      `json:"attributes"`
	ID            string               `json:"id"`
	Links         selfLink             `json:"links"`
	Relationships *numberRelationships `json:"relationships,omitempty"`
	Type          string               `json:"type"`
}

type routeAttributes struct {
	Alias          string  `json:"alias"`
	EdgeStrategyID *int    `json:"edge_strategy_id"` // null while unset: the answer says it has none
	RouteType      string  `json:"route_type"`
	Value          *string `json:"value"`
}

type routeResource struct {
	Attributes routeAttributes `json:"attributes"`
	ID         string          `json:"id"`
	Type       string          `json:"type"`
}

type numberDocument struct {
	Data     numberResource  `json:"data"`
	Included []routeResource `json:"included"`
	Links    selfLink        `json:"links"`
}

func numberResourceOf(self string, o OwnedNumber) numberResource {
	a := attributes(Number{Number: o.Number, State: o.State, RateCenter: o.RateCenter, NumberType: o.NumberType,
		SetupCost: o.SetupCost, MonthlyCost: o.MonthlyCost})
	return numberResource{
		Attributes: ownedAttributes{
			Alias:              o.Alias,
			CNAMLookupsEnabled: o.CNAMLookupsEnabled,
			InboundRate:        a.InboundRate,
			ISOCountry:         a.ISOCountry,
			MessagingEnabled:   o.MessagingEnabled,
			MonthlyCost:        a.MonthlyCost,
			NumberType:         a.NumberType,
			RateCenter:         a.RateCenter,
			RateType:           a.RateType,
			SetupCost:          a.SetupCost,
			State:              a.State,
			Status:             numberStatusPurchased,
			Tier:               a.Tier,
			Value:              a.Value,
		},
		ID:    o.Number,
		Links: selfLink{Self: self},
		Type:  "number",
	}
}

func (s *Server) numberDocumentOf(self string, o OwnedNumber) numberDocument {
	resource := numberResourceOf(self, o)
	resource.Relationships = &numberRelationships{
		CNAMPreset:    relationshipTo("cnam", o.CNAMPresetID),
		E911Address:   relationshipTo("e911", o.E911AddressID),
		FailoverRoute: relationshipTo("route", o.FailoverRouteID),
		PrimaryRoute:  relationshipTo("route", o.PrimaryRouteID),
	}
	return numberDocument{Data: resource, Included: s.includedRoutes(o), Links: selfLink{Self: self}}
}

func relationshipTo(kind, id string) relationship {
	if id == "" {
		return relationship{}
	}
	return relationship{Data: &resourceRef{ID: id, Type: kind}}
}
