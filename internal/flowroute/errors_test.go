package flowroute

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// fetchError answers one request with status and body and returns the error.
func fetchError(t *testing.T, status int, body string) error {
	t.Helper()
	srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
	got, err := newTestClient(t, srv.URL+"/v2", WithMaxRetries(0)).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if err == nil {
		t.Fatalf("status %d: no error", status)
	}
	if got != nil {
		t.Errorf("status %d: partial data %v returned with the error", status, got)
	}
	return err
}

func asAPIError(t *testing.T, err error) *APIError {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return apiErr
}

func TestSeed422(t *testing.T) {
	apiErr := asAPIError(t, fetchError(t, 422, seed422Body))
	want := &APIError{
		StatusCode: 422,
		Method:     "GET",
		Path:       "/v2/numbers/available/areacodes",
		Errors: []ErrorObject{{
			Status: 422,
			Detail: "could not convert string to float: *",
			ID:     "5c4c0ea0-4ef3-434a-b6c5-31861954c127",
		}},
	}
	if !reflect.DeepEqual(apiErr, want) {
		t.Errorf("got %+v\nwant %+v", apiErr, want)
	}
	const msg = "GET /v2/numbers/available/areacodes: 422 Unprocessable Entity: could not convert string to float: * (error id 5c4c0ea0-4ef3-434a-b6c5-31861954c127)"
	if apiErr.Error() != msg {
		t.Errorf("Error() = %q\nwant      %q", apiErr.Error(), msg)
	}
}

func TestDocumented403(t *testing.T) {
	apiErr := asAPIError(t, fetchError(t, 403, documented403))
	want := []ErrorObject{{Status: 403, Title: "ActionNotAuthorizedError"}}
	if !reflect.DeepEqual(apiErr.Errors, want) {
		t.Errorf("Errors = %+v, want %+v", apiErr.Errors, want)
	}
	const msg = "GET /v2/numbers/available/areacodes: 403 Forbidden: ActionNotAuthorizedError (check the access key and secret key)"
	if apiErr.Error() != msg {
		t.Errorf("Error() = %q", apiErr.Error())
	}
}

func TestDocumented401(t *testing.T) {
	err := fetchError(t, 401, `{"errors": [{"detail": "Authentication failed.", "status": 401, "title": "Unauthorized"}]}`)
	const msg = "GET /v2/numbers/available/areacodes: 401 Unauthorized: Authentication failed. (check the access key and secret key)"
	if err.Error() != msg {
		t.Errorf("Error() = %q", err)
	}
}

func TestErrorEntries(t *testing.T) {
	apiErr := asAPIError(t, fetchError(t, 400, `{"errors": [
		{"status": "400", "title": "Bad Request", "detail": "limit too large"},
		{"title": "Other", "detail": "second\nline\u001b[31m red", "id": "abc", "unknown": [1]},
		{},
		{"status": 409, "title": "Conflict"}]}`))
	want := []ErrorObject{
		{Status: 400, Title: "Bad Request", Detail: "limit too large"},
		{Title: "Other", Detail: "second line[31m red", ID: "abc"},
		{},
		{Status: 409, Title: "Conflict"},
	}
	if !reflect.DeepEqual(apiErr.Errors, want) {
		t.Errorf("Errors = %+v\nwant %+v", apiErr.Errors, want)
	}
	const msg = "GET /v2/numbers/available/areacodes: 400 Bad Request: limit too large; Other: second line[31m red (error id abc); status 409: Conflict"
	if apiErr.Error() != msg {
		t.Errorf("Error() = %q", apiErr.Error())
	}
}

func TestNonJSONErrorBodies(t *testing.T) {
	html := "<html>\r\n<head><title>502 Bad Gateway</title></head>\n<body>\x1b[2J" + strings.Repeat("<p>nginx</p>\t", 100) + "</body></html>"
	cases := map[string]struct {
		status  int
		body    string
		excerpt string // prefix
	}{
		"html":            {502, html, "<html> <head><title>502 Bad Gateway</title></head> <body>[2J<p>nginx</p> <p>"},
		"empty":           {504, "", ""},
		"plain text":      {404, "404 page not found\n", "404 page not found"},
		"empty errors":    {400, `{"errors": []}`, `{"errors": []}`},
		"wrong shape":     {400, `{"errors": {"detail": "x"}}`, `{"errors": {"detail": "x"}}`},
		"truncated JSON":  {422, seed422Body[:40], seed422Body[:40]},
		"invalid UTF-8":   {500, "bad \xff\xfe bytes", "bad bytes"},
		"only whitespace": {500, " \n\t ", ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			apiErr := asAPIError(t, fetchError(t, tc.status, tc.body))
			if apiErr.StatusCode != tc.status || len(apiErr.Errors) != 0 {
				t.Errorf("got %+v", apiErr)
			}
			if !strings.HasPrefix(apiErr.Excerpt, tc.excerpt) || (tc.excerpt == "") != (apiErr.Excerpt == "") {
				t.Errorf("excerpt %q, want it to start with %q", apiErr.Excerpt, tc.excerpt)
			}
			if n := len([]rune(apiErr.Excerpt)); n > 203 {
				t.Errorf("excerpt has %d runes", n)
			}
			msg := apiErr.Error()
			for _, r := range msg {
				if !unicode.IsPrint(r) {
					t.Errorf("message %q holds %U", msg, r)
				}
			}
			if !strings.HasPrefix(msg, "GET /v2/numbers/available/areacodes: ") {
				t.Errorf("message %q", msg)
			}
			if tc.body == "" && !strings.HasSuffix(msg, "(empty body)") {
				t.Errorf("message %q does not say the body was empty", msg)
			}
		})
	}
}

func TestMalformedSuccessBodies(t *testing.T) {
	for name, body := range map[string]string{
		"truncated":       seed200Body[:len(seed200Body)/2],
		"empty":           "",
		"html":            "<html>OK</html>",
		"no data":         `{"links": {}}`,
		"null data":       `{"data": null}`,
		"data not a list": `{"data": {"id": "201"}}`,
		"missing id":      `{"data": [{"id": "201"}, {"type": "areacode"}]}`,
		"null id":         `{"data": [{"id": null}]}`,
		"empty id":        `{"data": [{"id": ""}]}`,
		"boolean id":      `{"data": [{"id": true}]}`,
		"next not string": `{"data": [{"id": "201"}], "links": {"next": 3}}`,
		"trailing junk":   seed200Body + "}",
	} {
		t.Run(name, func(t *testing.T) {
			err := fetchError(t, 200, body)
			if !errors.Is(err, ErrMalformedResponse) || !strings.Contains(err.Error(), "GET /v2/numbers/available/areacodes: malformed response") {
				t.Errorf("error %q", err)
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"data": [], "pad": "`))
		_, _ = w.Write([]byte(strings.Repeat("x", maxBodyBytes)))
		_, _ = w.Write([]byte(`"}`))
	})
	_, err := newTestClient(t, srv.URL).ListAvailableAreaCodes(t.Context(), AreaCodesQuery{Window: 1})
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("error %v, want a size limit error", err)
	}
}

func TestLenientErrorFields(t *testing.T) {
	for body, want := range map[string][]ErrorObject{
		`{"errors":[{"status":422,"detail":"bad limit","id":12345}]}`: {{Status: 422, Detail: "bad limit", ID: "12345"}},
		`{"errors":[{"title":{"a":1},"detail":["x"],"id":true},{"title":"T","detail":7.5,"id":null}]}`: {
			{Detail: `["x"]`}, {Title: "T", Detail: "7.5"},
		},
	} {
		apiErr := asAPIError(t, fetchError(t, 422, body))
		if !reflect.DeepEqual(apiErr.Errors, want) || apiErr.Excerpt != "" {
			t.Errorf("%s: errors %+v and excerpt %q, want %+v", body, apiErr.Errors, apiErr.Excerpt, want)
		}
	}
}

// Flowroute's documented shape nests the fields in a JSON:API envelope; a
// field is the innermost key of its messages, however deep.
func TestNestedFieldErrors(t *testing.T) {
	for body, want := range map[string]map[string]string{
		`{"errors": [{"detail": {"data": {"attributes": {"zip": ["ZIP code must be at least 4 and at most 7 digits long"]}}}, "id": "e1", "status": 422}]}`: {
			"zip": "ZIP code must be at least 4 and at most 7 digits long",
		},
		`{"errors": [{"status": 422, "detail": {"data": {"attributes": {"zip": ["too short", "not digits"], "state": "unknown"}, "meta": {}}}}]}`: {
			"state": "unknown", "zip": "too short, not digits",
		},
		`{"errors": [{"status": 422, "detail": {"address": {"unit": [{"address_type_number": ["is required"]}], "city": [7]}}}]}`: {
			"address_type_number": "is required", "city": "7",
		},
		`{"errors": [{"status": 422, "detail": {"a": {"zip": "first"}, "b": {"zip": ["second"]}, "c": null}}]}`: {
			"zip": "first, second",
		},
	} {
		apiErr := asAPIError(t, fetchError(t, 422, body))
		if got := apiErr.Errors[0].Fields; !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nFields %v, want %v", body, got, want)
		}
		if !strings.Contains(apiErr.Error(), "zip: ") && want["zip"] != "" {
			t.Errorf("%s: message %q names no field", body, apiErr.Error())
		}
	}
	detail := asAPIError(t, fetchError(t, 422, `{"errors": [{"status": 422,
		"detail": {"data": {"attributes": {"zip": ["must be 5 digits"], "state": ["must be two upper-case letters"]}}}}]}`)).Errors[0].Detail
	if want := "state: must be two upper-case letters; zip: must be 5 digits"; detail != want {
		t.Errorf("Detail %q, want %q", detail, want)
	}
}

func TestItemIDErrorIsPrintable(t *testing.T) {
	_, _, err := decodeAreaCodesPage([]byte("{\"data\":[{\"id\":[\"\u202e\x7f\u200f" + strings.Repeat("x", 40) + "\"]}]}"))
	if err == nil {
		t.Fatal("an array id was accepted")
	}
	for _, r := range err.Error() {
		if !unicode.IsPrint(r) {
			t.Errorf("error %q holds %U", err, r)
		}
	}
	if strings.Count(err.Error(), "x") > 20 {
		t.Errorf("error %q is not truncated", err)
	}
}

func TestFieldErrors(t *testing.T) {
	apiErr := asAPIError(t, fetchError(t, 422, `{"errors": [{"status": 422, "title": "Unprocessable Entity",
		"detail": {"zip": "must be 5 digits", "state": ["must be two upper-case letters", "is required"], "city": 5, "bad\nname": "x\u001b"}}]}`))
	want := ErrorObject{
		Status: 422, Title: "Unprocessable Entity",
		Detail: "bad name: x; city: 5; state: must be two upper-case letters, is required; zip: must be 5 digits",
		Fields: map[string]string{"bad name": "x", "city": "5", "state": "must be two upper-case letters, is required", "zip": "must be 5 digits"},
	}
	if !reflect.DeepEqual(apiErr.Errors, []ErrorObject{want}) {
		t.Errorf("Errors = %+v\nwant %+v", apiErr.Errors, want)
	}
	// A detail that names no field is shown as it came, never as nothing.
	for detail, want := range map[string]string{
		`{}`: `{}`, `[]`: `[]`, `true`: `true`, `{"data": {"attributes": {}}}`: `{"data": {"attributes": {}}}`,
		`{"data": {"attributes": {"zip": [null, true]}}}`: `{"data": {"attributes": {"zip": [null, true]}}}`,
		`["` + strings.Repeat("x", 300) + `"]`:            `["` + strings.Repeat("x", 198) + `...`,
		`null`:                                            "", `""`: "",
	} {
		apiErr := asAPIError(t, fetchError(t, 422, `{"errors": [{"status": 422, "detail": `+detail+`}]}`))
		if got := apiErr.Errors[0]; got.Detail != want || got.Fields != nil {
			t.Errorf("detail %s: Detail %q and Fields %v, want %q and none", detail, got.Detail, got.Fields, want)
		}
	}
	// A secret in a field's message is cut from the fields as from the text.
	apiErr = asAPIError(t, fetchError(t, 422, `{"errors":[{"detail":{"zip":"`+basicAuth[4:]+`"}}]}`))
	if run := secretRun(apiErr.Errors[0].Fields["zip"] + apiErr.Errors[0].Detail); run != "" {
		t.Errorf("fields %v show %q of a secret", apiErr.Errors[0].Fields, run)
	}
}
