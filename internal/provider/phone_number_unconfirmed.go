package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// unconfirmedKey names the private state that marks a number whose purchase
// had an unclear outcome and that the account did not own yet: Flowroute
// may still be carrying the purchase out, so only the refreshes within the
// settle window may decide it never happened.
const unconfirmedKey = "unconfirmed_purchase"

// defaultSettleWindow is how long after an unclear purchase its number is
// kept while the account does not own it, when the provider block leaves
// unconfirmed_purchase_window unset.
const defaultSettleWindow = time.Hour

type unconfirmedMarker struct {
	// Since is when the last purchase attempt of unknown outcome ended: the
	// settle window counts from there.
	Since time.Time `json:"since"`
}

type privateGetter interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// markUnconfirmed records that the purchase whose last attempt ended at
// sentAt is unconfirmed.
func markUnconfirmed(ctx context.Context, private privateSetter, sentAt time.Time) diag.Diagnostics {
	raw, err := json.Marshal(unconfirmedMarker{Since: sentAt.UTC()})
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Unable to record an unconfirmed purchase", err.Error())
		return diags
	}
	return private.SetKey(ctx, unconfirmedKey, raw)
}

// clearUnconfirmed records that the account owns the number.
func clearUnconfirmed(ctx context.Context, private privateSetter) diag.Diagnostics {
	return private.SetKey(ctx, unconfirmedKey, nil)
}

// unconfirmedSince returns when the number's unconfirmed purchase was last
// attempted; ok is false when its purchase is not unconfirmed. A marker that cannot be
// read counts as sent now, which keeps the number longest.
func unconfirmedSince(ctx context.Context, private privateGetter) (sentAt time.Time, ok bool, diags diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, unconfirmedKey)
	if len(raw) == 0 {
		return time.Time{}, false, diags
	}
	var marker unconfirmedMarker
	if json.Unmarshal(raw, &marker) != nil || marker.Since.IsZero() {
		return time.Now(), true, diags
	}
	return marker.Since, true, diags
}

// settleDeadline says until when an unconfirmed purchase last attempted at
// sentAt may still be carried out.
func settleDeadline(sentAt time.Time, window time.Duration) string {
	return sentAt.Add(window).UTC().Format(time.RFC3339)
}

// unconfirmedDetail explains a number kept while its purchase is unconfirmed.
func unconfirmedDetail(number string, sentAt time.Time, window time.Duration) string {
	return fmt.Sprintf("The purchase of %s, last attempted at %s, had an unclear outcome, and the account does not own the "+
		"number yet. Flowroute may still be carrying it out, so the number stays in the state and nothing else is "+
		"bought for this resource. Each refresh asks the account again: once it owns the number, the number stays; "+
		"if it still does not own it at %s (unconfirmed_purchase_window after that attempt), the number "+
		"leaves the state with a warning.", number, sentAt.UTC().Format(time.RFC3339), settleDeadline(sentAt, window))
}

// unconfirmedReleaseDetail explains a release refused while the purchase
// may still be carried out.
func unconfirmedReleaseDetail(number string, sentAt time.Time, window time.Duration) string {
	return fmt.Sprintf("%s was not released: the account does not own it yet, and its purchase, last attempted at %s, "+
		"may still be carried out until %s. Counting it as released now could leave it bought outside the state. Run "+
		"destroy again once the account owns it, or after that time.", number, sentAt.UTC().Format(time.RFC3339),
		settleDeadline(sentAt, window))
}

// settleUnconfirmed decides a refresh of a number whose purchase is
// unconfirmed and that the account does not own: kept while the purchase
// may still be carried out, removed from the state once it cannot.
func (r *phoneNumberResource) settleUnconfirmed(ctx context.Context, number string, sentAt time.Time, resp *resource.ReadResponse) {
	if time.Since(sentAt) < r.data.settleWindow {
		resp.Diagnostics.AddWarning("Purchase still unconfirmed", unconfirmedDetail(number, sentAt, r.data.settleWindow))
		return // the state stays as it was
	}
	resp.Diagnostics.AddWarning("Purchase never carried out",
		fmt.Sprintf("The purchase of %s, last attempted at %s, had an unclear outcome, and the account still does not own the "+
			"number %s later (unconfirmed_purchase_window): Flowroute did not carry it out. It was removed from the "+
			"state; the next plan offers to buy a number again.", number, sentAt.UTC().Format(time.RFC3339),
			r.data.settleWindow))
	resp.State.RemoveResource(ctx)
}
