package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Kinds of failure of the E911 calls, for errors.Is; the error also wraps
// the *APIError.
var (
	// ErrE911NotFound: the account has no E911 address with that id.
	ErrE911NotFound = errors.New("E911 address not found")
	// ErrE911NotGeocoded: Flowroute could not place the address (HTTP 400),
	// so it cannot send emergency services there.
	ErrE911NotGeocoded = errors.New("E911 address not geocoded")
	// ErrE911InUse: the address is attached to numbers and cannot be
	// deleted. The API reference gives no status for it: 403 and 409 are
	// taken as this refusal.
	ErrE911InUse = errors.New("E911 address in use")
)

// E911Address is an emergency address: where emergency services go for
// calls from the numbers it is attached to. An invalid field comes back as
// an *APIError whose ErrorObject.Fields names it.
type E911Address struct {
	ID                string // given by Flowroute; not sent
	Label             string
	FirstName         string
	LastName          string
	StreetNumber      string
	StreetName        string
	City              string
	State             string // two upper-case letters, such as "WA"
	Country           string // "US" or "CA"
	Zip               string
	AddressType       string // "Suite", "Apartment", "Floor", "Unit"...; "" for none
	AddressTypeNumber string // "" for none; set with AddressType
}

// e911Attributes is an address as the API reads and writes it; a null
// address type reads as "".
type e911Attributes struct {
	Label             string `json:"label"`
	FirstName         string `json:"first_name"`
	LastName          string `json:"last_name"`
	StreetNumber      string `json:"street_number"`
	StreetName        string `json:"street_name"`
	City              string `json:"city"`
	State             string `json:"state"`
	Country           string `json:"country"`
	Zip               string `json:"zip"`
	AddressType       string `json:"address_type"`
	AddressTypeNumber string `json:"address_type_number"`
}

// e911Body is the address envelope {"data": {"type": "e911", "attributes":
// {...}}}. A creation leaves an unset address type out; an update sends it
// as null, which clears it.
func e911Body(a E911Address, clearUnset bool) ([]byte, error) {
	attributes := map[string]any{
		"label": a.Label, "first_name": a.FirstName, "last_name": a.LastName,
		"street_number": a.StreetNumber, "street_name": a.StreetName, "city": a.City,
		"state": a.State, "country": a.Country, "zip": a.Zip,
	}
	for name, value := range map[string]string{"address_type": a.AddressType, "address_type_number": a.AddressTypeNumber} {
		switch {
		case value != "":
			attributes[name] = value
		case clearUnset:
			attributes[name] = nil
		}
	}
	return json.Marshal(map[string]any{"data": map[string]any{"type": "e911", "attributes": attributes}})
}

func decodeE911(body []byte) (E911Address, error) {
	id, a, err := decodeRecord[e911Attributes](body)
	if err != nil {
		return E911Address{}, err
	}
	return e911Of(id, a), nil
}

func e911Of(id string, a e911Attributes) E911Address {
	return E911Address{
		ID: id, Label: a.Label, FirstName: a.FirstName, LastName: a.LastName,
		StreetNumber: a.StreetNumber, StreetName: a.StreetName, City: a.City, State: a.State,
		Country: a.Country, Zip: a.Zip, AddressType: a.AddressType, AddressTypeNumber: a.AddressTypeNumber,
	}
}

// e911WriteError marks the answers to an address sent for validation too.
func e911WriteError(err error) error {
	if hasStatus(err, http.StatusBadRequest) {
		return fmt.Errorf("%w: %w", ErrE911NotGeocoded, err)
	}
	return markNotFound(err, ErrE911NotFound)
}

// ValidateE911 asks Flowroute whether it would accept the address, without
// keeping it.
func (c *Client) ValidateE911(ctx context.Context, a E911Address) error {
	body, err := e911Body(a, false)
	if err != nil {
		return err
	}
	return e911WriteError(c.send(ctx, request{method: http.MethodPost, endpoint: c.endpoint("e911s", "validate"), body: body}, ignoreBody))
}

// CreateE911 creates the address, which Flowroute validates first, and
// returns it with its id. It is not repeated blindly: after
// ErrOutcomeUnknown, look for the address before creating it again.
func (c *Client) CreateE911(ctx context.Context, a E911Address) (E911Address, error) {
	body, err := e911Body(a, false)
	if err != nil {
		return E911Address{}, err
	}
	var created E911Address
	err = c.send(ctx, request{method: http.MethodPost, endpoint: c.endpoint("e911s"), body: body, rule: retryIfNotActedOn},
		func(_ int, body []byte) error {
			var decodeErr error
			created, decodeErr = decodeE911(body)
			return decodeErr
		})
	return created, e911WriteError(err)
}

// MaxE911PageSize is the largest page of the account's E911 addresses.
const MaxE911PageSize = 2000

// E911Query filters the account's E911 addresses; empty strings are not
// sent. Flowroute matches each filter against the whole field.
type E911Query struct {
	Label      string
	StreetName string
	City       string
	State      string // two letters, such as "WA"
	Limit      *int   // cap on the total returned; nil = all
	Offset     int    // items to skip, >= 0
	PageSize   int    // 0 = MaxE911PageSize; 1..2000
	Window     int    // pages in flight at once; 0 = 2, at most 16
}

// ListE911s returns the account's E911 addresses, across pages, in API order.
func (c *Client) ListE911s(ctx context.Context, q E911Query) ([]E911Address, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxE911PageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid E911 addresses query: %w", err)
	}
	filters := url.Values{}
	for _, f := range [...]struct{ key, value string }{
		{"label", q.Label}, {"street_name", q.StreetName}, {"city", q.City}, {"state", q.State},
	} {
		if f.value != "" {
			filters.Set(f.key, f.value)
		}
	}
	return listRecords(ctx, c, "e911s", filters, p, e911Of, func(a E911Address) string { return a.ID })
}

// GetE911 returns the address with the id.
func (c *Client) GetE911(ctx context.Context, id string) (E911Address, error) {
	if err := checkRecordID("E911 address", id); err != nil {
		return E911Address{}, err
	}
	var found E911Address
	err := c.get(ctx, c.endpoint("e911s", id), nil, func(body []byte) error {
		var err error
		found, err = decodeE911(body)
		return err
	})
	return found, markNotFound(err, ErrE911NotFound)
}

// UpdateE911 sets every field of the address a.ID to those of a, which
// Flowroute validates first, and returns the address as it is then.
func (c *Client) UpdateE911(ctx context.Context, a E911Address) (E911Address, error) {
	if err := checkRecordID("E911 address", a.ID); err != nil {
		return E911Address{}, err
	}
	body, err := e911Body(a, true)
	if err != nil {
		return E911Address{}, err
	}
	var updated E911Address
	err = c.send(ctx, request{method: http.MethodPatch, endpoint: c.endpoint("e911s", a.ID), body: body},
		func(_ int, body []byte) error {
			var decodeErr error
			updated, decodeErr = decodeE911(body)
			return decodeErr
		})
	return updated, e911WriteError(err)
}

// DeleteE911 deletes the address, which Flowroute refuses (ErrE911InUse)
// while numbers use it.
func (c *Client) DeleteE911(ctx context.Context, id string) error {
	if err := checkRecordID("E911 address", id); err != nil {
		return err
	}
	err := c.send(ctx, request{method: http.MethodDelete, endpoint: c.endpoint("e911s", id)}, ignoreBody)
	if hasStatus(err, http.StatusForbidden, http.StatusConflict) {
		return fmt.Errorf("%w: %w", ErrE911InUse, err)
	}
	return markNotFound(err, ErrE911NotFound)
}

// AttachE911 makes the address id the number's emergency address, in place
// of any other. Flowroute charges a fee for it on numbers that are not
// exempt, once however often it is repeated.
func (c *Client) AttachE911(ctx context.Context, number, id string) error {
	if err := checkNumber(number); err != nil {
		return err
	}
	if err := checkRecordID("E911 address", id); err != nil {
		return err
	}
	endpoint := c.endpoint("numbers", number, "relationships", "e911s", id)
	return c.send(ctx, request{method: http.MethodPatch, endpoint: endpoint}, ignoreBody)
}

// DetachE911 leaves the number without an emergency address.
func (c *Client) DetachE911(ctx context.Context, number string) error {
	if err := checkNumber(number); err != nil {
		return err
	}
	endpoint := c.endpoint("numbers", number, "relationships", "e911s")
	return c.send(ctx, request{method: http.MethodDelete, endpoint: endpoint}, ignoreBody)
}
