package flowroute

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestSetNumberCallback(t *testing.T) {
	const path = "/v2/numbers/16502390214/relationships/"
	c, api := newScriptedAPI(t, map[string][]reply{
		"POST " + path + "sms_callback":     {{204, ""}, {204, ""}},
		"POST " + path + "mms_dlr_callback": {{404, notFoundBody}},
		"POST " + path + "mms_callback":     {{503, ""}, {204, ""}},
	})
	if err := c.SetNumberCallback(t.Context(), "16502390214", CallbackSMS, "https://example.com/sms"); err != nil {
		t.Fatal(err)
	}
	assertJSONBody(t, api.requests()[0], `{"data": {"attributes": {"callback_url": "https://example.com/sms"}}}`)
	// Clearing sends an empty URL.
	if err := c.SetNumberCallback(t.Context(), "16502390214", CallbackSMS, ""); err != nil {
		t.Fatal(err)
	}
	assertJSONBody(t, api.requests()[1], `{"data": {"attributes": {"callback_url": ""}}}`)
	// Setting a URL may be repeated: a 503 is retried.
	if err := c.SetNumberCallback(t.Context(), "16502390214", CallbackMMS, "https://example.com/mms"); err != nil {
		t.Fatal(err)
	}
	if n := len(api.requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	err := c.SetNumberCallback(t.Context(), "16502390214", CallbackMMSDLR, "https://example.com/dlr")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("404: %v", err)
	}

	for _, tc := range []struct {
		number string
		t      CallbackType
		want   string
	}{
		{"1650/../x", CallbackSMS, "number must be digits"},
		{"16502390214", "voice_callback", `callback type must be one of sms_callback, mms_callback, sms_dlr_callback and mms_dlr_callback, got "voice_callback"`},
	} {
		if err := c.SetNumberCallback(t.Context(), tc.number, tc.t, "https://example.com/"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetNumberCallback(%q, %q): %v", tc.number, tc.t, err)
		}
	}
	if n := len(api.requests()); n != 5 {
		t.Errorf("%d requests, want 5: refused arguments send nothing", n)
	}
}

func TestAccountCallback(t *testing.T) {
	const path = "/v2.1/messages/sms_dlr_callback"
	c, api := newScriptedAPI(t, map[string][]reply{
		"PUT " + path: {{204, ""}},
		"GET " + path: {
			{200, `{"data": {"type": "callback", "attributes": {"api_version": "v2.1", "callback_url": "https://example.com/dlr", "product": "sms"}}}`},
			{200, `{"data": {"type": "callback", "attributes": {"api_version": "v2.1", "callback_url": null, "product": "sms"}}}`},
			{404, notFoundBody},
			{200, `{"errors": []}`},
		},
	})
	if err := c.SetAccountCallback(t.Context(), CallbackSMSDLR, "https://example.com/dlr"); err != nil {
		t.Fatal(err)
	}
	sent := api.requests()[0]
	if sent.method != http.MethodPut || sent.path != path {
		t.Errorf("sent %s %s", sent.method, sent.path)
	}
	assertJSONBody(t, sent, `{"data": {"attributes": {"callback_url": "https://example.com/dlr"}}}`)

	if got, err := c.GetAccountCallback(t.Context(), CallbackSMSDLR); got != "https://example.com/dlr" || err != nil {
		t.Errorf("get: %q %v", got, err)
	}
	for _, what := range []string{"null", "404"} {
		if got, err := c.GetAccountCallback(t.Context(), CallbackSMSDLR); got != "" || !errors.Is(err, ErrCallbackNotFound) {
			t.Errorf("get %s: %q %v", what, got, err)
		}
	}
	if _, err := c.GetAccountCallback(t.Context(), CallbackSMSDLR); !errors.Is(err, ErrMalformedResponse) {
		t.Errorf("get without data: %v", err)
	}
	if err := c.SetAccountCallback(t.Context(), "sms", "https://example.com/"); err == nil {
		t.Error("an unknown type was sent")
	}
}

// The account's callbacks live under /v2.1 beside the base URL's /v2, or
// under the base URL when it does not end in /v2.
func TestMessagesEndpoint(t *testing.T) {
	for base, want := range map[string]string{
		"https://api.flowroute.com/v2":    "https://api.flowroute.com/v2.1/messages/sms_callback",
		"https://proxy.example/flowroute": "https://proxy.example/flowroute/v2.1/messages/sms_callback",
		"http://127.0.0.1:8080/v2/":       "http://127.0.0.1:8080/v2.1/messages/sms_callback",
	} {
		c := newTestClient(t, base)
		if got := c.messagesEndpoint(CallbackSMS).String(); got != want {
			t.Errorf("base %s: %s, want %s", base, got, want)
		}
	}
}
