package simulator

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const (
	// PathE911s lists and creates the account's E911 addresses; each one is
	// at PathE911s + "/" + id.
	PathE911s = "/v2/e911s"
	// PathValidateE911 checks an address without keeping it.
	PathValidateE911 = PathE911s + "/validate"
	// UngeocodableZip is the zip code in which no address can be geocoded:
	// an address with it is refused with 400 once its fields pass.
	UngeocodableZip = "00000"
)

const (
	maxE911Limit = 2000
	// e911IDBase makes the first address 21301, as in the API reference.
	e911IDBase        = 21300
	detailNotGeocoded = "Could not geocode this address. Check the street number, street name, city, state and zip."
	detailE911InUse   = "This address is assigned to one or more numbers."
)

// E911Address is an emergency address of the simulated account. Empty
// AddressType and AddressTypeNumber mean none (null in the API).
type E911Address struct {
	ID                string `json:"id"`
	Label             string `json:"label"`
	FirstName         string `json:"first_name"`
	LastName          string `json:"last_name"`
	StreetNumber      string `json:"street_number"`
	StreetName        string `json:"street_name"`
	City              string `json:"city"`
	State             string `json:"state"`
	Country           string `json:"country"`
	Zip               string `json:"zip"`
	AddressType       string `json:"address_type"`
	AddressTypeNumber string `json:"address_type_number"`
}

// e911Store holds the account's addresses. Server.accountMu guards it, as
// the numbers refer to them.
type e911Store struct {
	byID   map[string]E911Address
	issued int // ids handed out so far
}

func (st *e911Store) nextID() string {
	st.issued++
	return strconv.Itoa(e911IDBase + st.issued)
}

func (st *e911Store) set(a E911Address) {
	if st.byID == nil {
		st.byID = map[string]E911Address{}
	}
	st.byID[a.ID] = a
}

// e911Fields are an address's attributes, in the order the API lists them.
var e911Fields = []struct {
	name     string
	field    func(*E911Address) *string
	required bool
}{
	{"label", func(a *E911Address) *string { return &a.Label }, true},
	{"first_name", func(a *E911Address) *string { return &a.FirstName }, true},
	{"last_name", func(a *E911Address) *string { return &a.LastName }, true},
	{"street_number", func(a *E911Address) *string { return &a.StreetNumber }, true},
	{"street_name", func(a *E911Address) *string { return &a.StreetName }, true},
	{"city", func(a *E911Address) *string { return &a.City }, true},
	{"state", func(a *E911Address) *string { return &a.State }, true},
	{"country", func(a *E911Address) *string { return &a.Country }, true},
	{"zip", func(a *E911Address) *string { return &a.Zip }, true},
	{"address_type", func(a *E911Address) *string { return &a.AddressType }, false},
	{"address_type_number", func(a *E911Address) *string { return &a.AddressTypeNumber }, false},
}

var (
	stateCode    = regexp.MustCompile(`^[A-Z]{2}$`)
	usZip        = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)
	caPostalCode = regexp.MustCompile(`^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$`)
)

// problems says what is wrong with each field of a, nil when nothing is.
func (a E911Address) problems() map[string]string {
	found := map[string]string{}
	for _, f := range e911Fields {
		if f.required && strings.TrimSpace(*f.field(&a)) == "" {
			found[f.name] = "is required"
		}
	}
	if found["state"] == "" && !stateCode.MatchString(a.State) {
		found["state"] = "must be two upper-case letters"
	}
	switch {
	case found["country"] != "":
	case a.Country == "US":
		if found["zip"] == "" && !usZip.MatchString(a.Zip) {
			found["zip"] = "must be a ZIP code of 5 digits, or ZIP+4"
		}
	case a.Country == "CA":
		if found["zip"] == "" && !caPostalCode.MatchString(a.Zip) {
			found["zip"] = "must be a postal code such as K1A 0B1"
		}
	default:
		found["country"] = "must be US or CA"
	}
	switch {
	case a.AddressType != "" && a.AddressTypeNumber == "":
		found["address_type_number"] = "is required with address_type"
	case a.AddressType == "" && a.AddressTypeNumber != "":
		found["address_type"] = "is required with address_type_number"
	}
	if len(found) == 0 {
		return nil
	}
	return found
}

// applyE911 sets the attributes of an address envelope on a and checks the
// result: the answer to send instead of going on, if any. A null or empty
// attribute clears the field; unknown attributes are ignored.
func applyE911(r *http.Request, body []byte, a *E911Address) (answer, bool) {
	attributes, refused, ok := readRecordEnvelope(r, body, "e911")
	if !ok {
		return refused, true
	}
	notText := map[string]string{}
	for _, f := range e911Fields {
		raw, ok := attributes[f.name]
		if !ok {
			continue
		}
		var value *string
		if json.Unmarshal(raw, &value) != nil {
			notText[f.name] = "must be a string"
			continue
		}
		*f.field(a) = ""
		if value != nil {
			*f.field(a) = *value
		}
	}
	if found := a.problems(); found != nil || len(notText) > 0 {
		if found == nil {
			found = map[string]string{}
		}
		maps.Copy(found, notText)
		return fieldErrors(found), true
	}
	if a.Zip == UngeocodableZip {
		return answer{status: http.StatusBadRequest, payload: newErrors(http.StatusBadRequest, detailNotGeocoded)}, true
	}
	return answer{}, false
}

// serveE911 answers the calls on E911 addresses and on the numbers'
// relationship to them, or false for the other paths.
func (s *Server) serveE911(r *http.Request, query url.Values, body []byte, fault *Fault) (answer, bool) {
	if reply, ok := serveRecordRelationship(r, "e911s", s.setE911); ok {
		return reply, true
	}
	switch r.URL.Path {
	case PathE911s:
		switch r.Method {
		case http.MethodGet:
			status, payload := e911List.serve(s, r, query, fault)
			return answer{status: status, payload: payload}, true
		case http.MethodPost:
			return s.createE911(r, body), true
		}
		return methodNotAllowed("GET, POST"), true
	case PathValidateE911:
		if r.Method != http.MethodPost {
			return methodNotAllowed(http.MethodPost), true
		}
		var address E911Address
		if refused, ok := applyE911(r, body, &address); ok {
			return refused, true
		}
		return answer{status: http.StatusNoContent}, true
	}
	id, ok := recordID(r.URL.Path, PathE911s)
	if !ok {
		return answer{}, false
	}
	switch r.Method {
	case http.MethodGet:
		s.accountMu.Lock()
		address, found := s.e911s.byID[id]
		s.accountMu.Unlock()
		if !found {
			return notOnAccount(), true
		}
		return answer{status: http.StatusOK, payload: document[e911Resource]{Data: e911ResourceOf(address)}}, true
	case http.MethodPatch:
		return s.updateE911(r, id, body), true
	case http.MethodDelete:
		return s.deleteE911(id), true
	}
	return methodNotAllowed("GET, PATCH, DELETE"), true
}

func (s *Server) createE911(r *http.Request, body []byte) answer {
	var address E911Address
	if refused, ok := applyE911(r, body, &address); ok {
		return refused
	}
	s.accountMu.Lock()
	address.ID = s.e911s.nextID()
	s.e911s.set(address)
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusCreated, payload: document[e911Resource]{Data: e911ResourceOf(address)}}
}

func (s *Server) updateE911(r *http.Request, id string, body []byte) answer {
	s.accountMu.Lock()
	address, found := s.e911s.byID[id]
	if !found {
		s.accountMu.Unlock()
		return notOnAccount()
	}
	if refused, ok := applyE911(r, body, &address); ok {
		s.accountMu.Unlock()
		return refused
	}
	s.e911s.set(address)
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusOK, payload: document[e911Resource]{Data: e911ResourceOf(address)}}
}

func (s *Server) deleteE911(id string) answer {
	s.accountMu.Lock()
	if _, found := s.e911s.byID[id]; !found {
		s.accountMu.Unlock()
		return notOnAccount()
	}
	for _, o := range s.owned {
		if o.E911AddressID == id {
			s.accountMu.Unlock()
			return answer{status: http.StatusForbidden, payload: newErrors(http.StatusForbidden, detailE911InUse)}
		}
	}
	delete(s.e911s.byID, id)
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusNoContent}
}

// setE911 attaches the address id to a number, or detaches the number's
// address when id is "".
func (s *Server) setE911(number, id string) answer {
	s.accountMu.Lock()
	o, owned := s.owned[number]
	_, found := s.e911s.byID[id]
	if !owned || id != "" && !found {
		s.accountMu.Unlock()
		return notOnAccount()
	}
	o.E911AddressID = id
	s.owned[number] = o
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusNoContent}
}

// E911Addresses returns a copy of the account's E911 addresses, in the
// order they were created.
func (s *Server) E911Addresses() []E911Address {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	return s.e911Addresses()
}

func (s *Server) e911Addresses() []E911Address {
	out := slices.Collect(maps.Values(s.e911s.byID))
	slices.SortFunc(out, func(a, b E911Address) int { return compareIDs(a.ID, b.ID) })
	return out
}

// DeleteE911Outside deletes an address as if in Flowroute's portal, which
// (unlike the API) also detaches it from the numbers that use it.
func (s *Server) DeleteE911Outside(id string) error {
	return deleteRecord(s, &s.e911s.byID, "E911 address", id, func(o *OwnedNumber) *string { return &o.E911AddressID })
}

var e911List = &listEndpoint[E911Address, e911Resource]{
	path:     PathE911s,
	maxLimit: maxE911Limit,
	echo:     []string{"label", "street_name", "city", "state"},
	open:     searchE911s,
	item:     func(_ string, a E911Address) e911Resource { return e911ResourceOf(a) },
}

// searchE911s keeps the addresses whose label, street name, city and state
// equal the filters given, in any case.
func searchE911s(s *Server, query url.Values) (window[E911Address], error) {
	s.accountMu.Lock()
	all := s.e911Addresses()
	s.accountMu.Unlock()
	found := slices.DeleteFunc(all, func(a E911Address) bool {
		for name, value := range map[string]string{"label": a.Label, "street_name": a.StreetName, "city": a.City, "state": a.State} {
			if filter := query.Get(name); filter != "" && !strings.EqualFold(filter, value) {
				return true
			}
		}
		return false
	})
	return sliceWindow(found), nil
}

// JSON field order follows the API's answers (keys sorted).
type e911Attributes struct {
	AddressType       *string `json:"address_type"`
	AddressTypeNumber *string `json:"address_type_number"`
	City              string  `json:"city"`
	Country           string  `json:"country"`
	FirstName         string  `json:"first_name"`
	Label             string  `json:"label"`
	LastName          string  `json:"last_name"`
	State             string  `json:"state"`
	StreetName        string  `json:"street_name"`
	StreetNumber      string  `json:"street_number"`
	Zip               string  `json:"zip"`
}

type e911Resource struct {
	Attributes e911Attributes `json:"attributes"`
	ID         string         `json:"id"`
	Type       string         `json:"type"`
}

func e911ResourceOf(a E911Address) e911Resource {
	return e911Resource{
		Attributes: e911Attributes{
			AddressType:       nullIfEmpty(a.AddressType),
			AddressTypeNumber: nullIfEmpty(a.AddressTypeNumber),
			City:              a.City,
			Country:           a.Country,
			FirstName:         a.FirstName,
			Label:             a.Label,
			LastName:          a.LastName,
			State:             a.State,
			StreetName:        a.StreetName,
			StreetNumber:      a.StreetNumber,
			Zip:               a.Zip,
		},
		ID:   a.ID,
		Type: "e911",
	}
}
