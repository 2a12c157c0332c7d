package flowroute

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// MaxNumbersPageSize is the largest page the number search serves.
const MaxNumbersPageSize = 200

// NumbersQuery filters the search for purchasable numbers; empty strings
// are not sent.
type NumbersQuery struct {
	StartsWith string // digits, country code 1 assumed unless given as "+cc..."
	Contains   string // digits
	EndsWith   string // digits
	State      string // e.g. "ny", case-insensitive
	RateCenter string // e.g. "nwyrcyzn01", case-insensitive
	NumberType string // e.g. "longcode" or "toll-free"
	Limit      *int   // cap on the total returned; nil = all
	Offset     int    // items to skip, >= 0
	PageSize   int    // 0 = MaxNumbersPageSize; 1..200
	Window     int    // pages in flight at once; 0 = 2, at most 16
}

// Number is a purchasable phone number.
type Number struct {
	Number      string // E.164 digits without "+", e.g. "16463439507"
	State       string
	RateCenter  string
	NumberType  string
	SetupCost   *float64 // nil when the API leaves it out
	MonthlyCost *float64 // nil when the API leaves it out
	DetailsURL  string
}

// SearchAvailableNumbers returns every matching number, across pages, in API
// order.
func (c *Client) SearchAvailableNumbers(ctx context.Context, q NumbersQuery) ([]Number, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxNumbersPageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid numbers query: %w", err)
	}
	if q.StartsWith != "" && !isDigits(strings.TrimPrefix(q.StartsWith, "+")) {
		return nil, fmt.Errorf(`invalid numbers query: starts with must be digits, optionally after "+", got %q`, q.StartsWith)
	}
	if q.Contains != "" && !isDigits(q.Contains) {
		return nil, fmt.Errorf("invalid numbers query: contains must be digits, got %q", q.Contains)
	}
	if q.EndsWith != "" && !isDigits(q.EndsWith) {
		return nil, fmt.Errorf("invalid numbers query: ends with must be digits, got %q", q.EndsWith)
	}
	filters := url.Values{}
	for _, f := range [...]struct{ key, value string }{
		{"starts_with", q.StartsWith}, {"contains", q.Contains}, {"ends_with", q.EndsWith},
		{"state", q.State}, {"rate_center", q.RateCenter}, {"number_type", q.NumberType},
	} {
		if f.value != "" {
			filters.Set(f.key, f.value)
		}
	}
	endpoint := c.endpoint("numbers", "available")
	fetch := httpPages(c, endpoint, filters, decodeNumbersPage)
	return listPages(ctx, endpoint.EscapedPath(), fetch, func(n Number) string { return n.Number }, p)
}

type numberItem struct {
	ID         itemID `json:"id"`
	Attributes struct {
		Value      string `json:"value"`
		State      string `json:"state"`
		RateCenter string `json:"rate_center"`
		NumberType string `json:"number_type"`
		// json.Number takes 1.25 and, should the API ever quote it, "1.25".
		SetupCost   *json.Number `json:"setup_cost"`
		MonthlyCost *json.Number `json:"monthly_cost"`
	} `json:"attributes"`
	Links struct {
		Related string `json:"related"`
	} `json:"links"`
}

func decodeNumbersPage(body []byte) ([]Number, bool, error) {
	return decodeItems(body, numberItem.number)
}

func (d numberItem) number() (Number, error) {
	if d.ID == "" {
		return Number{}, errNoID
	}
	a := d.Attributes
	n := Number{
		Number:     a.Value,
		State:      a.State,
		RateCenter: a.RateCenter,
		NumberType: a.NumberType,
		DetailsURL: d.Links.Related,
	}
	if n.Number == "" {
		n.Number = string(d.ID)
	}
	var err error
	if n.SetupCost, err = parseCost(a.SetupCost); err != nil {
		return Number{}, fmt.Errorf("setup cost: %w", err)
	}
	if n.MonthlyCost, err = parseCost(a.MonthlyCost); err != nil {
		return Number{}, fmt.Errorf("monthly cost: %w", err)
	}
	return n, nil
}

func parseCost(n *json.Number) (*float64, error) {
	if n == nil {
		return nil, nil
	}
	f, err := strconv.ParseFloat(string(*n), 64)
	if err != nil {
		return nil, err
	}
	return &f, nil
}
