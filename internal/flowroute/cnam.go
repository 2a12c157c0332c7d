package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Kinds of failure of the CNAM calls, for errors.Is; the error also wraps
// the *APIError.
var (
	// ErrCNAMNotFound: the account has no CNAM preset with that id.
	ErrCNAMNotFound = errors.New("CNAM preset not found")
	// ErrCNAMApproved: the preset has been approved, and an approved
	// preset cannot be changed. The API reference gives no status for it:
	// 403 and 409 are taken as this refusal.
	ErrCNAMApproved = errors.New("CNAM preset already approved")
	// ErrCNAMNotApproved: the preset is awaiting Flowroute's review, or was
	// rejected, so it cannot be assigned to a number yet.
	ErrCNAMNotApproved = errors.New("CNAM preset not approved")
)

// CNAMPreset is a caller name that Flowroute shows on outbound calls from
// the long-code numbers it is assigned to, once Flowroute has approved it
// (which takes up to 48 hours). The times are as Flowroute writes them.
type CNAMPreset struct {
	ID               string
	Value            string // at most 15 characters, at least one letter
	IsApproved       bool
	ApprovalDatetime string // "" while not approved
	RejectionReason  string // "" unless rejected
	CreationDatetime string
}

// cnamAttributes is a preset as the API reads it; null texts read as "".
type cnamAttributes struct {
	Value            string `json:"value"`
	IsApproved       bool   `json:"is_approved"`
	ApprovalDatetime string `json:"approval_datetime"`
	RejectionReason  string `json:"rejection_reason"`
	CreationDatetime string `json:"creation_datetime"`
}

func decodeCNAM(body []byte) (CNAMPreset, error) {
	id, a, err := decodeRecord[cnamAttributes](body)
	if err != nil {
		return CNAMPreset{}, err
	}
	return cnamOf(id, a), nil
}

func cnamOf(id string, a cnamAttributes) CNAMPreset {
	return CNAMPreset{
		ID: id, Value: a.Value, IsApproved: a.IsApproved, ApprovalDatetime: a.ApprovalDatetime,
		RejectionReason: a.RejectionReason, CreationDatetime: a.CreationDatetime,
	}
}

// MaxCNAMPageSize is the largest page of the account's CNAM presets. The
// API reference gives none for this endpoint: it is taken to be that of
// the other lists of the account.
const MaxCNAMPageSize = 200

// CNAMQuery filters the account's CNAM presets.
type CNAMQuery struct {
	IsApproved *bool // only the approved (true) or the others (false); nil for all
	Limit      *int  // cap on the total returned; nil = all
	Offset     int   // items to skip, >= 0
	PageSize   int   // 0 = MaxCNAMPageSize; 1..200
	Window     int   // pages in flight at once; 0 = 2, at most 16
}

// ListCNAMs returns the account's CNAM presets, across pages, in API order.
func (c *Client) ListCNAMs(ctx context.Context, q CNAMQuery) ([]CNAMPreset, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxCNAMPageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid CNAM presets query: %w", err)
	}
	filters := url.Values{}
	if q.IsApproved != nil {
		filters.Set("is_approved", strconv.FormatBool(*q.IsApproved))
	}
	return listRecords(ctx, c, "cnams", filters, p, cnamOf, func(p CNAMPreset) string { return p.ID })
}

// CreateCNAM creates a preset of the value, which then awaits Flowroute's
// approval. Flowroute refuses a value it already has (HTTP 422). It is not
// repeated blindly: after ErrOutcomeUnknown, look for the preset before
// creating it again.
func (c *Client) CreateCNAM(ctx context.Context, value string) (CNAMPreset, error) {
	body, err := json.Marshal(map[string]string{"value": value})
	if err != nil {
		return CNAMPreset{}, err
	}
	return c.sendCNAM(ctx, request{method: http.MethodPost, endpoint: c.endpoint("cnams"), body: body, rule: retryIfNotActedOn})
}

// GetCNAM returns the preset with the id, its approval as it is now.
func (c *Client) GetCNAM(ctx context.Context, id string) (CNAMPreset, error) {
	if err := checkRecordID("CNAM preset", id); err != nil {
		return CNAMPreset{}, err
	}
	return c.sendCNAM(ctx, request{method: http.MethodGet, endpoint: c.endpoint("cnams", id)})
}

// UpdateCNAM changes the value of a preset that is not approved yet; the
// new value awaits approval afresh. An approved preset is ErrCNAMApproved.
func (c *Client) UpdateCNAM(ctx context.Context, id, value string) (CNAMPreset, error) {
	if err := checkRecordID("CNAM preset", id); err != nil {
		return CNAMPreset{}, err
	}
	body, err := json.Marshal(map[string]any{"data": map[string]any{"type": "cnam", "attributes": map[string]string{"value": value}}})
	if err != nil {
		return CNAMPreset{}, err
	}
	preset, err := c.sendCNAM(ctx, request{method: http.MethodPatch, endpoint: c.endpoint("cnams", id), body: body})
	if hasStatus(err, http.StatusForbidden, http.StatusConflict) {
		return CNAMPreset{}, fmt.Errorf("%w: %w", ErrCNAMApproved, err)
	}
	return preset, err
}

func (c *Client) sendCNAM(ctx context.Context, req request) (CNAMPreset, error) {
	var preset CNAMPreset
	err := c.send(ctx, req, func(_ int, body []byte) error {
		var err error
		preset, err = decodeCNAM(body)
		return err
	})
	return preset, markNotFound(err, ErrCNAMNotFound)
}

// DeleteCNAM deletes the preset; the numbers that use it are released from
// it.
func (c *Client) DeleteCNAM(ctx context.Context, id string) error {
	if err := checkRecordID("CNAM preset", id); err != nil {
		return err
	}
	err := c.send(ctx, request{method: http.MethodDelete, endpoint: c.endpoint("cnams", id)}, ignoreBody)
	return markNotFound(err, ErrCNAMNotFound)
}

// AttachCNAM assigns the approved preset id to a long-code number, in place
// of any other. pending reports that Flowroute accepted the change but
// applies it later (HTTP 202), as it does for presets. A preset that is
// not approved is ErrCNAMNotApproved.
func (c *Client) AttachCNAM(ctx context.Context, number, id string) (pending bool, err error) {
	if err := checkNumber(number); err != nil {
		return false, err
	}
	if err := checkRecordID("CNAM preset", id); err != nil {
		return false, err
	}
	endpoint := c.endpoint("numbers", number, "relationships", "cnams", id)
	err = c.send(ctx, request{method: http.MethodPatch, endpoint: endpoint}, func(status int, _ []byte) error {
		pending = status == http.StatusAccepted
		return nil
	})
	if hasStatus(err, http.StatusUnprocessableEntity) {
		// The refusal's wording is not documented: the preset itself says
		// whether its approval is what is missing.
		if preset, getErr := c.GetCNAM(ctx, id); getErr == nil && !preset.IsApproved {
			state := "awaiting Flowroute's review"
			if preset.RejectionReason != "" {
				state = "rejected: " + preset.RejectionReason
			}
			return false, fmt.Errorf("%w (%s): %w", ErrCNAMNotApproved, state, err)
		}
	}
	return pending, err
}

// DetachCNAM releases the number from its preset; pending is as for
// AttachCNAM.
func (c *Client) DetachCNAM(ctx context.Context, number string) (pending bool, err error) {
	if err := checkNumber(number); err != nil {
		return false, err
	}
	endpoint := c.endpoint("numbers", number, "relationships", "cnams")
	err = c.send(ctx, request{method: http.MethodDelete, endpoint: endpoint}, func(status int, _ []byte) error {
		pending = status == http.StatusAccepted
		return nil
	})
	return pending, err
}
