package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PathCNAMs lists and creates the account's CNAM presets; each one is at
// PathCNAMs + "/" + id.
const PathCNAMs = "/v2/cnams"

const (
	// cnamIDBase makes the first preset 23454, as in the API reference.
	cnamIDBase         = 23453
	maxCNAMValueLength = 15
	detailCNAMApproved = "An approved CNAM preset cannot be changed."
	detailTollFreeCNAM = "CNAM presets apply to long-code numbers only."
	// cnamDatetime is how a preset's times read (assumed: the reference
	// shows none).
	cnamDatetime = time.RFC3339
)

// CNAMPreset is a caller name of the simulated account. It is pending
// until it is approved or rejected (with a reason).
type CNAMPreset struct {
	ID              string    `json:"id"`
	Value           string    `json:"value"`
	IsApproved      bool      `json:"is_approved"`
	ApprovedAt      time.Time `json:"approved_at,omitzero"` // zero while not approved
	RejectionReason string    `json:"rejection_reason,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
}

func (p CNAMPreset) pending() bool { return !p.IsApproved && p.RejectionReason == "" }

// cnamRecord is a preset with the time its value went up for review.
type cnamRecord struct {
	CNAMPreset
	SubmittedAt time.Time `json:"submitted_at"`
}

// cnamStore holds the account's presets. Server.accountMu guards it, as the
// numbers refer to them.
type cnamStore struct {
	byID          map[string]cnamRecord
	issued        int // ids handed out so far
	approvalDelay time.Duration
	now           func() time.Time
}

func (st *cnamStore) nextID() string {
	st.issued++
	return strconv.Itoa(cnamIDBase + st.issued)
}

func (st *cnamStore) set(p cnamRecord) {
	if st.byID == nil {
		st.byID = map[string]cnamRecord{}
	}
	st.byID[p.ID] = p
}

// settle approves the pending presets that have been under review for
// approvalDelay, as of the time they reached it.
func (st *cnamStore) settle() {
	if st.approvalDelay <= 0 {
		return
	}
	now := st.now()
	for id, p := range st.byID {
		if due := p.SubmittedAt.Add(st.approvalDelay); p.pending() && !now.Before(due) {
			p.IsApproved, p.ApprovedAt = true, due
			st.byID[id] = p
		}
	}
}

// get returns the preset as of now.
func (st *cnamStore) get(id string) (cnamRecord, bool) {
	st.settle()
	p, ok := st.byID[id]
	return p, ok
}

func (st *cnamStore) presets() []CNAMPreset {
	st.settle()
	out := make([]CNAMPreset, 0, len(st.byID))
	for _, p := range st.byID {
		out = append(out, p.CNAMPreset)
	}
	slices.SortFunc(out, func(a, b CNAMPreset) int { return compareIDs(a.ID, b.ID) })
	return out
}

// cnamCharacters are those a caller name may hold (assumed: the reference
// names only the length and the letter).
var cnamCharacters = regexp.MustCompile(`^[A-Za-z0-9 .,'&-]*$`)

// valueProblem says what is wrong with a preset's value for the preset id
// ("" for a new one), "" when nothing is.
func (st *cnamStore) valueProblem(id, value string) string {
	switch {
	case value == "":
		return "value is required"
	case utf8.RuneCountInString(value) > maxCNAMValueLength:
		return fmt.Sprintf("value must be at most %d characters", maxCNAMValueLength)
	case !cnamCharacters.MatchString(value):
		return "value may hold only letters, digits, spaces and . , ' - &"
	case !strings.ContainsFunc(value, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }):
		return "value must contain at least one letter"
	}
	for _, p := range st.byID {
		if p.ID != id && strings.EqualFold(p.Value, value) {
			return fmt.Sprintf("A CNAM preset with the value %q already exists.", p.Value)
		}
	}
	return ""
}

// serveCNAM answers the calls on CNAM presets and on the numbers'
// relationship to them, or false for the other paths.
func (s *Server) serveCNAM(r *http.Request, query url.Values, body []byte, fault *Fault) (answer, bool) {
	if reply, ok := serveRecordRelationship(r, "cnams", s.setCNAM); ok {
		return reply, true
	}
	if r.URL.Path == PathCNAMs {
		switch r.Method {
		case http.MethodGet:
			status, payload := cnamList.serve(s, r, query, fault)
			return answer{status: status, payload: payload}, true
		case http.MethodPost:
			return s.createCNAM(r, body), true
		}
		return methodNotAllowed("GET, POST"), true
	}
	id, ok := recordID(r.URL.Path, PathCNAMs)
	if !ok {
		return answer{}, false
	}
	switch r.Method {
	case http.MethodGet:
		s.accountMu.Lock()
		p, found := s.cnams.get(id)
		s.accountMu.Unlock()
		if !found {
			return notOnAccount(), true
		}
		return answer{status: http.StatusOK, payload: document[cnamResource]{Data: cnamResourceOf(p.CNAMPreset)}}, true
	case http.MethodPatch:
		return s.updateCNAM(r, id, body), true
	case http.MethodDelete:
		if s.deleteCNAM(id) != nil {
			return notOnAccount(), true
		}
		return answer{status: http.StatusNoContent}, true
	}
	return methodNotAllowed("GET, PATCH, DELETE"), true
}

// createCNAM takes the flat body {"value": "..."}; unknown fields are
// ignored.
func (s *Server) createCNAM(r *http.Request, body []byte) answer {
	if refused, ok := wrongMediaType(r, body); ok {
		return refused
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil || fields == nil {
		return unprocessableAnswer(errors.New(`the body must be {"value": "..."}`))
	}
	var value string
	if raw, ok := fields["value"]; ok && json.Unmarshal(raw, &value) != nil {
		return unprocessableAnswer(errors.New("value must be a string"))
	}
	s.accountMu.Lock()
	if problem := s.cnams.valueProblem("", value); problem != "" {
		s.accountMu.Unlock()
		return unprocessableAnswer(errors.New(problem))
	}
	now := s.cnams.now().UTC()
	p := cnamRecord{CNAMPreset: CNAMPreset{ID: s.cnams.nextID(), Value: value, CreatedAt: now}, SubmittedAt: now}
	s.cnams.set(p)
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusCreated, payload: document[cnamResource]{Data: cnamResourceOf(p.CNAMPreset)}}
}

// updateCNAM changes a preset's value while it is not approved; the new
// value goes up for review afresh.
func (s *Server) updateCNAM(r *http.Request, id string, body []byte) answer {
	attributes, refused, ok := readRecordEnvelope(r, body, "cnam")
	if !ok {
		return refused
	}
	var value string
	if raw, ok := attributes["value"]; ok && json.Unmarshal(raw, &value) != nil {
		return unprocessableAnswer(errors.New("value must be a string"))
	}
	s.accountMu.Lock()
	p, found := s.cnams.get(id)
	if !found {
		s.accountMu.Unlock()
		return notOnAccount()
	}
	if p.IsApproved {
		s.accountMu.Unlock()
		return answer{status: http.StatusForbidden, payload: newErrors(http.StatusForbidden, detailCNAMApproved)}
	}
	if problem := s.cnams.valueProblem(id, value); problem != "" {
		s.accountMu.Unlock()
		return unprocessableAnswer(errors.New(problem))
	}
	p.Value, p.RejectionReason, p.SubmittedAt = value, "", s.cnams.now().UTC()
	s.cnams.set(p)
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusOK, payload: document[cnamResource]{Data: cnamResourceOf(p.CNAMPreset)}}
}

// deleteCNAM deletes a preset and releases the numbers that use it.
func (s *Server) deleteCNAM(id string) error {
	return deleteRecord(s, &s.cnams.byID, "CNAM preset", id, func(o *OwnedNumber) *string { return &o.CNAMPresetID })
}

// setCNAM assigns the approved preset id to a long-code number, or releases
// the number's preset when id is "". Both answer 202, as the change reaches
// the carriers later.
func (s *Server) setCNAM(number, id string) answer {
	s.accountMu.Lock()
	o, owned := s.owned[number]
	p, found := s.cnams.get(id)
	var refusal string
	switch {
	case !owned || id != "" && !found:
		s.accountMu.Unlock()
		return notOnAccount()
	case id == "":
	case o.NumberType == NumberTypeTollFree:
		refusal = detailTollFreeCNAM
	case p.RejectionReason != "":
		refusal = fmt.Sprintf("CNAM preset %s was rejected (%s) and cannot be assigned.", id, p.RejectionReason)
	case !p.IsApproved:
		refusal = fmt.Sprintf("CNAM preset %s is awaiting approval and cannot be assigned until it is approved.", id)
	}
	if refusal != "" {
		s.accountMu.Unlock()
		return unprocessableAnswer(errors.New(refusal))
	}
	o.CNAMPresetID = id
	s.owned[number] = o
	now := s.cnams.now()
	s.accountMu.Unlock()
	s.accountChanged()

	assignment := cnamAssignment{Type: "cnam"}
	assignment.Attributes.DateCreated = now.UTC().Format(http.TimeFormat)
	if id != "" {
		n, _ := strconv.ParseInt(id, 10, 64) // all digits, as recordID checked
		assignment.ID = &n
	}
	return answer{status: http.StatusAccepted, payload: document[cnamAssignment]{Data: assignment}}
}

// CNAMPresets returns a copy of the account's CNAM presets, in the order
// they were created.
func (s *Server) CNAMPresets() []CNAMPreset {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	return s.cnams.presets()
}

// ApproveCNAM approves a preset, as Flowroute's review does.
func (s *Server) ApproveCNAM(id string) error {
	return s.decideCNAM(id, func(p *cnamRecord) {
		p.IsApproved, p.ApprovedAt, p.RejectionReason = true, s.cnams.now().UTC(), ""
	})
}

// RejectCNAM rejects a preset for the reason given, as Flowroute's review
// does; it can be changed and reviewed again.
func (s *Server) RejectCNAM(id, reason string) error {
	if reason == "" {
		return fmt.Errorf("simulator: rejecting CNAM preset %q needs a reason", id)
	}
	return s.decideCNAM(id, func(p *cnamRecord) {
		p.IsApproved, p.ApprovedAt, p.RejectionReason = false, time.Time{}, reason
	})
}

func (s *Server) decideCNAM(id string, decide func(*cnamRecord)) error {
	s.accountMu.Lock()
	p, found := s.cnams.get(id)
	if !found {
		s.accountMu.Unlock()
		return errNoRecord("CNAM preset", id)
	}
	decide(&p)
	s.cnams.set(p)
	s.accountMu.Unlock()
	s.accountChanged()
	return nil
}

// DeleteCNAMOutside deletes a preset as if in Flowroute's portal: the
// numbers that use it are released from it, as through the API.
func (s *Server) DeleteCNAMOutside(id string) error {
	return s.deleteCNAM(id)
}

var cnamList = &listEndpoint[CNAMPreset, cnamResource]{
	path:     PathCNAMs,
	maxLimit: maxListLimit,
	echo:     []string{"is_approved", "value"},
	open:     searchCNAMs,
	item:     func(_ string, p CNAMPreset) cnamResource { return cnamResourceOf(p) },
}

// searchCNAMs keeps the presets of the approval state asked for and whose
// value equals the one given, in any case.
func searchCNAMs(s *Server, query url.Values) (window[CNAMPreset], error) {
	var approved *bool
	if query.Get("is_approved") != "" {
		b, err := strconv.ParseBool(query.Get("is_approved"))
		if err != nil {
			return nil, fmt.Errorf("is_approved must be true or false, got '%s'", query.Get("is_approved"))
		}
		approved = &b
	}
	s.accountMu.Lock()
	all := s.cnams.presets()
	s.accountMu.Unlock()
	value := query.Get("value")
	found := slices.DeleteFunc(all, func(p CNAMPreset) bool {
		return approved != nil && p.IsApproved != *approved || value != "" && !strings.EqualFold(p.Value, value)
	})
	return sliceWindow(found), nil
}

// JSON field order follows the API's answers (keys sorted).
type cnamAttributes struct {
	ApprovalDatetime *string `json:"approval_datetime"`
	CreationDatetime string  `json:"creation_datetime"`
	IsApproved       bool    `json:"is_approved"`
	RejectionReason  *string `json:"rejection_reason"`
	Value            string  `json:"value"`
}

type cnamResource struct {
	Attributes cnamAttributes `json:"attributes"`
	ID         string         `json:"id"`
	Type       string         `json:"type"`
}

func cnamResourceOf(p CNAMPreset) cnamResource {
	a := cnamAttributes{
		CreationDatetime: p.CreatedAt.Format(cnamDatetime),
		IsApproved:       p.IsApproved,
		RejectionReason:  nullIfEmpty(p.RejectionReason),
		Value:            p.Value,
	}
	if p.IsApproved {
		a.ApprovalDatetime = nullIfEmpty(p.ApprovedAt.Format(cnamDatetime))
	}
	return cnamResource{Attributes: a, ID: p.ID, Type: "cnam"}
}

// cnamAssignment is the answer to assigning or releasing a number's preset:
// its id is a JSON number, or null after a release.
type cnamAssignment struct {
	Attributes struct {
		DateCreated string `json:"date_created"`
	} `json:"attributes"`
	ID   *int64 `json:"id"`
	Type string `json:"type"`
}
