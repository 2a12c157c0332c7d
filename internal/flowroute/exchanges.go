package flowroute

import (
	"context"
	"fmt"
	"net/url"
)

// MaxExchangesPageSize is the largest page the exchanges endpoint serves.
const MaxExchangesPageSize = 200

// ExchangesQuery selects exchanges; the zero value lists them all.
type ExchangesQuery struct {
	AreaCode     string   // three digits; empty = every area code
	Limit        *int     // cap on the total returned; nil = all
	Offset       int      // items to skip, >= 0
	MaxSetupCost *float64 // nil = no filter
	PageSize     int      // 0 = MaxExchangesPageSize; 1..200
	Window       int      // pages in flight at once; 0 = 2, at most 16
}

// Exchange is an NPA-NXX with at least one purchasable number.
type Exchange struct {
	Exchange   string // six digits, e.g. "347215"
	AreaCode   string // its first three digits
	NumbersURL string // where the API lists this exchange's numbers
}

// ListAvailableExchanges returns every matching exchange, across pages, in
// API order.
func (c *Client) ListAvailableExchanges(ctx context.Context, q ExchangesQuery) ([]Exchange, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxExchangesPageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid exchanges query: %w", err)
	}
	filters := url.Values{}
	if err := setMaxSetupCost(filters, q.MaxSetupCost); err != nil {
		return nil, fmt.Errorf("invalid exchanges query: %w", err)
	}
	if q.AreaCode != "" {
		if len(q.AreaCode) != 3 || !isDigits(q.AreaCode) {
			return nil, fmt.Errorf("invalid exchanges query: area code must be three digits, got %q", q.AreaCode)
		}
		filters.Set("areacode", q.AreaCode)
	}
	endpoint := c.endpoint("numbers", "available", "exchanges")
	fetch := httpPages(c, endpoint, filters, decodeExchangesPage)
	return listPages(ctx, endpoint.EscapedPath(), fetch, func(e Exchange) string { return e.Exchange }, p)
}

func decodeExchangesPage(body []byte) ([]Exchange, bool, error) {
	return decodeItems(body, relatedItem.exchange)
}

func (d relatedItem) exchange() (Exchange, error) {
	id := string(d.ID)
	// The area code is derived from the id, so an id of another shape
	// would yield a wrong one.
	if len(id) != 6 || !isDigits(id) {
		return Exchange{}, fmt.Errorf("exchange id %q is not six digits", id)
	}
	return Exchange{Exchange: id, AreaCode: id[:3], NumbersURL: d.Links.Related}, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
