package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// MaxAccountNumbersPageSize is the largest page of the account's numbers.
const MaxAccountNumbersPageSize = 200

// Outcomes of the calls on the account's numbers, for errors.Is.
var (
	// ErrNotOnAccount: the account does not own the number (404).
	ErrNotOnAccount = errors.New("not on the account")
	// ErrNotPurchasable: the API refused the purchase (a 4xx other than
	// 401, 403 and 429): the number is not, or no longer, for sale.
	ErrNotPurchasable = errors.New("not purchasable")
)

// AccountNumber is a number the account owns.
type AccountNumber struct {
	Number             string // E.164 digits without "+"
	Alias              *string
	CNAMLookupsEnabled *bool
	MessagingEnabled   *bool
	State              string
	RateCenter         string
	NumberType         string
	SetupCost          *float64
	MonthlyCost        *float64
	// Relationships is nil when the answer had none (the list leaves them out).
	Relationships *NumberRelationships
}

// NumberRelationships are the records a number points at; "" where unset.
type NumberRelationships struct {
	PrimaryRouteID  string
	FailoverRouteID string
	CNAMPresetID    string
	E911AddressID   string
}

// GetNumber returns a number the account owns; ErrNotOnAccount when it does
// not own it.
func (c *Client) GetNumber(ctx context.Context, number string) (*AccountNumber, error) {
	if err := checkNumber(number); err != nil {
		return nil, err
	}
	req := request{method: http.MethodGet, endpoint: c.endpoint("numbers", number)}
	out, err := sendItem(ctx, c, req, accountNumberItem.accountNumber)
	return out, markNotFound(err, ErrNotOnAccount)
}

// Purchase is what a purchase answered.
type Purchase struct {
	Number *AccountNumber
	// MessagingNotProvisioned: the number was bought, but SMS/MMS could not
	// be set up for it (HTTP 207).
	MessagingNotProvisioned bool
}

// PurchaseNumber buys a number. It costs money, so it is repeated only when
// the API certainly did not act (a 429, a connection never made). Errors:
// ErrNotPurchasable when the API refused it; ErrOutcomeUnknown when the
// purchase may or may not have happened: ask GetNumber before trying again.
// A success whose body is unreadable is ErrOutcomeUnknown too, and then the
// Purchase still says whether the answer was a 207 (its Number is nil).
func (c *Client) PurchaseNumber(ctx context.Context, number string) (*Purchase, error) {
	if err := checkNumber(number); err != nil {
		return nil, err
	}
	var out Purchase
	req := request{method: http.MethodPost, endpoint: c.endpoint("numbers", number), rule: retryIfNotActedOn}
	err := c.send(ctx, req, func(status int, body []byte) error {
		var err error
		out.MessagingNotProvisioned = status == http.StatusMultiStatus
		out.Number, err = decodeItem(body, accountNumberItem.accountNumber)
		return err
	})
	var apiErr *APIError
	switch {
	case err == nil:
		return &out, nil
	case errors.Is(err, ErrMalformedResponse):
		// A 2xx said it was bought, but its account of it is unreadable.
		return &Purchase{MessagingNotProvisioned: out.MessagingNotProvisioned}, fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
	case errors.Is(err, ErrOutcomeUnknown):
		return nil, err
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode <= 499 &&
		apiErr.StatusCode != http.StatusUnauthorized && apiErr.StatusCode != http.StatusForbidden &&
		apiErr.StatusCode != http.StatusTooManyRequests:
		return nil, fmt.Errorf("%w: %w", ErrNotPurchasable, err)
	}
	return nil, err
}

// NumberUpdate holds the settings to change; nil leaves one as it is.
type NumberUpdate struct {
	// Alias "" clears the alias.
	Alias              *string
	CNAMLookupsEnabled *bool
	MessagingEnabled   *bool
}

// UpdateNumber changes a number's settings in one request and returns the
// number as the API then shows it.
func (c *Client) UpdateNumber(ctx context.Context, number string, u NumberUpdate) (*AccountNumber, error) {
	if err := checkNumber(number); err != nil {
		return nil, err
	}
	// The endpoint takes flat attributes beside the type, not a JSON:API envelope.
	body := map[string]any{"type": "number"}
	if u.Alias != nil {
		if *u.Alias == "" {
			body["alias"] = nil
		} else {
			body["alias"] = *u.Alias
		}
	}
	if u.CNAMLookupsEnabled != nil {
		body["cnam_lookups_enabled"] = *u.CNAMLookupsEnabled
	}
	if u.MessagingEnabled != nil {
		body["messaging_enabled"] = *u.MessagingEnabled
	}
	encoded, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req := request{method: http.MethodPatch, endpoint: c.endpoint("numbers", number), body: encoded}
	out, err := sendItem(ctx, c, req, accountNumberItem.accountNumber)
	return out, markNotFound(err, ErrNotOnAccount)
}

// ReleaseNumber gives a number back; it cannot be undone. ErrNotOnAccount
// when the account no longer owns it (released already).
func (c *Client) ReleaseNumber(ctx context.Context, number string) error {
	if err := checkNumber(number); err != nil {
		return err
	}
	err := c.send(ctx, request{method: http.MethodDelete, endpoint: c.endpoint("numbers", number)}, func(int, []byte) error { return nil })
	return markNotFound(err, ErrNotOnAccount)
}

// AccountNumbersQuery filters the account's numbers; empty strings are not sent.
type AccountNumbersQuery struct {
	StartsWith string // digits; country code 1 assumed as in the search
	EndsWith   string // digits
	Contains   string // digits
	Alias      string // exact match
	Limit      *int   // cap on the total returned; nil = all
	Offset     int    // items to skip, >= 0
	PageSize   int    // 0 = MaxAccountNumbersPageSize; 1..200
	Window     int    // pages in flight at once; 0 = 2, at most 16
}

// ListAccountNumbers returns the account's numbers, across pages, in API
// order. Items carry no relationships.
func (c *Client) ListAccountNumbers(ctx context.Context, q AccountNumbersQuery) ([]AccountNumber, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxAccountNumbersPageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid account numbers query: %w", err)
	}
	for _, f := range [...]struct{ name, value string }{
		{"starts with", q.StartsWith}, {"ends with", q.EndsWith}, {"contains", q.Contains},
	} {
		if f.value != "" && !isDigits(f.value) {
			return nil, fmt.Errorf("invalid account numbers query: %s must be digits, got %q", f.name, f.value)
		}
	}
	filters := url.Values{}
	for _, f := range [...]struct{ key, value string }{
		{"starts_with", q.StartsWith}, {"ends_with", q.EndsWith}, {"contains", q.Contains}, {"alias", q.Alias},
	} {
		if f.value != "" {
			filters.Set(f.key, f.value)
		}
	}
	endpoint := c.endpoint("numbers")
	fetch := httpPages(c, endpoint, filters, func(body []byte) ([]AccountNumber, bool, error) {
		return decodeItems(body, accountNumberItem.accountNumber)
	})
	return listPages(ctx, endpoint.EscapedPath(), fetch, func(n AccountNumber) string { return n.Number }, p)
}

// checkNumber keeps anything but digits out of a request path.
func checkNumber(number string) error {
	if number == "" || !isDigits(number) {
		return fmt.Errorf("number must be digits, such as 16463439507, got %q", number)
	}
	return nil
}

type relationship struct {
	Data *struct {
		ID itemID `json:"id"`
	} `json:"data"`
}

func (r *relationship) id() string {
	if r == nil || r.Data == nil {
		return ""
	}
	return string(r.Data.ID)
}

type accountNumberItem struct {
	ID         itemID `json:"id"`
	Attributes struct {
		Value              string       `json:"value"`
		Alias              *string      `json:"alias"`
		CNAMLookupsEnabled *bool        `json:"cnam_lookups_enabled"`
		MessagingEnabled   *bool        `json:"messaging_enabled"`
		State              string       `json:"state"`
		RateCenter         string       `json:"rate_center"`
		NumberType         string       `json:"number_type"`
		SetupCost          *json.Number `json:"setup_cost"`
		MonthlyCost        *json.Number `json:"monthly_cost"`
	} `json:"attributes"`
	Relationships *struct {
		PrimaryRoute  *relationship `json:"primary_route"`
		FailoverRoute *relationship `json:"failover_route"`
		CNAMPreset    *relationship `json:"cnam_preset"`
		E911Address   *relationship `json:"e911_address"`
	} `json:"relationships"`
}

func (d accountNumberItem) accountNumber() (AccountNumber, error) {
	if d.ID == "" {
		return AccountNumber{}, errNoID
	}
	a := d.Attributes
	n := AccountNumber{
		Number:             a.Value,
		Alias:              a.Alias,
		CNAMLookupsEnabled: a.CNAMLookupsEnabled,
		MessagingEnabled:   a.MessagingEnabled,
		State:              a.State,
		RateCenter:         a.RateCenter,
		NumberType:         a.NumberType,
	}
	if n.Number == "" {
		n.Number = string(d.ID)
	}
	if n.Alias != nil && *n.Alias == "" {
		n.Alias = nil
	}
	var err error
	if n.SetupCost, err = parseCost(a.SetupCost); err != nil {
		return AccountNumber{}, fmt.Errorf("setup cost: %w", err)
	}
	if n.MonthlyCost, err = parseCost(a.MonthlyCost); err != nil {
		return AccountNumber{}, fmt.Errorf("monthly cost: %w", err)
	}
	if r := d.Relationships; r != nil {
		n.Relationships = &NumberRelationships{
			PrimaryRouteID:  r.PrimaryRoute.id(),
			FailoverRouteID: r.FailoverRoute.id(),
			CNAMPresetID:    r.CNAMPreset.id(),
			E911AddressID:   r.E911Address.id(),
		}
	}
	return n, nil
}
