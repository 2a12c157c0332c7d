package simulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Messaging callbacks: where Flowroute delivers a number's (or the whole
// account's) inbound SMS and MMS and the delivery reports of those sent.
//
// The API reference leaves open, and the simulator assumes:
//   - the body's nesting: {"data": {"attributes": {"callback_url": ...}}}, as
//     Flowroute's 2018 SDKs send it, and the flat {"callback_url": ...} of
//     its PHP and Ruby SDKs are both taken, with or without "data.type";
//   - clearing: no call is documented; an empty or null callback_url clears
//     the URL (the portal's "Clear Callback URL");
//   - any other callback_url must be an absolute http or https URL of at most
//     2,048 characters, else 422 naming callback_url; a missing one is 422;
//   - a number's callbacks need the number on the account (the documented
//     404 otherwise), not messaging turned on; they go when it is released;
//   - GET /v2.1/messages/{callback_type} of a type never set (or cleared)
//     answers 200 with "callback_url": null; an unknown callback_type is 404
//     on both roots; only PUT and GET are allowed on /v2.1 (405 otherwise),
//     only POST on a number's callback relationship.

// PathMessages is the root of the account-wide callbacks: PUT and GET
// PathMessages + "/" + callback_type.
const PathMessages = "/v2.1/messages"

// CallbackTypes are the callback types the API names.
var CallbackTypes = []string{"sms_callback", "mms_callback", "sms_dlr_callback", "mms_dlr_callback"}

const maxCallbackURL = 2048

// callbacks maps a callback type to its URL.
type callbacks map[string]string

// savedCallbacks are the callbacks in the account file.
type savedCallbacks struct {
	AccountCallbacks callbacks            `json:"account_callbacks,omitempty"`
	NumberCallbacks  map[string]callbacks `json:"number_callbacks,omitempty"`
}

// NumberCallbacks returns the number's callback URLs by type; nil when it
// has none.
func (s *Server) NumberCallbacks(number string) map[string]string {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	return cloneCallbacks(s.numberCallbacks[number])
}

// AccountCallbacks returns the account-wide callback URLs by type.
func (s *Server) AccountCallbacks() map[string]string {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	return cloneCallbacks(s.accountCallbacks)
}

// SetAccountCallbackOutside changes an account-wide callback as the portal
// would; "" clears it.
func (s *Server) SetAccountCallbackOutside(callbackType, callbackURL string) {
	s.accountMu.Lock()
	s.accountCallbacks = setCallback(s.accountCallbacks, callbackType, callbackURL)
	s.accountMu.Unlock()
	s.accountChanged()
}

func (s *Server) savedCallbacks() savedCallbacks {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	saved := savedCallbacks{AccountCallbacks: s.accountCallbacks.clone()}
	for number, c := range s.numberCallbacks {
		if len(c) > 0 {
			if saved.NumberCallbacks == nil {
				saved.NumberCallbacks = map[string]callbacks{}
			}
			saved.NumberCallbacks[number] = c.clone()
		}
	}
	return saved
}

func cloneCallbacks(c callbacks) map[string]string {
	if len(c) == 0 {
		return nil
	}
	return map[string]string(c.clone())
}

func (c callbacks) clone() callbacks {
	out := make(callbacks, len(c))
	for k, v := range c {
		out[k] = v
	}
	return out
}

func setCallback(c callbacks, callbackType, callbackURL string) callbacks {
	if callbackURL == "" {
		delete(c, callbackType)
		return c
	}
	if c == nil {
		c = callbacks{}
	}
	c[callbackType] = callbackURL
	return c
}

// serveMessaging answers the callback calls: a number's (POST
// /v2/numbers/{number}/relationships/{callback_type}) and the account's
// (PUT and GET /v2.1/messages/{callback_type}).
func (s *Server) serveMessaging(r *http.Request, body []byte) (answer, bool) {
	if callbackType, ok := strings.CutPrefix(r.URL.Path, PathMessages+"/"); ok {
		return s.serveAccountCallback(r, callbackType, body), true
	}
	rest, ok := strings.CutPrefix(r.URL.Path, PathOwnedNumbers+"/")
	if !ok {
		return answer{}, false
	}
	number, callbackType, ok := strings.Cut(rest, "/relationships/")
	if !ok || !allDigits(number) || !strings.HasSuffix(callbackType, "_callback") {
		return answer{}, false
	}
	if !slices.Contains(CallbackTypes, callbackType) {
		return answer{status: http.StatusNotFound, payload: newErrors(http.StatusNotFound, detailNotFound)}, true
	}
	if r.Method != http.MethodPost {
		return methodNotAllowed(http.MethodPost), true
	}
	callbackURL, refused, ok := readCallbackURL(r, body)
	if !ok {
		return refused, true
	}
	s.accountMu.Lock()
	if _, owned := s.owned[number]; !owned {
		s.accountMu.Unlock()
		return notOnAccount(), true
	}
	if s.numberCallbacks == nil {
		s.numberCallbacks = map[string]callbacks{}
	}
	s.numberCallbacks[number] = setCallback(s.numberCallbacks[number], callbackType, callbackURL)
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusNoContent}, true
}

func (s *Server) serveAccountCallback(r *http.Request, callbackType string, body []byte) answer {
	if !slices.Contains(CallbackTypes, callbackType) {
		return answer{status: http.StatusNotFound, payload: newErrors(http.StatusNotFound, detailNotFound)}
	}
	switch r.Method {
	case http.MethodGet:
		s.accountMu.Lock()
		callbackURL := s.accountCallbacks[callbackType]
		s.accountMu.Unlock()
		return answer{status: http.StatusOK, payload: document[callbackResource]{Data: callbackResource{
			Type: "callback",
			Attributes: callbackAttributes{APIVersion: "v2.1", CallbackURL: nullIfEmpty(callbackURL),
				Product: strings.TrimSuffix(callbackType, "_callback")},
		}}}
	case http.MethodPut:
		callbackURL, refused, ok := readCallbackURL(r, body)
		if !ok {
			return refused
		}
		s.SetAccountCallbackOutside(callbackType, callbackURL)
		return answer{status: http.StatusNoContent}
	}
	return methodNotAllowed("GET, PUT")
}

type callbackResource struct {
	Type       string             `json:"type"`
	Attributes callbackAttributes `json:"attributes"`
}

type callbackAttributes struct {
	APIVersion  string  `json:"api_version"`
	CallbackURL *string `json:"callback_url"`
	Product     string  `json:"product"`
}

// readCallbackURL reads callback_url from a nested or flat body: "" for an
// empty or null one, which clears it.
func readCallbackURL(r *http.Request, body []byte) (string, answer, bool) {
	if refused, ok := wrongMediaType(r, body); ok {
		return "", refused, false
	}
	var doc struct {
		Data *struct {
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
		CallbackURL json.RawMessage `json:"callback_url"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return "", unprocessableAnswer(errors.New(`the body must be {"data": {"attributes": {"callback_url": "..."}}}`)), false
	}
	raw := doc.CallbackURL
	if doc.Data != nil {
		raw = doc.Data.Attributes["callback_url"]
	}
	if raw == nil {
		return "", fieldErrors(map[string]string{"callback_url": "Missing data for required field."}), false
	}
	var callbackURL *string
	if json.Unmarshal(raw, &callbackURL) != nil {
		return "", fieldErrors(map[string]string{"callback_url": "Not a valid string."}), false
	}
	if callbackURL == nil || *callbackURL == "" {
		return "", answer{}, true
	}
	u, err := url.Parse(*callbackURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(*callbackURL) > maxCallbackURL {
		return "", fieldErrors(map[string]string{"callback_url": "Not a valid URL."}), false
	}
	return *callbackURL, answer{}, true
}
