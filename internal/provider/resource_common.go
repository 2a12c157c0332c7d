package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// defaultWriteTimeout bounds a create, update or delete, retries included,
// when its timeouts argument is unset.
const defaultWriteTimeout = 10 * time.Minute

// configureResource takes the provider's data in a resource's Configure.
// ProviderData is nil while the provider is not configured yet (validation).
func configureResource(req resource.ConfigureRequest, resp *resource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return nil
	}
	return data
}

// addUnconfigured reports a call before Configure, which the CLI never makes.
func addUnconfigured(diags *diag.Diagnostics) {
	diags.AddError("Unconfigured Flowroute provider",
		"The resource was used before the provider was configured. This is a bug in the provider; please report it.")
}

// addCallError explains a failed call of a resource: what Flowroute answered
// and what to do. what names the call ("Creating the E911 address"), and
// attributes the arguments a rejected request blames.
func addCallError(diags *diag.Diagnostics, summary, what string, err error, attributes string) {
	detail := explainError(err, attributes, what, "its time limit",
		"Run it again, and check that base_url is reachable.")
	if errors.Is(err, flowroute.ErrOutcomeUnknown) {
		detail += "\n\nFlowroute may have acted on the request all the same, and it is not sent again blindly: " +
			"look for the record in the Flowroute portal, and import it (terraform import or tofu import) or " +
			"delete it there before running apply again, or there may be two of it."
	}
	diags.AddError(summary, detail)
}

// addFieldErrors puts each field that Flowroute's refusal names on the
// attribute of that name, or on the resource when it has none, and reports
// whether the refusal named any field.
func addFieldErrors(diags *diag.Diagnostics, err error, record string, attributes map[string]bool) bool {
	var apiErr *flowroute.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	named := false
	for _, obj := range apiErr.Errors {
		for _, field := range slices.Sorted(maps.Keys(obj.Fields)) {
			named = true
			detail := fmt.Sprintf("Flowroute refused the %s's %s: %s (%s %s answered HTTP %d).",
				record, field, obj.Fields[field], apiErr.Method, apiErr.Path, apiErr.StatusCode)
			if attributes[field] {
				diags.AddAttributeError(path.Root(field), "Invalid "+field, detail)
			} else {
				diags.AddError(fmt.Sprintf("Invalid %s", record), detail)
			}
		}
	}
	return named
}

// answered says what Flowroute answered, for a diagnostic that explains the
// answer itself, without the hint that APIError.Error adds for its status.
func answered(err error) string {
	var apiErr *flowroute.APIError
	if !errors.As(err, &apiErr) {
		return err.Error()
	}
	s := fmt.Sprintf("Flowroute answered %s %s with HTTP %d %s", apiErr.Method, apiErr.Path, apiErr.StatusCode,
		http.StatusText(apiErr.StatusCode))
	if details := apiErr.Details(); len(details) > 0 {
		s += ": " + strings.Join(details, "; ")
	}
	return s
}

// addGoneWarning notes a record deleted outside Terraform, which the read
// then removes from the state.
func addGoneWarning(diags *diag.Diagnostics, record, id string) {
	diags.AddWarning(strings.ToUpper(record[:1])+record[1:]+" deleted outside Terraform",
		fmt.Sprintf("Flowroute has no %s with id %s any more: it was deleted outside Terraform, so it is removed "+
			"from the state, and the next apply creates it again.", record, id))
}

// importRecord imports the record whose id the import names.
func importRecord(ctx context.Context, record string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !recordID.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The import id must be the %s's id, the digits Flowroute gave it (such as 21301), got %q.", record, req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
