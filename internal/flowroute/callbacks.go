package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// CallbackType names where Flowroute delivers one kind of messaging event:
// inbound SMS, inbound MMS, or the delivery reports of sent SMS and MMS.
type CallbackType string

const (
	CallbackSMS    CallbackType = "sms_callback"
	CallbackMMS    CallbackType = "mms_callback"
	CallbackSMSDLR CallbackType = "sms_dlr_callback"
	CallbackMMSDLR CallbackType = "mms_dlr_callback"
)

// CallbackTypes are the callback types, in the order the documentation
// lists them.
var CallbackTypes = []CallbackType{CallbackSMS, CallbackMMS, CallbackSMSDLR, CallbackMMSDLR}

// ErrCallbackNotFound: the account has no callback URL of that type.
var ErrCallbackNotFound = errors.New("messaging callback not set")

func checkCallbackType(t CallbackType) error {
	if !slices.Contains(CallbackTypes, t) {
		return fmt.Errorf("callback type must be one of sms_callback, mms_callback, sms_dlr_callback and "+
			"mms_dlr_callback, got %q", string(t))
	}
	return nil
}

// callbackBody is the body that sets a callback URL, nested as Flowroute's
// SDKs send it; an empty URL clears it (the API documents no other way).
func callbackBody(callbackURL string) ([]byte, error) {
	return json.Marshal(map[string]any{"data": map[string]any{"attributes": map[string]string{"callback_url": callbackURL}}})
}

// SetNumberCallback sets where Flowroute delivers the number's messages or
// delivery reports of the type; "" clears it. The API cannot read it back.
func (c *Client) SetNumberCallback(ctx context.Context, number string, t CallbackType, callbackURL string) error {
	if err := checkNumber(number); err != nil {
		return err
	}
	if err := checkCallbackType(t); err != nil {
		return err
	}
	body, err := callbackBody(callbackURL)
	if err != nil {
		return err
	}
	endpoint := c.endpoint("numbers", number, "relationships", string(t))
	return c.send(ctx, request{method: http.MethodPost, endpoint: endpoint, body: body}, ignoreBody)
}

// SetAccountCallback sets where Flowroute delivers the messages or delivery
// reports of the type for the whole account; "" clears it.
func (c *Client) SetAccountCallback(ctx context.Context, t CallbackType, callbackURL string) error {
	if err := checkCallbackType(t); err != nil {
		return err
	}
	body, err := callbackBody(callbackURL)
	if err != nil {
		return err
	}
	return c.send(ctx, request{method: http.MethodPut, endpoint: c.messagesEndpoint(t), body: body}, ignoreBody)
}

// GetAccountCallback returns the account's callback URL of the type;
// ErrCallbackNotFound when it has none (an empty URL or a 404).
func (c *Client) GetAccountCallback(ctx context.Context, t CallbackType) (string, error) {
	if err := checkCallbackType(t); err != nil {
		return "", err
	}
	var callbackURL string
	err := c.get(ctx, c.messagesEndpoint(t), nil, func(body []byte) error {
		var doc struct {
			Data *struct {
				Attributes struct {
					CallbackURL *string `json:"callback_url"`
				} `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return err
		}
		if doc.Data == nil {
			return errors.New(`no "data" object`)
		}
		if doc.Data.Attributes.CallbackURL != nil {
			callbackURL = *doc.Data.Attributes.CallbackURL
		}
		return nil
	})
	if err == nil && callbackURL == "" {
		return "", ErrCallbackNotFound
	}
	return callbackURL, markNotFound(err, ErrCallbackNotFound)
}

// messagesEndpoint is where the account's callbacks of the type live: under
// the messaging API's /v2.1 root, beside the base URL's /v2.
func (c *Client) messagesEndpoint(t CallbackType) *url.URL {
	root := *c.base
	root.Path = strings.TrimSuffix(root.Path, "/v2") + "/v2.1"
	root.RawPath = ""
	return root.JoinPath("messages", string(t))
}
