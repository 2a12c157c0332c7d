package provider

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

const checkKeys = "Check the access key and secret key: the provider's access_key and secret_key, or the " +
	"FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY (or FR_ACCESS_KEY and FR_SECRET_KEY) environment variables."

// addReadError explains a failed list call: what Flowroute answered and what
// the user can do about it. arguments names the data source's arguments, for
// the answers that blame them.
func addReadError(diags *diag.Diagnostics, summary string, err error, arguments string, readTimeout time.Duration) {
	detail := explainError(err, arguments, "The read", fmt.Sprintf("timeouts.read (%s)", readTimeout),
		`Raise the limit, for example timeouts = { read = "10m" }, or check that base_url is reachable.`)
	diags.AddError(summary, detail+"\n\nNo partial list was stored: the data source returns the whole list or an error.")
}

// explainError says what went wrong with a call and what to do about it.
// what names the operation ("The read") and limit its time limit, with
// raiseLimit saying how to raise it.
func explainError(err error, arguments, what, limit, raiseLimit string) string {
	var detail strings.Builder
	var apiErr *flowroute.APIError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(&detail, "%s did not finish within %s.", what, limit)
		if errors.As(err, &apiErr) {
			detail.WriteString(" The server had last answered:\n")
			describeAPIError(&detail, apiErr, arguments)
		} else {
			fmt.Fprintf(&detail, "\n%s", err)
		}
		detail.WriteString("\n\n" + raiseLimit)
	case errors.As(err, &apiErr):
		// What the provider was doing, when the error says more than the answer.
		if step := strings.TrimSuffix(strings.TrimSuffix(err.Error(), apiErr.Error()), ": "); step != "" && step != err.Error() {
			fmt.Fprintf(&detail, "While %s:\n", step)
		}
		describeAPIError(&detail, apiErr, arguments)
		if errors.Is(err, flowroute.ErrCNAMNotApproved) {
			detail.WriteString("\n\nThe caller-name preset awaits Flowroute's approval (up to 48 hours; its is_approved " +
				"attribute shows when it is approved), or was rejected (its rejection_reason says why). Apply again once " +
				"it is approved, or leave cnam_preset_id unset meanwhile.")
		}
		if apiErr.RetryAfter > 0 && strings.Contains(err.Error(), "left before the deadline") {
			fmt.Fprintf(&detail, "\n\nIt asked to wait %s before trying again, more than the time left within %s, "+
				"so it was not waited out. %s", apiErr.RetryAfter, limit, raiseLimit)
		}
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(&detail, "%s was cancelled before it finished (was the CLI interrupted?): %s", what, err)
	case errors.As(err, &certErr):
		fmt.Fprintf(&detail, "%s\n\nThe server's TLS certificate could not be verified, and certificates are always "+
			"verified. Check base_url; behind a TLS-inspecting proxy, add its CA to the system's trust store.", err)
	case errors.Is(err, flowroute.ErrNoAnswer):
		fmt.Fprintf(&detail, "%s\n\nNo complete answer came from base_url. Check base_url, the network, and the "+
			"HTTPS_PROXY and NO_PROXY environment variables; raise max_retries for a flaky network.", err)
	case errors.Is(err, flowroute.ErrMalformedResponse), errors.Is(err, flowroute.ErrInconsistentPaging):
		fmt.Fprintf(&detail, "%s\n\nThe server at base_url did not answer the way Flowroute's API does. If base_url "+
			"points at another service or through a proxy that rewrites answers, fix it; otherwise run again, and "+
			"report it if it persists.", err)
	default:
		detail.WriteString(err.Error())
	}
	return detail.String()
}

// describeAPIError writes the answer, its details and the hint for its status.
func describeAPIError(detail *strings.Builder, apiErr *flowroute.APIError, arguments string) {
	who := "Flowroute"
	if !apiErr.FlowrouteFormat() {
		who = "The server at base_url"
	}
	fmt.Fprintf(detail, "%s answered %s %s with HTTP %d %s.",
		who, apiErr.Method, apiErr.Path, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
	for _, d := range apiErr.Details() {
		detail.WriteString("\n- " + d)
	}
	switch {
	case apiErr.Excerpt != "":
		fmt.Fprintf(detail, "\nThe answer was not Flowroute's JSON error format: %q", apiErr.Excerpt)
	case len(apiErr.Errors) == 0:
		detail.WriteString("\nThe answer had an empty body.")
	}
	if hint := statusHint(apiErr, arguments); hint != "" {
		detail.WriteString("\n\n" + hint)
	}
}

// notFromFlowroute is the hint for an answer that did not come in
// Flowroute's error format, where a hint about Flowroute would mislead.
const notFromFlowroute = "The answer did not come in Flowroute's error format, so something in front of the API " +
	"(a proxy, a load balancer) or another service answered. Check base_url, and the HTTPS_PROXY and NO_PROXY " +
	"environment variables."

func statusHint(apiErr *flowroute.APIError, arguments string) string {
	status := apiErr.StatusCode
	if !apiErr.FlowrouteFormat() {
		switch {
		case status >= 300 && status < 400:
		case status == http.StatusTooManyRequests || status >= 500 && status < 600:
			return "The server kept failing through the retries that max_retries allows. " + notFromFlowroute
		default:
			return notFromFlowroute
		}
	}
	switch {
	case status >= 300 && status < 400:
		return "The answer was a redirect, which the provider does not follow: it would take the keys elsewhere. " +
			"Check base_url: it must be the root of the Numbers API v2 itself, such as " + flowroute.DefaultBaseURL + "."
	case status == http.StatusUnauthorized:
		return checkKeys + " Keys can expire; current ones are in the Flowroute portal under " +
			"Manage > Preferences > API Control."
	case status == http.StatusForbidden && apiErr.Method != http.MethodGet && saysWhy(apiErr):
		return "Flowroute refused the request for the reason it gives above."
	case status == http.StatusForbidden:
		return "The keys may not use this endpoint. " + checkKeys + " Check the account's API permissions in the " +
			"Flowroute portal too."
	case status == http.StatusNotFound && apiErr.Method != http.MethodGet:
		return "Flowroute does not know what the request names: check the ids in the arguments " + arguments +
			", and that the account owns the number."
	case status == http.StatusNotFound || status == http.StatusNotImplemented:
		return "Check base_url: it must be the root of the Numbers API v2, such as " + flowroute.DefaultBaseURL + "."
	case (status == http.StatusUnprocessableEntity || status == http.StatusBadRequest) && arguments == "":
		return "Flowroute rejected a request that takes no arguments. This is a bug in the provider; please report it."
	case (status == http.StatusUnprocessableEntity || status == http.StatusBadRequest) && apiErr.Method != http.MethodGet:
		return "Flowroute refused a value: check the arguments " + arguments + "."
	case status == http.StatusUnprocessableEntity || status == http.StatusBadRequest:
		return "Flowroute rejected a query value: check the arguments " + arguments + "."
	case status == http.StatusTooManyRequests:
		return "Flowroute's rate limit was still exceeded after the retries that max_retries allows. " +
			"Wait and run again, or raise max_retries in the provider block."
	case status >= 500 && status < 600:
		return "Flowroute's service failed, and kept failing through the retries that max_retries allows. " +
			"Run again later; if it persists, check Flowroute's status page."
	}
	return ""
}

// saysWhy reports an answer with a detail: a write refused with a reason
// (a route in use, an approved preset) is not about the keys.
func saysWhy(apiErr *flowroute.APIError) bool {
	for _, e := range apiErr.Errors {
		if e.Detail != "" {
			return true
		}
	}
	return false
}
