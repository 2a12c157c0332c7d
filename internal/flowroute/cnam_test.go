package flowroute

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

const (
	testCNAMPath    = "/v2/cnams/23454"
	testCNAMPending = `{"data": {"type": "cnam", "id": "23454", "attributes": {"value": "ACME SUPPORT", "is_approved": false,
		"approval_datetime": null, "rejection_reason": null, "creation_datetime": "2018-06-01T00:17:52Z"}}}`
	testCNAMApproved = `{"data": {"type": "cnam", "id": "23454", "attributes": {"value": "ACME SUPPORT", "is_approved": true,
		"approval_datetime": "2018-06-02T09:00:00Z", "rejection_reason": null, "creation_datetime": "2018-06-01T00:17:52Z"}}}`
	testCNAMRejected = `{"data": {"type": "cnam", "id": "23454", "attributes": {"value": "ACME SUPPORT", "is_approved": false,
		"approval_datetime": null, "rejection_reason": "not the account's name", "creation_datetime": "2018-06-01T00:17:52Z"}}}`
	testCNAMRelationship = "/v2/numbers/16502390214/relationships/cnams"
	// The assignment answers, with their integer and null ids.
	testCNAMAssigned = `{"data": {"type": "cnam", "id": 23454, "attributes": {"date_created": "Fri, 01 Jun 2018 00:17:52 GMT"}}}`
	testCNAMReleased = `{"data": {"type": "cnam", "id": null, "attributes": {"date_created": "Fri, 01 Jun 2018 00:17:52 GMT"}}}`
)

func TestCreateAndGetCNAM(t *testing.T) {
	c, api := newScriptedAPI(t, map[string][]reply{
		"POST /v2/cnams":      {{201, testCNAMPending}},
		"GET " + testCNAMPath: {{200, testCNAMApproved}, {404, notFoundBody}},
	})
	created, err := c.CreateCNAM(t.Context(), "ACME SUPPORT")
	want := CNAMPreset{ID: "23454", Value: "ACME SUPPORT", CreationDatetime: "2018-06-01T00:17:52Z"}
	if err != nil || created != want {
		t.Fatalf("create: %+v %v", created, err)
	}
	// The creation's body is flat.
	assertJSONBody(t, api.requests()[0], `{"value": "ACME SUPPORT"}`)

	got, err := c.GetCNAM(t.Context(), "23454")
	want.IsApproved, want.ApprovalDatetime = true, "2018-06-02T09:00:00Z"
	if err != nil || got != want {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err = c.GetCNAM(t.Context(), "23454"); !errors.Is(err, ErrCNAMNotFound) {
		t.Errorf("get missing: %v", err)
	}
}

func TestCreateCNAMRefusals(t *testing.T) {
	duplicate := `{"errors": [{"status": 422, "detail": "A CNAM preset with the value \"ACME SUPPORT\" already exists."}]}`
	c, api := newScriptedAPI(t, map[string][]reply{"POST /v2/cnams": {{422, duplicate}, {502, ""}}})
	_, err := c.CreateCNAM(t.Context(), "ACME SUPPORT")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 422 || errors.Is(err, ErrOutcomeUnknown) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err = c.CreateCNAM(t.Context(), "ACME SUPPORT"); !errors.Is(err, ErrOutcomeUnknown) || len(api.requests()) != 2 {
		t.Errorf("bad gateway: %v after %d requests", err, len(api.requests()))
	}
}

func TestUpdateAndDeleteCNAM(t *testing.T) {
	c, api := newScriptedAPI(t, map[string][]reply{
		"PATCH " + testCNAMPath: {
			{200, strings.ReplaceAll(testCNAMPending, "ACME SUPPORT", "ACME HELP")},
			{403, `{"errors": [{"status": 403, "detail": "An approved CNAM preset cannot be changed."}]}`},
			{404, notFoundBody},
		},
		"DELETE " + testCNAMPath: {{204, ""}, {404, notFoundBody}},
	})
	got, err := c.UpdateCNAM(t.Context(), "23454", "ACME HELP")
	if err != nil || got.Value != "ACME HELP" || got.ID != "23454" {
		t.Fatalf("update: %+v %v", got, err)
	}
	// The update's body is the JSON:API envelope.
	assertJSONBody(t, api.requests()[0], `{"data": {"type": "cnam", "attributes": {"value": "ACME HELP"}}}`)
	if _, err = c.UpdateCNAM(t.Context(), "23454", "ACME HELP"); !errors.Is(err, ErrCNAMApproved) || !strings.Contains(err.Error(), "cannot be changed") {
		t.Errorf("update approved: %v", err)
	}
	if _, err = c.UpdateCNAM(t.Context(), "23454", "ACME HELP"); !errors.Is(err, ErrCNAMNotFound) {
		t.Errorf("update missing: %v", err)
	}
	if err = c.DeleteCNAM(t.Context(), "23454"); err != nil {
		t.Errorf("delete: %v", err)
	}
	if err = c.DeleteCNAM(t.Context(), "23454"); !errors.Is(err, ErrCNAMNotFound) {
		t.Errorf("delete missing: %v", err)
	}
	assertNoBody(t, api.requests()[3:])
}

func TestAttachAndDetachCNAM(t *testing.T) {
	refused := `{"errors": [{"status": 422, "detail": "Not assignable."}]}`
	c, api := newScriptedAPI(t, map[string][]reply{
		"PATCH " + testCNAMRelationship + "/23454": {{202, testCNAMAssigned}, {204, ""}, {422, refused}, {422, refused}, {422, refused}},
		"DELETE " + testCNAMRelationship:           {{202, testCNAMReleased}},
		"GET " + testCNAMPath:                      {{200, testCNAMPending}, {200, testCNAMRejected}, {200, testCNAMApproved}},
	})
	if pending, err := c.AttachCNAM(t.Context(), "16502390214", "23454"); err != nil || !pending {
		t.Fatalf("assign: %v %v", pending, err)
	}
	if pending, err := c.AttachCNAM(t.Context(), "16502390214", "23454"); err != nil || pending {
		t.Fatalf("assign at once: %v %v", pending, err)
	}
	// A refusal of a preset that is not approved says so.
	_, err := c.AttachCNAM(t.Context(), "16502390214", "23454")
	var apiErr *APIError
	if !errors.Is(err, ErrCNAMNotApproved) || !strings.Contains(err.Error(), "awaiting Flowroute's review") || !errors.As(err, &apiErr) {
		t.Errorf("pending preset: %v", err)
	}
	if _, err = c.AttachCNAM(t.Context(), "16502390214", "23454"); !errors.Is(err, ErrCNAMNotApproved) ||
		!strings.Contains(err.Error(), "rejected: not the account's name") {
		t.Errorf("rejected preset: %v", err)
	}
	// Refused for another reason: the answer as it came.
	if _, err = c.AttachCNAM(t.Context(), "16502390214", "23454"); errors.Is(err, ErrCNAMNotApproved) || !strings.Contains(err.Error(), "Not assignable.") {
		t.Errorf("approved preset refused: %v", err)
	}
	if pending, err := c.DetachCNAM(t.Context(), "16502390214"); err != nil || !pending {
		t.Fatalf("release: %v %v", pending, err)
	}
	for _, r := range api.requests() {
		if r.method != http.MethodGet && r.path == testCNAMPath {
			t.Errorf("unexpected %s %s", r.method, r.path)
		}
	}
	assertNoBody(t, api.requests())
}

func TestCNAMIDsChecked(t *testing.T) {
	c, api := newScriptedAPI(t, nil)
	for _, id := range []string{"", "../e911s", "23454?x", "-1"} {
		_, getErr := c.GetCNAM(t.Context(), id)
		_, updateErr := c.UpdateCNAM(t.Context(), id, "ACME")
		_, attachErr := c.AttachCNAM(t.Context(), "16502390214", id)
		_, numberErr := c.AttachCNAM(t.Context(), id, "23454")
		_, detachErr := c.DetachCNAM(t.Context(), id)
		for _, err := range []error{getErr, updateErr, attachErr, numberErr, detachErr, c.DeleteCNAM(t.Context(), id)} {
			if err == nil {
				t.Errorf("id %q: %v", id, err)
			}
		}
	}
	if n := len(api.requests()); n != 0 {
		t.Fatalf("%d requests sent for invalid ids", n)
	}
}
