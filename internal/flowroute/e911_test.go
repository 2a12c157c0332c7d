package flowroute

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

const (
	testE911Envelope = `{"data": {"type": "e911", "attributes": {"label": "HQ", "first_name": "Chris", "last_name": "Smith",
		"street_number": "1218", "street_name": "3rd Ave", "city": "Seattle", "state": "WA", "country": "US",
		"zip": "98101", "address_type": "Suite", "address_type_number": "300"}}}`
	testE911Answer = `{"data": {"type": "e911", "id": "21301", "attributes": {"label": "HQ", "first_name": "Chris",
		"last_name": "Smith", "street_number": "1218", "street_name": "3rd Ave", "city": "Seattle", "state": "WA",
		"country": "US", "zip": "98101", "address_type": "Suite", "address_type_number": "300"}}}`
	testE911Path = "/v2/e911s/21301"
)

var testAddress = E911Address{
	Label: "HQ", FirstName: "Chris", LastName: "Smith", StreetNumber: "1218", StreetName: "3rd Ave",
	City: "Seattle", State: "WA", Country: "US", Zip: "98101", AddressType: "Suite", AddressTypeNumber: "300",
}

func TestCreateE911(t *testing.T) {
	c, api := newScriptedAPI(t, map[string][]reply{"POST /v2/e911s": {{201, testE911Answer}}})
	created, err := c.CreateE911(t.Context(), testAddress)
	if err != nil {
		t.Fatal(err)
	}
	want := testAddress
	want.ID = "21301"
	if created != want {
		t.Errorf("created %+v", created)
	}
	requests := api.requests()
	if len(requests) != 1 {
		t.Fatalf("%d requests", len(requests))
	}
	assertJSONBody(t, requests[0], testE911Envelope)

	// Without an address type, the creation leaves it out.
	c, api = newScriptedAPI(t, map[string][]reply{"POST /v2/e911s": {{201, strings.ReplaceAll(
		strings.ReplaceAll(testE911Answer, `"Suite"`, "null"), `"300"`, "null")}}})
	plain := testAddress
	plain.AddressType, plain.AddressTypeNumber = "", ""
	created, err = c.CreateE911(t.Context(), plain)
	if err != nil {
		t.Fatal(err)
	}
	if plain.ID = "21301"; created != plain {
		t.Errorf("created %+v", created)
	}
	assertJSONBody(t, api.requests()[0], strings.Replace(testE911Envelope, `, "address_type": "Suite", "address_type_number": "300"`, "", 1))
}

func TestCreateE911IsNotRepeatedBlindly(t *testing.T) {
	c, api := newScriptedAPI(t, map[string][]reply{"POST /v2/e911s": {{503, ""}, {201, testE911Answer}}})
	_, err := c.CreateE911(t.Context(), testAddress)
	if !errors.Is(err, ErrOutcomeUnknown) || len(api.requests()) != 1 {
		t.Fatalf("%v after %d requests", err, len(api.requests()))
	}
	// A throttled creation was not acted on: it is sent again.
	c, api = newScriptedAPI(t, map[string][]reply{"POST /v2/e911s": {{429, ""}, {201, testE911Answer}}})
	if _, err := c.CreateE911(t.Context(), testAddress); err != nil || len(api.requests()) != 2 {
		t.Fatalf("%v after %d requests", err, len(api.requests()))
	}
}

func TestE911Refusals(t *testing.T) {
	fields := `{"errors": [{"status": 422, "title": "Unprocessable Entity", "detail": {"state": "must be two upper-case letters", "zip": "must be 5 digits"}}]}`
	geocode := `{"errors": [{"status": 400, "detail": "Could not geocode this address."}]}`
	c, _ := newScriptedAPI(t, map[string][]reply{
		"POST /v2/e911s":          {{422, fields}, {400, geocode}},
		"POST /v2/e911s/validate": {{422, fields}, {400, geocode}, {204, ""}},
		"PATCH " + testE911Path:   {{422, fields}, {400, geocode}},
	})
	update := testAddress
	update.ID = "21301"
	calls := map[string]func() error{
		"create":   func() error { _, err := c.CreateE911(t.Context(), testAddress); return err },
		"validate": func() error { return c.ValidateE911(t.Context(), testAddress) },
		"update":   func() error { _, err := c.UpdateE911(t.Context(), update); return err },
	}
	for name, call := range calls {
		err := call()
		var apiErr *APIError
		if !errors.As(err, &apiErr) || errors.Is(err, ErrE911NotGeocoded) || !reflect.DeepEqual(apiErr.Errors[0].Fields,
			map[string]string{"state": "must be two upper-case letters", "zip": "must be 5 digits"}) {
			t.Errorf("%s: fields: %v", name, err)
		}
		if err = call(); !errors.Is(err, ErrE911NotGeocoded) || !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
			t.Errorf("%s: geocoding: %v", name, err)
		}
	}
	if err := calls["validate"](); err != nil {
		t.Errorf("valid address: %v", err)
	}
}

func TestGetUpdateDeleteE911(t *testing.T) {
	cleared := strings.ReplaceAll(strings.ReplaceAll(testE911Answer, `"Suite"`, "null"), `"300"`, "null")
	c, api := newScriptedAPI(t, map[string][]reply{
		"GET " + testE911Path:    {{200, testE911Answer}, {404, `{"errors": [{"status": 404, "detail": "Could not find that resource on your account."}]}`}},
		"PATCH " + testE911Path:  {{200, cleared}, {404, notFoundBody}},
		"DELETE " + testE911Path: {{403, `{"errors": [{"status": 403, "detail": "This address is assigned to one or more numbers."}]}`}, {204, ""}, {404, notFoundBody}},
	})
	want := testAddress
	want.ID = "21301"
	got, err := c.GetE911(t.Context(), "21301")
	if err != nil || got != want {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err = c.GetE911(t.Context(), "21301"); !errors.Is(err, ErrE911NotFound) || !strings.Contains(err.Error(), "Could not find that resource") {
		t.Errorf("get missing: %v", err)
	}

	update := got
	update.Label, update.AddressType, update.AddressTypeNumber = "Main", "", ""
	got, err = c.UpdateE911(t.Context(), update)
	if err != nil || got.AddressType != "" || got.AddressTypeNumber != "" || got.ID != "21301" {
		t.Fatalf("update: %+v %v", got, err)
	}
	// Every attribute is sent; the unset address type as null, to clear it.
	assertJSONBody(t, api.requests()[2], strings.NewReplacer(`"HQ"`, `"Main"`, `"Suite"`, "null", `"300"`, "null").Replace(testE911Envelope))
	if _, err = c.UpdateE911(t.Context(), update); !errors.Is(err, ErrE911NotFound) {
		t.Errorf("update missing: %v", err)
	}

	if err = c.DeleteE911(t.Context(), "21301"); !errors.Is(err, ErrE911InUse) || !strings.Contains(err.Error(), "assigned to one or more numbers") {
		t.Errorf("delete in use: %v", err)
	}
	if err = c.DeleteE911(t.Context(), "21301"); err != nil {
		t.Errorf("delete: %v", err)
	}
	if err = c.DeleteE911(t.Context(), "21301"); !errors.Is(err, ErrE911NotFound) {
		t.Errorf("delete missing: %v", err)
	}
	assertNoBody(t, api.requests()[4:])
}

func TestAttachAndDetachE911(t *testing.T) {
	relationship := "/v2/numbers/16502390214/relationships/e911s"
	c, api := newScriptedAPI(t, map[string][]reply{
		"PATCH " + relationship + "/21301": {{503, ""}, {204, ""}},
		"DELETE " + relationship:           {{204, ""}},
	})
	// Attaching again charges once: it is retried like a read.
	if err := c.AttachE911(t.Context(), "16502390214", "21301"); err != nil {
		t.Fatal(err)
	}
	if err := c.DetachE911(t.Context(), "16502390214"); err != nil {
		t.Fatal(err)
	}
	requests := api.requests()
	if len(requests) != 3 || requests[1].method != http.MethodPatch || requests[2].method != http.MethodDelete {
		t.Fatalf("requests %+v", requests)
	}
	assertNoBody(t, requests)
}

func TestE911IDsChecked(t *testing.T) {
	c, api := newScriptedAPI(t, nil)
	for _, id := range []string{"", "../numbers", "21301/x", "abc", "1 2"} {
		update := testAddress
		update.ID = id
		_, getErr := c.GetE911(t.Context(), id)
		_, updateErr := c.UpdateE911(t.Context(), update)
		for _, err := range []error{getErr, updateErr, c.DeleteE911(t.Context(), id), c.AttachE911(t.Context(), "16502390214", id),
			c.AttachE911(t.Context(), id, "21301"), c.DetachE911(t.Context(), id)} {
			if err == nil {
				t.Errorf("id %q: %v", id, err)
			}
		}
	}
	if n := len(api.requests()); n != 0 {
		t.Fatalf("%d requests sent for invalid ids", n)
	}
}

func TestMalformedE911Answers(t *testing.T) {
	c, _ := newScriptedAPI(t, map[string][]reply{
		"GET " + testE911Path: {{200, `{"data": {"type": "e911", "attributes": {}}}`}, {200, `{"data": null}`}, {200, `{"data": {"id": "1", "attributes": {"zip": 98101}}}`}},
	})
	for range 3 {
		if _, err := c.GetE911(t.Context(), "21301"); !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%v", err)
		}
	}
}
