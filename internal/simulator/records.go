package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// What the E911 addresses and CNAM presets share: record ids, the number
// relationship paths that attach them, and the answers they have in common.

// recordID returns the id in path prefix + "/" + id when it is all digits,
// as every record id the API hands out.
func recordID(path, prefix string) (string, bool) {
	id, ok := strings.CutPrefix(path, prefix+"/")
	return id, ok && allDigits(id)
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// recordRelationshipPath reads /v2/numbers/{number}/relationships/{kind},
// with an id after it when there is one.
func recordRelationshipPath(path, kind string) (number, id string, ok bool) {
	rest, ok := strings.CutPrefix(path, PathOwnedNumbers+"/")
	if !ok {
		return "", "", false
	}
	number, rest, ok = strings.Cut(rest, "/relationships/"+kind)
	if !ok || !allDigits(number) {
		return "", "", false
	}
	if rest == "" {
		return number, "", true
	}
	id, ok = strings.CutPrefix(rest, "/")
	return number, id, ok && allDigits(id)
}

// serveRecordRelationship answers the calls on a number's relationship to
// a record of kind: PATCH with the record's id attaches it through set,
// DELETE without one detaches it. It returns false for the other paths.
func serveRecordRelationship(r *http.Request, kind string, set func(number, id string) answer) (answer, bool) {
	number, id, ok := recordRelationshipPath(r.URL.Path, kind)
	if !ok {
		return answer{}, false
	}
	switch {
	case id != "" && r.Method == http.MethodPatch:
		return set(number, id), true
	case id == "" && r.Method == http.MethodDelete:
		return set(number, ""), true
	case id != "":
		return methodNotAllowed(http.MethodPatch), true
	}
	return methodNotAllowed(http.MethodDelete), true
}

// readRecordEnvelope returns the attributes of a write's {"data": {"type":
// kind, ...}} body, or the answer that refuses the body.
func readRecordEnvelope(r *http.Request, body []byte, kind string) (map[string]json.RawMessage, answer, bool) {
	if refused, ok := wrongMediaType(r, body); ok {
		return nil, refused, false
	}
	attributes, err := readEnvelope(body, kind)
	if err != nil {
		return nil, unprocessableAnswer(err), false
	}
	return attributes, answer{}, true
}

// deleteRecord deletes the record id of *byID, and clears it from the
// numbers that use it, as field names it there. kind names the record in
// the error when there is none.
func deleteRecord[R any](s *Server, byID *map[string]R, kind, id string, field func(*OwnedNumber) *string) error {
	s.accountMu.Lock()
	if _, found := (*byID)[id]; !found {
		s.accountMu.Unlock()
		return errNoRecord(kind, id)
	}
	delete(*byID, id)
	for number, o := range s.owned {
		if *field(&o) == id {
			*field(&o) = ""
			s.owned[number] = o
		}
	}
	s.accountMu.Unlock()
	s.accountChanged()
	return nil
}

// fieldErrorsBody is a 422 whose detail names each field it refuses, as the
// E911 validation answers in Flowroute's documented shape: {"detail":
// {"data": {"attributes": {"zip": ["message"]}}}}.
type fieldErrorsBody struct {
	Errors []fieldErrorObject `json:"errors"`
}

type fieldErrorObject struct {
	Detail fieldErrorDetail `json:"detail"`
	ID     string           `json:"id"`
	Status int              `json:"status"`
	Title  string           `json:"title"`
}

type fieldErrorDetail struct {
	Data struct {
		Attributes map[string][]string `json:"attributes"`
	} `json:"data"`
}

func fieldErrors(fields map[string]string) answer {
	var detail fieldErrorDetail
	detail.Data.Attributes = make(map[string][]string, len(fields))
	for name, message := range fields {
		detail.Data.Attributes[name] = []string{message}
	}
	return answer{status: http.StatusUnprocessableEntity, payload: fieldErrorsBody{Errors: []fieldErrorObject{{
		Detail: detail, ID: newErrorID(), Status: http.StatusUnprocessableEntity,
		Title: http.StatusText(http.StatusUnprocessableEntity),
	}}}}
}

// readEnvelope returns the attributes of a {"data": {"type": kind,
// "attributes": {...}}} body.
func readEnvelope(body []byte, kind string) (map[string]json.RawMessage, error) {
	var envelope struct {
		Data *struct {
			Type       string                     `json:"type"`
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &envelope) != nil || envelope.Data == nil || envelope.Data.Type != kind {
		return nil, fmt.Errorf(`the body must be {"data": {"type": "%s", "attributes": {...}}}`, kind)
	}
	if envelope.Data.Attributes == nil {
		return nil, errors.New("data.attributes must be an object")
	}
	return envelope.Data.Attributes, nil
}

// document is the answer about one record.
type document[T any] struct {
	Data T `json:"data"`
}

// nullIfEmpty shows an unset text as null.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func errNoRecord(kind, id string) error {
	return fmt.Errorf("simulator: no %s with id %q", kind, id)
}

// savedRecords are the E911 addresses and CNAM presets in the account file.
type savedRecords struct {
	E911Addresses []E911Address `json:"e911_addresses,omitempty"`
	CNAMPresets   []cnamRecord  `json:"cnam_presets,omitempty"`
}

func (s *Server) savedRecords() savedRecords {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	saved := savedRecords{E911Addresses: s.e911Addresses()}
	for _, p := range s.cnams.presets() {
		saved.CNAMPresets = append(saved.CNAMPresets, s.cnams.byID[p.ID])
	}
	return saved
}

// restoreRecords checks the saved records and the numbers' references to
// them, and returns the stores they make; the ids handed out go on after
// the largest saved one.
func (f accountFile) restoreRecords(approvalDelay time.Duration, now func() time.Time) (e911Store, cnamStore, error) {
	e911s := e911Store{byID: map[string]E911Address{}}
	for _, a := range f.E911Addresses {
		_, twice := e911s.byID[a.ID]
		if err := checkSavedID(a.ID, e911IDBase, &e911s.issued, twice); err != nil {
			return e911Store{}, cnamStore{}, fmt.Errorf("E911 address: %w", err)
		}
		e911s.byID[a.ID] = a
	}
	cnams := cnamStore{byID: map[string]cnamRecord{}, approvalDelay: approvalDelay, now: now}
	for _, p := range f.CNAMPresets {
		_, twice := cnams.byID[p.ID]
		if err := checkSavedID(p.ID, cnamIDBase, &cnams.issued, twice); err != nil {
			return e911Store{}, cnamStore{}, fmt.Errorf("CNAM preset: %w", err)
		}
		cnams.byID[p.ID] = p
	}
	for _, o := range f.Numbers {
		if _, ok := e911s.byID[o.E911AddressID]; o.E911AddressID != "" && !ok {
			return e911Store{}, cnamStore{}, fmt.Errorf("%s uses E911 address %q, which is not saved", o.Number, o.E911AddressID)
		}
		if _, ok := cnams.byID[o.CNAMPresetID]; o.CNAMPresetID != "" && !ok {
			return e911Store{}, cnamStore{}, fmt.Errorf("%s uses CNAM preset %q, which is not saved", o.Number, o.CNAMPresetID)
		}
	}
	return e911s, cnams, nil
}

// checkSavedID refuses an id that is not digits or is saved twice, and
// counts issued up to it.
func checkSavedID(id string, base int, issued *int, twice bool) error {
	n, err := strconv.Atoi(id)
	switch {
	case !allDigits(id) || err != nil:
		return fmt.Errorf("id %q is not digits", id)
	case twice:
		return fmt.Errorf("id %s is saved twice", id)
	}
	*issued = max(*issued, n-base)
	return nil
}
