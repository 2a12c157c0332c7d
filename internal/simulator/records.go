package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
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

// fieldErrorsBody is a 422 whose detail names each field it refuses, as the
// E911 validation answers.
type fieldErrorsBody struct {
	Errors []fieldErrorObject `json:"errors"`
}

type fieldErrorObject struct {
	Detail map[string]string `json:"detail"`
	ID     string            `json:"id"`
	Status int               `json:"status"`
	Title  string            `json:"title"`
}

func fieldErrors(fields map[string]string) answer {
	return answer{status: http.StatusUnprocessableEntity, payload: fieldErrorsBody{Errors: []fieldErrorObject{{
		Detail: fields, ID: newErrorID(), Status: http.StatusUnprocessableEntity,
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
