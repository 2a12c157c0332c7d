package simulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

const (
	testE911Body = `{"data": {"type": "e911", "attributes": {"label": "HQ", "first_name": "Chris", "last_name": "Smith",
		"street_number": "1218", "street_name": "3rd Ave", "city": "Seattle", "state": "WA", "country": "US",
		"zip": "98101", "address_type": "Suite", "address_type_number": "300"}}}`
	testE911Answer = `{"data": {"type": "e911", "id": "21301", "attributes": {"label": "HQ", "first_name": "Chris",
		"last_name": "Smith", "street_number": "1218", "street_name": "3rd Ave", "city": "Seattle", "state": "WA",
		"country": "US", "zip": "98101", "address_type": "Suite", "address_type_number": "300"}}}`
)

// e911Body is the test address with the attributes changed (a nil value
// leaves the attribute out).
func e911Body(changes map[string]any) string {
	var envelope struct {
		Data struct {
			Type       string         `json:"type"`
			Attributes map[string]any `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(testE911Body), &envelope); err != nil {
		panic(err)
	}
	for name, value := range changes {
		if value == nil {
			delete(envelope.Data.Attributes, name)
			continue
		}
		envelope.Data.Attributes[name] = value
	}
	body, _ := json.Marshal(envelope)
	return string(body)
}

// fieldDetail checks a 422 whose detail names fields in Flowroute's
// documented shape, one message each, and returns them.
func fieldDetail(t *testing.T, resp *http.Response, body []byte) map[string]string {
	t.Helper()
	var answer struct {
		Errors []struct {
			Detail struct {
				Data struct {
					Attributes map[string][]string `json:"attributes"`
				} `json:"data"`
			} `json:"detail"`
			ID     string `json:"id"`
			Status int    `json:"status"`
			Title  string `json:"title"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || resp.StatusCode != http.StatusUnprocessableEntity ||
		len(answer.Errors) != 1 {
		t.Fatalf("want a 422 naming fields: %d %s", resp.StatusCode, body)
	}
	e := answer.Errors[0]
	if e.Status != 422 || e.Title != "Unprocessable Entity" || !uuidPattern.MatchString(e.ID) || len(e.Detail.Data.Attributes) == 0 {
		t.Fatalf("error object: %s", body)
	}
	fields := map[string]string{}
	for name, messages := range e.Detail.Data.Attributes {
		if len(messages) != 1 {
			t.Fatalf("field %s: messages %q, want one", name, messages)
		}
		fields[name] = messages[0]
	}
	return fields
}

func TestE911Lifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().Numbers[3].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}

	resp, body := h.send(http.MethodPost, PathValidateE911, "application/vnd.api+json", testE911Body)
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 || len(h.sim.E911Addresses()) != 0 {
		t.Fatalf("validate: %d %s", resp.StatusCode, body)
	}
	resp, body = h.send(http.MethodPost, PathE911s, "application/vnd.api+json", testE911Body)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Content-Type") != "application/vnd.api+json" {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	assertSameJSON(t, body, []byte(testE911Answer))
	_, body = h.get(PathE911s + "/21301")
	assertSameJSON(t, body, []byte(testE911Answer))
	want := E911Address{ID: "21301", Label: "HQ", FirstName: "Chris", LastName: "Smith", StreetNumber: "1218",
		StreetName: "3rd Ave", City: "Seattle", State: "WA", Country: "US", Zip: "98101", AddressType: "Suite",
		AddressTypeNumber: "300"}
	if got := h.sim.E911Addresses(); !slices.Equal(got, []E911Address{want}) {
		t.Fatalf("addresses %+v", got)
	}
	h.sim.E911Addresses()[0].Label = "changed"
	if h.sim.E911Addresses()[0].Label != "HQ" {
		t.Fatal("E911Addresses shares storage")
	}

	// A PATCH changes what it names; null clears an optional attribute.
	resp, body = h.send(http.MethodPatch, PathE911s+"/21301", "application/json",
		`{"data": {"type": "e911", "id": "21301", "attributes": {"label": "Main office", "address_type": null, "address_type_number": ""}}}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("update: %d %s", resp.StatusCode, body)
	}
	updated := strings.NewReplacer(`"HQ"`, `"Main office"`, `"Suite"`, "null", `"300"`, "null").Replace(testE911Answer)
	assertSameJSON(t, body, []byte(updated))
	_, body = h.get(PathE911s + "/21301")
	assertSameJSON(t, body, []byte(updated))

	// Attached to a number, the address shows on it and cannot be deleted.
	relationship := testNumberPath + number + "/relationships/e911s"
	if resp, body = h.send(http.MethodPatch, relationship+"/21301", "", ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("attach: %d %s", resp.StatusCode, body)
	}
	checkRelationship(t, h, number, "e911_address", `{"type": "e911", "id": "21301"}`)
	if o := h.sim.OwnedNumbers()[0]; o.E911AddressID != "21301" {
		t.Fatalf("owned %+v", o)
	}
	resp, body = h.send(http.MethodDelete, PathE911s+"/21301", "", "")
	if e := checkErrors(t, resp, body, http.StatusForbidden); e["detail"] != "This address is assigned to one or more numbers." {
		t.Fatalf("delete in use: %s", body)
	}

	if resp, body = h.send(http.MethodDelete, relationship, "", ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("detach: %d %s", resp.StatusCode, body)
	}
	checkRelationship(t, h, number, "e911_address", "null")
	if resp, body = h.send(http.MethodDelete, PathE911s+"/21301", "", ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		resp, body = h.send(method, PathE911s+"/21301", "application/json", testE911Body)
		checkNotOnAccount(t, resp, body)
	}
	resp, body = h.send(http.MethodPatch, relationship+"/21301", "", "")
	checkNotOnAccount(t, resp, body)

	// Ids go on from the last one, never reused.
	if resp, body = h.send(http.MethodPost, PathE911s, "application/json", testE911Body); !strings.Contains(string(body), `"id":"21302"`) {
		t.Fatalf("second create: %d %s", resp.StatusCode, body)
	}
}

// checkRelationship checks the number's relationship as GET shows it.
func checkRelationship(t *testing.T, h *harness, number, name, want string) {
	t.Helper()
	_, body := h.get(testNumberPath + number)
	var doc struct {
		Data struct {
			Relationships map[string]struct {
				Data json.RawMessage `json:"data"`
			} `json:"relationships"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, doc.Data.Relationships[name].Data, []byte(want))
}

func TestE911Validation(t *testing.T) {
	h := newHarness(t, Options{})
	for _, tc := range []struct {
		changes map[string]any
		want    map[string]string
	}{
		{map[string]any{"state": "wa", "zip": "9810"}, map[string]string{
			"state": "must be two upper-case letters", "zip": "must be a ZIP code of 5 digits, or ZIP+4"}},
		{map[string]any{"label": nil, "first_name": "", "city": "  "}, map[string]string{
			"label": "is required", "first_name": "is required", "city": "is required"}},
		{map[string]any{"country": "MX"}, map[string]string{"country": "must be US or CA"}},
		{map[string]any{"country": "CA"}, map[string]string{"zip": "must be a postal code such as K1A 0B1"}},
		{map[string]any{"address_type_number": nil}, map[string]string{"address_type_number": "is required with address_type"}},
		{map[string]any{"address_type": nil}, map[string]string{"address_type": "is required with address_type_number"}},
		{map[string]any{"street_number": 1218, "state": "Washington"}, map[string]string{
			"street_number": "must be a string", "state": "must be two upper-case letters"}},
	} {
		body := e911Body(tc.changes)
		for _, target := range []string{PathValidateE911, PathE911s} {
			resp, answer := h.send(http.MethodPost, target, "application/vnd.api+json", body)
			if got := fieldDetail(t, resp, answer); !maps.Equal(got, tc.want) {
				t.Fatalf("%s %v: detail %v, want %v", target, tc.changes, got, tc.want)
			}
		}
	}

	// Fields first, then the geocoding.
	for _, target := range []string{PathValidateE911, PathE911s} {
		resp, body := h.send(http.MethodPost, target, "application/json", e911Body(map[string]any{"zip": "00000"}))
		if e := checkErrors(t, resp, body, http.StatusBadRequest); e["detail"] != detailNotGeocoded {
			t.Fatalf("%s: %s", target, body)
		}
		resp, body = h.send(http.MethodPost, target, "application/json", e911Body(map[string]any{"zip": "00000", "state": "W"}))
		fieldDetail(t, resp, body)
	}
	// Canadian addresses take postal codes.
	if resp, body := h.send(http.MethodPost, PathValidateE911, "application/json",
		e911Body(map[string]any{"country": "CA", "state": "ON", "zip": "K1A 0B1"})); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("Canadian address: %d %s", resp.StatusCode, body)
	}

	for body, detail := range map[string]string{
		``:                                `the body must be {"data": {"type": "e911", "attributes": {...}}}`,
		`{"type": "e911", "label": "HQ"}`: `the body must be {"data": {"type": "e911", "attributes": {...}}}`,
		`{"data": {"type": "cnam"}}`:      `the body must be {"data": {"type": "e911", "attributes": {...}}}`,
		`{"data": {"type": "e911"}}`:      "data.attributes must be an object",
		`{"data": {"type": "e911", "attributes": []}}`: `the body must be {"data": {"type": "e911", "attributes": {...}}}`,
	} {
		resp, answer := h.send(http.MethodPost, PathE911s, "application/vnd.api+json", body)
		if e := checkErrors(t, resp, answer, http.StatusUnprocessableEntity); e["detail"] != detail {
			t.Fatalf("%s: detail %q, want %q", body, e["detail"], detail)
		}
	}
	resp, body := h.send(http.MethodPost, PathE911s, "text/plain", testE911Body)
	checkErrors(t, resp, body, http.StatusUnsupportedMediaType)
	if n := len(h.sim.E911Addresses()); n != 0 {
		t.Fatalf("refused addresses kept: %d", n)
	}

	// A refused PATCH leaves the address as it was.
	h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	resp, body = h.send(http.MethodPatch, PathE911s+"/21301", "application/json",
		`{"data": {"type": "e911", "attributes": {"label": "Other", "country": "FR"}}}`)
	if got := fieldDetail(t, resp, body); !maps.Equal(got, map[string]string{"country": "must be US or CA"}) {
		t.Fatalf("detail %v", got)
	}
	resp, body = h.send(http.MethodPatch, PathE911s+"/21301", "application/json",
		`{"data": {"type": "e911", "attributes": {"zip": "00000"}}}`)
	checkErrors(t, resp, body, http.StatusBadRequest)
	if a := h.sim.E911Addresses()[0]; a.Label != "HQ" || a.Zip != "98101" {
		t.Fatalf("refused change applied: %+v", a)
	}
}

func TestE911List(t *testing.T) {
	h := newHarness(t, Options{})
	p := h.page(PathE911s)
	if len(p.Data) != 0 || p.Links.Next != nil || p.Links.Self != h.ts.URL+"/v2/e911s?limit=10&offset=0" {
		t.Fatalf("no addresses: %+v", p)
	}
	var ids []string
	for i := range 25 {
		city, state := "Seattle", "WA"
		if i%5 == 0 {
			city, state = "Portland", "OR"
		}
		body := e911Body(map[string]any{"label": fmt.Sprintf("Site %d", i), "city": city, "state": state})
		if resp, answer := h.send(http.MethodPost, PathE911s, "application/json", body); resp.StatusCode != http.StatusCreated {
			t.Fatalf("%d %s", resp.StatusCode, answer)
		}
		ids = append(ids, fmt.Sprint(21301+i))
	}
	for _, limit := range []int{1, 7, 25, 2000} {
		got, pages := h.walk(fmt.Sprintf("%s?limit=%d", PathE911s, limit))
		if !slices.Equal(got, ids) || len(pages) != (len(ids)+limit-1)/limit {
			t.Fatalf("limit %d: %v in %d pages", limit, got, len(pages))
		}
	}
	first := h.page(PathE911s + "?limit=1")
	if a := first.Data[0].Attributes; first.Data[0].Type != "e911" || a["label"] != "Site 0" || a["address_type"] != "Suite" {
		t.Fatalf("item %+v", first.Data[0])
	}
	for query, want := range map[string][]string{
		"city=portland":                  {"21301", "21306", "21311", "21316", "21321"},
		"state=OR&city=Seattle":          nil,
		"label=site+12":                  {"21313"},
		"street_name=3RD+AVE&label=":     ids,
		"street_name=3rd":                nil,
		"state=wa&label=Site+5":          nil,
		"state=wa&label=Site+6&limit=50": {"21307"},
	} {
		if got, _ := h.walk(PathE911s + "?" + query); !slices.Equal(got, want) {
			t.Fatalf("%s: %v, want %v", query, got, want)
		}
	}
	if p := h.page(PathE911s + "?limit=2&city=Portland"); p.Links.Next == nil || !strings.Contains(*p.Links.Next, "city=Portland&limit=2&offset=2") {
		t.Fatalf("filters not echoed: %+v", p.Links)
	}
	if got := h.errorAnswer(PathE911s+"?limit=2001", http.StatusUnprocessableEntity); got != "limit must be between 1 and 2000" {
		t.Fatalf("limit 2001: %q", got)
	}
}

func TestE911Methods(t *testing.T) {
	h := newHarness(t, Options{})
	number := h.sim.Inventory().Numbers[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	relationship := testNumberPath + number + "/relationships/e911s"
	for target, allow := range map[string]string{
		PathE911s:            "GET, POST",
		PathValidateE911:     "POST",
		PathE911s + "/21301": "GET, PATCH, DELETE",
		relationship:         "DELETE",
		relationship + "/1":  "PATCH",
	} {
		resp, body := h.send(http.MethodPut, target, "", "")
		checkErrors(t, resp, body, http.StatusMethodNotAllowed)
		if resp.Header.Get("Allow") != allow {
			t.Fatalf("%s: Allow %q, want %q", target, resp.Header.Get("Allow"), allow)
		}
	}
	// Unknown records and numbers not on the account.
	for _, target := range []string{
		relationship + "/21302", testNumberPath + "19995550100/relationships/e911s/21301",
		testNumberPath + "19995550100/relationships/e911s",
	} {
		resp, body := h.send(http.MethodPatch, target, "", "")
		if strings.HasSuffix(target, "e911s") {
			resp, body = h.send(http.MethodDelete, target, "", "")
		}
		checkNotOnAccount(t, resp, body)
	}
	for _, target := range []string{PathE911s + "/abc", PathE911s + "/21301/x", relationship + "/x", PathE911s + "/"} {
		resp, body := h.get(target)
		if e := checkErrors(t, resp, body, http.StatusNotFound); e["detail"] != detailNotFound {
			t.Fatalf("%s: %s", target, body)
		}
	}
}

func TestDeleteE911Outside(t *testing.T) {
	h := newHarness(t, Options{})
	numbers := h.sim.Inventory().SearchNumbers(NumberFilter{})[:2]
	if err := h.sim.AddOwned(numbers[0].Number, numbers[1].Number); err != nil {
		t.Fatal(err)
	}
	h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	for _, n := range numbers {
		h.send(http.MethodPatch, testNumberPath+n.Number+"/relationships/e911s/21301", "", "")
	}
	if err := h.sim.DeleteE911Outside("21301"); err != nil {
		t.Fatal(err)
	}
	for _, o := range h.sim.OwnedNumbers() {
		if o.E911AddressID != "" {
			t.Fatalf("still attached: %+v", o)
		}
	}
	if len(h.sim.E911Addresses()) != 0 {
		t.Fatal("not deleted")
	}
	if err := h.sim.DeleteE911Outside("21301"); err == nil {
		t.Fatal("deleted an address twice")
	}
}

func TestFaultsOnE911Paths(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.AddFault(Fault{Method: http.MethodPost, Path: PathE911s, Status: http.StatusServiceUnavailable, Times: 1})
	resp, body := h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	checkErrors(t, resp, body, http.StatusServiceUnavailable)
	if len(h.sim.E911Addresses()) != 0 {
		t.Fatal("a refused creation kept the address")
	}
	// Acted on, then the answer is an error: the address exists all the same.
	h.sim.AddFault(Fault{Method: http.MethodPost, Path: PathE911s, Status: http.StatusBadGateway, ActFirst: true, Times: 1})
	resp, body = h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	checkErrors(t, resp, body, http.StatusBadGateway)
	if got := h.sim.E911Addresses(); len(got) != 1 || got[0].ID != "21301" {
		t.Fatalf("addresses %+v", got)
	}
	h.sim.AddFault(Fault{PathPrefix: PathE911s + "/", Body: BodyTruncated, Times: 1})
	if _, body = h.get(PathE911s + "/21301"); json.Valid(body) {
		t.Fatalf("body not truncated: %s", body)
	}
	h.sim.AddFault(Fault{Method: http.MethodGet, Path: PathE911s, ExtraItems: 1, Times: 1})
	h.send(http.MethodPost, PathE911s, "application/json", testE911Body)
	if p := h.page(PathE911s + "?limit=1"); len(p.Data) != 2 {
		t.Fatalf("extra items: %v", pageIDs(p))
	}
}
