package flowroute

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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

func (p *listPage[T]) unmarshal(body []byte) error {
	if err := json.Unmarshal(body, p); err != nil {
		return err
	}
	if p.Data == nil {
		return errors.New(`no "data" list`)
	}
	return nil
}

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
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
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
		return fmt.Errorf("item id %.20s is neither a string nor a number", b)
	}
	if *id == "" {
		return errors.New("item id is empty")
	}
	return nil
}
