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

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// defaultWriteTimeout bounds a create, update or delete, retries included,
// when its timeouts argument is unset.
const defaultWriteTimeout = 10 * time.Minute

// addUnconfigured reports a call before Configure, which the CLI never makes.
func addUnconfigured(diags *diag.Diagnostics) {
	diags.AddError("Unconfigured Flowroute provider",
		"The resource was used before the provider was configured. This is a bug in the provider; please report it.")
}

// recordTimeoutsAttribute is timeouts = { create, read, update, delete } of
// a record resource.
func recordTimeoutsAttribute(ctx context.Context) schema.Attribute {
	return resourceTimeoutsAttribute(ctx, "How long the creation may take, retries included. Defaults to `10m`.",
		"How long the deletion may take, retries included. Defaults to `10m`.")
}

// resourceTimeoutsAttribute is timeouts = { create, read, update, delete },
// create and delete described as the resource does them.
func resourceTimeoutsAttribute(ctx context.Context, createDescription, deleteDescription string) schema.Attribute {
	attr := timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: createDescription,
		ReadDescription:   "How long a refresh may take, retries included. Defaults to `5m`.",
		UpdateDescription: "How long an update may take, retries included. Defaults to `10m`.",
		DeleteDescription: deleteDescription,
	})
	if nested, ok := attr.(schema.SingleNestedAttribute); ok {
		nested.Description = "Time limits for this resource's operations, as durations such as `30s` or `10m`."
		nested.Validators = append(nested.Validators, positiveTimeouts{})
		return nested
	}
	return attr
}

// recordCall is one operation of a resource within its time limit.
type recordCall struct {
	op      string // "create", "read", "update" or "delete", as in timeouts
	timeout time.Duration
}

// startCall bounds ctx by the operation's time limit, with the secrets
// masked; ok is false when the limit cannot be read.
func startCall(ctx context.Context, data *providerData, limits timeouts.Value, op string,
	diags *diag.Diagnostics) (context.Context, context.CancelFunc, recordCall, bool) {
	var (
		timeout    time.Duration
		limitDiags diag.Diagnostics
	)
	switch op {
	case "create":
		timeout, limitDiags = limits.Create(ctx, defaultWriteTimeout)
	case "read":
		timeout, limitDiags = limits.Read(ctx, defaultReadTimeout)
	case "update":
		timeout, limitDiags = limits.Update(ctx, defaultWriteTimeout)
	case "delete":
		timeout, limitDiags = limits.Delete(ctx, defaultWriteTimeout)
	}
	diags.Append(limitDiags...)
	if diags.HasError() {
		return ctx, func() {}, recordCall{}, false
	}
	ctx, cancel := context.WithTimeout(data.maskSecrets(ctx), timeout)
	return ctx, cancel, recordCall{op: op, timeout: timeout}, true
}

// callWords are how messages name each operation, and the limit they
// suggest raising it to: twice its default.
var callWords = map[string]struct{ what, raisedLimit string }{
	"create": {"The creation", "20m"},
	"read":   {"The refresh", "10m"},
	"update": {"The update", "20m"},
	"delete": {"The deletion", "20m"},
}

// explain says what Flowroute answered to a failed call and what to do.
// what names the operation, such as "The update", and attributes the
// arguments a rejected request blames.
func (c recordCall) explain(err error, what, attributes string) string {
	return explainError(err, attributes, what, fmt.Sprintf("timeouts.%s (%s)", c.op, c.timeout),
		fmt.Sprintf(`Raise the limit, for example timeouts = { %s = %q }.`, c.op, callWords[c.op].raisedLimit))
}

// addCallError explains a failed call of a record resource, which may have
// made a record all the same when its outcome is unknown.
func addCallError(diags *diag.Diagnostics, summary string, call recordCall, err error, attributes string) {
	detail := call.explain(err, callWords[call.op].what, attributes)
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

// importRecord imports the record whose id the import names, by import ID
// or by identity.
func importRecord(ctx context.Context, record string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what := importedID(ctx, idIdentity, req, &resp.Diagnostics)
	if !recordID.MatchString(id) {
		resp.Diagnostics.AddError("Invalid "+what,
			fmt.Sprintf("The %s must be the %s's id, the digits Flowroute gave it (such as 21301), got %q.", what, record, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
}
