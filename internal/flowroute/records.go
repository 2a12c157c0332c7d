package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
)

// What the calls on the account's records (E911 addresses, CNAM presets)
// share.

// checkRecordID refuses an id that is not the digits the API hands out, so
// that no id can lead the request to another path.
func checkRecordID(kind, id string) error {
	if !isDigits(id) {
		return fmt.Errorf("%s id must be the digits Flowroute gave it, such as 21301, got %q", kind, id)
	}
	return nil
}

// hasStatus reports whether err is an answer with one of the statuses.
func hasStatus(err error, statuses ...int) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	for _, status := range statuses {
		if apiErr.StatusCode == status {
			return true
		}
	}
	return false
}

// recordItem is one record as the API sends it, alone or in a list.
type recordItem[A any] struct {
	ID         itemID `json:"id"`
	Attributes A      `json:"attributes"`
}

// decodeRecord decodes the answer about one record, {"data": {"id": ...,
// "attributes": {...}}}, which must carry an id.
func decodeRecord[A any](body []byte) (string, A, error) {
	var doc struct {
		Data *recordItem[A] `json:"data"`
	}
	var none A
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", none, err
	}
	switch {
	case doc.Data == nil:
		return "", none, errors.New(`no "data" object`)
	case doc.Data.ID == "":
		return "", none, errNoID
	}
	return string(doc.Data.ID), doc.Data.Attributes, nil
}

// listRecords returns the records of the collection that pass the filters,
// across pages, in API order; of makes each record from its id and
// attributes, and id tells the records apart.
func listRecords[A, T any](ctx context.Context, c *Client, collection string, filters url.Values, p paging,
	of func(id string, a A) T, id func(T) string) ([]T, error) {
	endpoint := c.endpoint(collection)
	fetch := httpPages(c, endpoint, filters, func(body []byte) ([]T, bool, error) {
		return decodeItems(body, func(item recordItem[A]) (T, error) {
			if item.ID == "" {
				var none T
				return none, errNoID
			}
			return of(string(item.ID), item.Attributes), nil
		})
	})
	return listPages(ctx, endpoint.EscapedPath(), fetch, id, p)
}

// ignoreBody handles an answer whose body says nothing the caller needs.
func ignoreBody(int, []byte) error { return nil }
