package simulator

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
)

func TestNumberCallbacks(t *testing.T) {
	h := newHarness(t, Options{Inventory: Generate(1, Size{AreaCodes: 3, ExchangesPerAreaCode: 1, NumbersPerExchange: 2})})
	number := h.sim.Inventory().Numbers[0].Number
	if err := h.sim.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	path := PathOwnedNumbers + "/" + number + "/relationships/"
	post := func(callbackType, body string) (*http.Response, []byte) {
		return h.send(http.MethodPost, path+callbackType, contentTypeJSONAPI, body)
	}

	// Nested and flat bodies are both taken.
	if resp, body := post("sms_callback", `{"data": {"attributes": {"callback_url": "https://example.com/sms"}}}`); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("nested: %d %s", resp.StatusCode, body)
	}
	if resp, body := post("mms_dlr_callback", `{"callback_url": "http://example.com/dlr"}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("flat: %d %s", resp.StatusCode, body)
	}
	want := map[string]string{"sms_callback": "https://example.com/sms", "mms_dlr_callback": "http://example.com/dlr"}
	if got := h.sim.NumberCallbacks(number); !maps.Equal(got, want) {
		t.Fatalf("callbacks %v, want %v", got, want)
	}
	// An empty or null URL clears it.
	post("sms_callback", `{"data": {"type": "number", "attributes": {"callback_url": ""}}}`)
	post("mms_dlr_callback", `{"callback_url": null}`)
	if got := h.sim.NumberCallbacks(number); got != nil {
		t.Fatalf("cleared callbacks %v", got)
	}

	for _, tc := range []struct{ name, callbackType, body, field string }{
		{"missing", "sms_callback", `{"data": {"attributes": {}}}`, "callback_url"},
		{"not_a_string", "sms_callback", `{"callback_url": 5}`, "callback_url"},
		{"relative", "mms_callback", `{"callback_url": "/sms"}`, "callback_url"},
		{"ftp", "mms_callback", `{"callback_url": "ftp://example.com/"}`, "callback_url"},
		{"too_long", "mms_callback", `{"callback_url": "https://example.com/` + strings.Repeat("a", 2048) + `"}`, "callback_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(tc.callbackType, tc.body)
			if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(body, []byte(`"`+tc.field+`"`)) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
	if resp, body := post("sms_callback", `not json`); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("not JSON: %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.send(http.MethodPost, path+"sms_callback", "text/plain", `{"callback_url": "https://example.com/"}`); resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("text/plain: %d", resp.StatusCode)
	}
	if resp, _ := post("voice_callback", `{"callback_url": "https://example.com/"}`); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown type: %d", resp.StatusCode)
	}
	if resp, _ := h.send(http.MethodGet, path+"sms_callback", "", ""); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Fatalf("GET: %d %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	other := h.sim.Inventory().Numbers[1].Number
	resp, body := h.send(http.MethodPost, PathOwnedNumbers+"/"+other+"/relationships/sms_callback", contentTypeJSONAPI, `{"callback_url": "https://example.com/"}`)
	if resp.StatusCode != http.StatusNotFound || !bytes.Contains(body, []byte(detailNotOnAccount)) {
		t.Fatalf("not owned: %d %s", resp.StatusCode, body)
	}

	// A release takes the number's callbacks with it.
	post("sms_callback", `{"callback_url": "https://example.com/sms"}`)
	if resp, _ := h.send(http.MethodDelete, PathOwnedNumbers+"/"+number, "", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("release: %d", resp.StatusCode)
	}
	if got := h.sim.NumberCallbacks(number); got != nil {
		t.Fatalf("released number's callbacks %v", got)
	}
}

func TestAccountCallbacks(t *testing.T) {
	h := newHarness(t, Options{Inventory: &Inventory{}})
	read := func(callbackType string) map[string]any {
		t.Helper()
		resp, body := h.get(PathMessages + "/" + callbackType)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET: %d %s", resp.StatusCode, body)
		}
		var doc struct {
			Data struct {
				Type       string         `json:"type"`
				Attributes map[string]any `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &doc); err != nil || doc.Data.Type != "callback" {
			t.Fatalf("GET: %v %s", err, body)
		}
		return doc.Data.Attributes
	}
	if got := read("sms_callback"); got["callback_url"] != nil || got["product"] != "sms" || got["api_version"] != "v2.1" {
		t.Fatalf("unset: %v", got)
	}
	put := func(callbackType, body string) int {
		resp, _ := h.send(http.MethodPut, PathMessages+"/"+callbackType, contentTypeJSONAPI, body)
		return resp.StatusCode
	}
	if status := put("mms_dlr_callback", `{"data": {"attributes": {"callback_url": "https://example.com/dlr"}}}`); status != http.StatusNoContent {
		t.Fatalf("PUT: %d", status)
	}
	if got := read("mms_dlr_callback"); got["callback_url"] != "https://example.com/dlr" || got["product"] != "mms_dlr" {
		t.Fatalf("set: %v", got)
	}
	if status := put("mms_dlr_callback", `{"callback_url": ""}`); status != http.StatusNoContent {
		t.Fatalf("clear: %d", status)
	}
	if got := h.sim.AccountCallbacks(); got != nil {
		t.Fatalf("cleared: %v", got)
	}
	if status := put("sms_callback", `{"callback_url": "mailto:someone@example.com"}`); status != http.StatusUnprocessableEntity {
		t.Fatalf("mailto: %d", status)
	}
	if resp, _ := h.get(PathMessages + "/voice_callback"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown type: %d", resp.StatusCode)
	}
	if resp, _ := h.send(http.MethodDelete, PathMessages+"/sms_callback", "", ""); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE: %d", resp.StatusCode)
	}
	if resp, _ := h.send(http.MethodGet, "/v2.2/messages/sms_callback", "", ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("other root: %d", resp.StatusCode)
	}
}

func TestCallbacksSavedAndLoaded(t *testing.T) {
	inv := Generate(1, Size{AreaCodes: 1, ExchangesPerAreaCode: 1, NumbersPerExchange: 1})
	number := inv.Numbers[0].Number
	a := New(Options{AccessKey: testAccessKey, SecretKey: testSecretKey, Inventory: inv})
	if err := a.AddOwned(number); err != nil {
		t.Fatal(err)
	}
	a.SetAccountCallbackOutside("sms_callback", "https://example.com/account")
	a.numberCallbacks = map[string]callbacks{number: {"mms_callback": "https://example.com/number"}}
	var saved bytes.Buffer
	if err := a.SaveAccount(&saved); err != nil {
		t.Fatal(err)
	}
	b := New(Options{AccessKey: testAccessKey, SecretKey: testSecretKey, Inventory: inv})
	if err := b.LoadAccount(&saved); err != nil {
		t.Fatal(err)
	}
	if got := b.AccountCallbacks(); !maps.Equal(got, map[string]string{"sms_callback": "https://example.com/account"}) {
		t.Errorf("account callbacks %v", got)
	}
	if got := b.NumberCallbacks(number); !maps.Equal(got, map[string]string{"mms_callback": "https://example.com/number"}) {
		t.Errorf("number callbacks %v", got)
	}
}
