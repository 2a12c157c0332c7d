package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// settingsArguments are the arguments an update of a number applies.
const settingsArguments = "alias, cnam_lookups_enabled, messaging_enabled, primary_route_id, failover_route_id, " +
	"e911_address_id, cnam_preset_id and the callback URLs"

// converge sends what it takes to bring the number from current (what the
// account has) to plan, and records each success in current, so that a
// failure part way leaves current true to the account. Notes say what the
// API accepted to do later.
func (r *phoneNumberResource) converge(ctx context.Context, number string, plan phoneNumberModel, current *phoneNumberModel) (notes []string, err error) {
	if u := settingsUpdate(plan, *current); u != (flowroute.NumberUpdate{}) {
		owned, err := r.data.client.UpdateNumber(ctx, number, u)
		if err != nil {
			return nil, &settingError{arguments: "alias, cnam_lookups_enabled and messaging_enabled",
				what: "setting alias, cnam_lookups_enabled and messaging_enabled", err: err}
		}
		current.fillSettings(owned)
	}
	notes, err = r.convergeAttachments(ctx, number, plan, current)
	if err != nil {
		return notes, err
	}
	return notes, r.convergeCallbacks(ctx, number, plan, current)
}

// settingError is a failed request of an update, with the arguments it
// applied, so that a diagnostic names those and not every setting.
type settingError struct {
	arguments string // such as "cnam_preset_id"
	what      string // such as `setting cnam_preset_id to "7"`
	err       error
}

func (e *settingError) Error() string { return e.what + ": " + e.err.Error() }
func (e *settingError) Unwrap() error { return e.err }

// failedArguments names the arguments a failed update was applying.
func failedArguments(err error) string {
	var setting *settingError
	if errors.As(err, &setting) {
		return setting.arguments
	}
	return settingsArguments
}

// settingsUpdate is the one update that brings the number's own settings
// from current to plan; the zero update when they agree. An alias removed
// from the configuration is cleared; a setting left unset is the account's.
func settingsUpdate(plan, current phoneNumberModel) flowroute.NumberUpdate {
	var u flowroute.NumberUpdate
	if !plan.Alias.IsUnknown() && !plan.Alias.Equal(current.Alias) {
		u.Alias = ptrTo(plan.Alias.ValueString()) // "" clears it
	}
	u.CNAMLookupsEnabled = changedBool(plan.CNAMLookupsEnabled, current.CNAMLookupsEnabled)
	u.MessagingEnabled = changedBool(plan.MessagingEnabled, current.MessagingEnabled)
	return u
}

// changedBool is want when it is set and differs from have, else nil.
func changedBool(want, have types.Bool) *bool {
	if want.IsNull() || want.IsUnknown() || want.Equal(have) {
		return nil
	}
	return want.ValueBoolPointer()
}

// fillSettings takes the number's own settings from the account.
func (m *phoneNumberModel) fillSettings(owned *flowroute.AccountNumber) {
	m.Alias = types.StringPointerValue(owned.Alias)
	m.CNAMLookupsEnabled = types.BoolPointerValue(owned.CNAMLookupsEnabled)
	m.MessagingEnabled = types.BoolPointerValue(owned.MessagingEnabled)
}
