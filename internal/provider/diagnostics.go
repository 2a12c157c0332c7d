package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// addReadError explains a failed list call: what Flowroute answered and what
// the user can do about it. arguments names the data source's arguments, for
// the answers that blame them.
func addReadError(diags *diag.Diagnostics, summary string, err error, arguments string, readTimeout time.Duration) {
	var detail strings.Builder
	var apiErr *flowroute.APIError
	switch {
	case errors.As(err, &apiErr):
		fmt.Fprintf(&detail, "Flowroute answered %s %s with HTTP %d %s.",
			apiErr.Method, apiErr.Path, apiErr.StatusCode, http.StatusText(apiErr.StatusCode))
		for _, e := range apiErr.Errors {
			detail.WriteString("\n- " + describeErrorObject(e))
		}
		if len(apiErr.Errors) == 0 && apiErr.Excerpt != "" {
			fmt.Fprintf(&detail, "\nThe answer was not Flowroute's JSON error format: %q", apiErr.Excerpt)
		}
		if hint := statusHint(apiErr.StatusCode, arguments); hint != "" {
			detail.WriteString("\n\n" + hint)
		}
	case errors.Is(err, context.DeadlineExceeded):
		fmt.Fprintf(&detail, "The read did not finish within timeouts.read (%s): %s\n\n"+
			"Raise the limit, for example timeouts = { read = \"10m\" }, or check that base_url is reachable.",
			readTimeout, err)
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(&detail, "The read was cancelled before it finished (was the CLI interrupted?): %s", err)
	default:
		detail.WriteString(err.Error())
	}
	detail.WriteString("\n\nNo partial list was stored: the data source returns the whole list or an error.")
	diags.AddError(summary, detail.String())
}

func describeErrorObject(e flowroute.ErrorObject) string {
	var parts []string
	if e.Title != "" {
		parts = append(parts, e.Title)
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	text := strings.Join(parts, ": ")
	if text == "" {
		text = "(no detail given)"
	}
	if e.ID != "" {
		text += " (error id " + e.ID + ")"
	}
	return text
}

func statusHint(status int, arguments string) string {
	switch {
	case status >= 300 && status < 400:
		return "The answer was a redirect, which the provider does not follow: it would take the keys elsewhere. " +
			"Check base_url: it must be the root of the Numbers API v2 itself, such as " + flowroute.DefaultBaseURL + "."
	case status == http.StatusUnauthorized:
		return "Check the access key and secret key: the provider's access_key and secret_key, or the " +
			"FLOWROUTE_ACCESS_KEY and FLOWROUTE_SECRET_KEY environment variables. Keys can expire; current ones are " +
			"in the Flowroute portal under Manage > Preferences > API Control."
	case status == http.StatusForbidden:
		return "The keys may not use this endpoint. Check the access key and secret key, and the account's API " +
			"permissions in the Flowroute portal."
	case status == http.StatusNotFound:
		return "Check base_url: it must be the root of the Numbers API v2, such as " + flowroute.DefaultBaseURL + "."
	case status == http.StatusUnprocessableEntity || status == http.StatusBadRequest:
		return "Flowroute rejected a query value: check the arguments " + arguments + "."
	case status == http.StatusTooManyRequests:
		return "Flowroute's rate limit was still exceeded after the retries that max_retries allows. " +
			"Wait and run again, or raise max_retries in the provider block."
	case status >= 500:
		return "Flowroute's service failed, and kept failing through the retries that max_retries allows. " +
			"Run again later; if it persists, check Flowroute's status page."
	}
	return ""
}
