package provider

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// A setting refused after a purchase is explained as that setting alone:
// "While setting cnam_preset_id ...", and the hint names cnam_preset_id, not
// every setting of the number.
func TestSettingErrorNamesTheSettingThatFailed(t *testing.T) {
	refused := &flowroute.APIError{StatusCode: http.StatusUnprocessableEntity, Method: http.MethodPatch,
		Path:   "/v2/numbers/16502390214/relationships/cnam_preset/7",
		Errors: []flowroute.ErrorObject{{Status: http.StatusUnprocessableEntity, Detail: "CNAM preset is not approved"}}}
	err := &settingError{arguments: "cnam_preset_id", what: `setting cnam_preset_id to "7"`, err: refused}
	detail := recordCall{op: "create", timeout: time.Minute}.explain(err, "The update", failedArguments(err))
	if !strings.HasPrefix(detail, `While setting cnam_preset_id to "7":`) {
		t.Errorf("detail starts %q, want the failed step first", detail)
	}
	if !strings.Contains(detail, "check the arguments cnam_preset_id.") || strings.Contains(detail, "alias") {
		t.Errorf("detail %q: want the hint to name cnam_preset_id alone", detail)
	}
}
