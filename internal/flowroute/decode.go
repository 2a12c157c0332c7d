package flowroute

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// listPage is the JSON:API envelope of every list answer.
type listPage[T any] struct {
	// A pointer tells a missing "data" (not a list answer) from an empty one.
	Data  *[]T `json:"data"`
	Links struct {
		// Absent, null and "" all leave Next empty: the end of the list.
		Next string `json:"next"`
	} `json:"links"`
}

// decodeItems decodes a list page of I and converts each item, in order, to
// T; it also says whether the page claims that more exist.
func decodeItems[I, T any](body []byte, convert func(I) (T, error)) ([]T, bool, error) {
	var page listPage[I]
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, false, err
	}
	if page.Data == nil {
		return nil, false, errors.New(`no "data" list`)
	}
	items := make([]T, len(*page.Data))
	for i, d := range *page.Data {
		item, err := convert(d)
		if err != nil {
			return nil, false, fmt.Errorf("item %d: %w", i, err)
		}
		items[i] = item
	}
	return items, page.Links.Next != "", nil
}

// decodeItem decodes the answer about one item, {"data": {...}}, as I and
// converts it to T.
func decodeItem[I, T any](body []byte, convert func(I) (T, error)) (*T, error) {
	var doc struct {
		Data *I `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, err
	}
	if doc.Data == nil {
		return nil, errors.New(`no "data" object`)
	}
	item, err := convert(*doc.Data)
	return &item, err
}

// errNoID rejects an item without id: items are told apart by it.
var errNoID = errors.New("no id")

// relatedItem is an item whose only payload is its id and related link.
type relatedItem struct {
	ID    itemID `json:"id"`
	Links struct {
		Related string `json:"related"`
	} `json:"links"`
}

// itemID is documented as an integer but sent as a string: accept both, and
// require it, since items are told apart by it.
type itemID string

func (id *itemID) UnmarshalJSON(b []byte) error {
	switch {
	// The shortcut keeps the raw bytes, so it must see exactly what
	// json.Unmarshal would return: no escapes, and valid UTF-8 (which
	// json.Unmarshal would turn into U+FFFD).
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b):
		*id = itemID(b[1 : len(b)-1])
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = itemID(s)
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		*id = itemID(b)
	default:
		// %q escapes control and bidi characters; the cut keeps whole runes.
		n := min(len(b), 20)
		for n < len(b) && !utf8.RuneStart(b[n]) {
			n--
		}
		return fmt.Errorf("item id %q is neither a string nor a number", b[:n])
	}
	if *id == "" {
		return errors.New("item id is empty")
	}
	return nil
}
