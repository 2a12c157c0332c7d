package flowroute

import (
	"context"
	"fmt"
	"net/url"
)

// MaxAreaCodesPageSize is the largest page the area codes endpoint serves.
const MaxAreaCodesPageSize = 400

// AreaCodesQuery selects area codes; the zero value lists them all.
type AreaCodesQuery struct {
	Limit        *int     // cap on the total returned; nil = all
	Offset       int      // items to skip, >= 0
	MaxSetupCost *float64 // nil = no filter
	PageSize     int      // 0 = MaxAreaCodesPageSize; 1..400
	Window       int      // pages in flight at once; 0 = 2, at most 16
}

// AreaCode is an NPA with at least one purchasable number.
type AreaCode struct {
	AreaCode     string // e.g. "201"
	ExchangesURL string // where the API lists this area code's exchanges
}

// ListAvailableAreaCodes returns every matching area code, across pages, in
// API order.
func (c *Client) ListAvailableAreaCodes(ctx context.Context, q AreaCodesQuery) ([]AreaCode, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxAreaCodesPageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid area codes query: %w", err)
	}
	filters := url.Values{}
	if err := setMaxSetupCost(filters, q.MaxSetupCost); err != nil {
		return nil, fmt.Errorf("invalid area codes query: %w", err)
	}
	endpoint := c.endpoint("numbers", "available", "areacodes")
	fetch := httpPages(c, endpoint, filters, decodeAreaCodesPage)
	return listPages(ctx, endpoint.EscapedPath(), fetch, func(a AreaCode) string { return a.AreaCode }, p)
}

func decodeAreaCodesPage(body []byte) ([]AreaCode, bool, error) {
	return decodeItems(body, relatedItem.areaCode)
}

func (d relatedItem) areaCode() (AreaCode, error) {
	if d.ID == "" {
		return AreaCode{}, errNoID
	}
	return AreaCode{AreaCode: string(d.ID), ExchangesURL: d.Links.Related}, nil
}
