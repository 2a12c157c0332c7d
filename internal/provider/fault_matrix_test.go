package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

// faultInventorySize makes every listing three pages of 400.
const faultInventorySize = 1000

// faultRow is one fault of the matrix: what the simulator does, and either the
// exact list the data source must return or the error it must give.
type faultRow struct {
	name      string
	inventory *simulator.Inventory // nil: faultInventorySize synthetic area codes
	faults    []simulator.Fault    // Path defaults to the area codes endpoint
	arguments string               // the data source's arguments
	wrongKey  bool                 // the provider sends a wrong secret key
	wantList  func(all []string) []string
	wantError []string
}

func page(n int) *int { offset := (n - 1) * 400; return &offset }

func allOf(all []string) []string { return all }

// TestAccFaultMatrix runs one listing per fault through the CLI. Transient
// faults fire a bounded number of times (Times), so a right list proves the
// retry; faults that must not be retried fire once, so an error proves no
// retry happened. An error step leaves no state: never a partial list.
func TestAccFaultMatrix(t *testing.T) {
	rows := []faultRow{
		{name: "401 wrong keys", wrongKey: true,
			wantError: []string{"HTTP 401", "Authentication failed.", "Check the access key and secret key"}},
		{name: "403 not retried", faults: []simulator.Fault{{Status: 403, Times: 1, Offset: page(1)}},
			wantError: []string{"HTTP 403", "Check the access key and secret key"}},
		{name: "404 not retried", faults: []simulator.Fault{{Status: 404, Times: 1, Offset: page(1)}},
			wantError: []string{"HTTP 404", "Check base_url"}},
		{name: "422 not retried", faults: []simulator.Fault{{Status: 422, Times: 1, Offset: page(2)}},
			wantError: []string{"HTTP 422", "check the arguments limit, offset, max_setup_cost and state"}},
		{name: "429 retried", faults: []simulator.Fault{{Status: 429, Times: 2}}, wantList: allOf},
		{name: "429 with Retry-After retried", faults: []simulator.Fault{{Status: 429, RetryAfter: "1", Times: 1}}, wantList: allOf},
		{name: "429 beyond max_retries", faults: []simulator.Fault{{Status: 429, Offset: page(1)}},
			wantError: []string{"HTTP 429", "rate limit was still exceeded", "raise max_retries"}},
		{name: "500 retried", faults: []simulator.Fault{{Status: 500, Times: 2}}, wantList: allOf},
		{name: "502 retried", faults: []simulator.Fault{{Status: 502, Times: 2}}, wantList: allOf},
		{name: "503 retried", faults: []simulator.Fault{{Status: 503, Times: 2}}, wantList: allOf},
		{name: "504 retried", faults: []simulator.Fault{{Status: 504, Times: 2}}, wantList: allOf},
		{name: "503 beyond max_retries", faults: []simulator.Fault{{Status: 503, Offset: page(1)}},
			wantError: []string{"HTTP 503", "kept failing through the retries"}},
		{name: "307 redirect answer", faults: []simulator.Fault{{Status: 307, Times: 1, Offset: page(1)}},
			wantError: []string{"HTTP 307", "redirect, which the provider does not follow", "Check base_url"}},
		{name: "501 not retried", faults: []simulator.Fault{{Status: 501, Times: 1, Offset: page(1)}},
			wantError: []string{"HTTP 501", "Check base_url"}},
		{name: "connection reset retried", faults: []simulator.Fault{{ResetConnection: true, Times: 2}}, wantList: allOf},
		{name: "connection reset beyond max_retries", faults: []simulator.Fault{{ResetConnection: true, Offset: page(1)}},
			wantError: []string{"request failed after 5 attempts", "No complete answer came from base_url"}},
		{name: "server slower than timeouts.read", arguments: `timeouts = { read = "1s" }`,
			faults:    []simulator.Fault{{Latency: 30 * time.Second, Offset: page(1)}},
			wantError: []string{"did not finish within timeouts.read (1s)", `timeouts = { read = "10m" }`}},
		{name: "HTML error page", faults: []simulator.Fault{{Status: 502, Body: simulator.BodyHTML, Offset: page(1)}},
			wantError: []string{"HTTP 502", "not Flowroute's JSON error format", "<"}},
		{name: "HTML page with status 200", faults: []simulator.Fault{{Body: simulator.BodyHTML, Times: 1, Offset: page(2)}},
			wantError: []string{"malformed response"}},
		{name: "empty body", faults: []simulator.Fault{{Body: simulator.BodyEmpty, Times: 1, Offset: page(2)}},
			wantError: []string{"malformed response", "did not answer the way Flowroute's API does"}},
		{name: "empty body with status 502", faults: []simulator.Fault{{Status: 502, Body: simulator.BodyEmpty, Offset: page(1)}},
			wantError: []string{"HTTP 502", "The answer had an empty body", "kept failing through the retries"}},
		{name: "truncated JSON", faults: []simulator.Fault{{Body: simulator.BodyTruncated, Times: 1, Offset: page(2)}},
			wantError: []string{"malformed response"}},
		{name: "malformed JSON", faults: []simulator.Fault{{Body: simulator.BodyMalformed, Times: 1, Offset: page(3)}},
			wantError: []string{"malformed response"}},
		{name: "page larger than asked", faults: []simulator.Fault{{ExtraItems: 5, Times: 1, Offset: page(2)}},
			wantError: []string{"more than the 400 asked for", "did not answer the way Flowroute's API does"}},
		// The last page starts 10 items early: the repeats are dropped and nothing is missed.
		{name: "duplicates across pages", faults: []simulator.Fault{{Overlap: 10, Offset: page(3)}}, wantList: allOf},
		// Only the link is stuck: the provider builds its own page URLs, so the listing still ends.
		{name: "next link never advances", faults: []simulator.Fault{{StuckNext: true}}, wantList: allOf},
		{name: "server repeating itself", faults: []simulator.Fault{{StuckNext: true, Overlap: 1 << 20}},
			wantError: []string{"repeats items already received"}},
		{name: "next link to a foreign host", faults: []simulator.Fault{{ForeignNext: "FOREIGN"}}, wantList: allOf},
		{name: "empty inventory", inventory: &simulator.Inventory{}, wantList: func([]string) []string { return []string{} }},
		{name: "offset past the end", arguments: fmt.Sprintf("offset = %d", faultInventorySize+1),
			wantList: func([]string) []string { return []string{} }},
		{name: "fault on page 2 of 3", faults: []simulator.Fault{{Status: 500, Offset: page(2)}},
			wantError: []string{"HTTP 500", "kept failing through the retries"}},
		{name: "transient fault on page 2 of 3", faults: []simulator.Fault{{Status: 500, Times: 1, Offset: page(2)}}, wantList: allOf},
		{name: "body cut off retried", faults: []simulator.Fault{{Body: simulator.BodyCutOff, Times: 2, Offset: page(2)}}, wantList: allOf},
		{name: "body cut off beyond max_retries", faults: []simulator.Fault{{Body: simulator.BodyCutOff, Offset: page(1)}},
			wantError: []string{"request failed after 5 attempts", "unexpected EOF", "No complete answer came from base_url"}},
		// factories() limits each attempt to attemptTimeout.
		{name: "stalled body retried", faults: []simulator.Fault{{Body: simulator.BodyStall, Times: 1, Offset: page(1)}}, wantList: allOf},
		{name: "page echoing the headers", faults: []simulator.Fault{{Status: 502, Body: simulator.BodyEchoHeaders, Offset: page(1)}},
			wantError: []string{"The server at base_url answered", "HTTP 502", "[redacted]", "kept failing through the retries",
				"did not come in Flowroute's error format"}},
		{name: "422 page echoing the headers", faults: []simulator.Fault{{Status: 422, Body: simulator.BodyEchoHeaders, Offset: page(1)}},
			wantError: []string{"The server at base_url answered", "HTTP 422", "[redacted]", "did not come in Flowroute's error format"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) { row.run(t) })
	}
}

func (row faultRow) run(t *testing.T) {
	// A host that must never be contacted, let alone sent the keys.
	var foreignRequests atomic.Int64
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		foreignRequests.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	t.Cleanup(foreign.Close)

	inventory := row.inventory
	if inventory == nil {
		inventory = simulator.SyntheticAreaCodes(faultInventorySize)
	}
	env := newTestEnv(t, simulator.Options{Inventory: inventory})
	for _, f := range row.faults {
		if f.Path == "" {
			f.Path = areaCodesPath
		}
		if f.ForeignNext == "FOREIGN" {
			f.ForeignNext = foreign.URL + "/v2/numbers/available/areacodes?limit=400&offset=400"
		}
		env.sim.AddFault(f)
	}
	config := env.providerConfig()
	if row.wrongKey {
		config = strings.Replace(config, testSecretKey, "not-the-secret-key", 1)
	}
	config += fmt.Sprintf("\ndata \"flowroute_available_areacodes\" \"test\" {\n  %s\n}\n", row.arguments)

	step := resource.TestStep{Config: config}
	if row.wantError != nil {
		step.ExpectError = errorPattern(append([]string{"Unable to list available area codes"}, row.wantError...)...)
	} else {
		step.ConfigStateChecks = []statecheck.StateCheck{env.expectAreaCodes(row.wantList(inventory.AreaCodes(nil)))}
		step.Check = func(*terraform.State) error {
			for _, r := range env.sim.Requests() {
				if got := r.Query.Get("limit"); got != "400" {
					return fmt.Errorf("request with limit=%s, want pages of 400", got)
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps:                    []resource.TestStep{step},
	})
	if n := foreignRequests.Load(); n != 0 {
		t.Errorf("the foreign host got %d requests, want none", n)
	}
}

// secretRuns are the 10-character runs of the secret key, of the
// access:secret pair and of its base64 form, less those of the access key.
func secretRuns(accessKey, secretKey string) []string {
	var runs []string
	for _, form := range flowroute.SecretForms(accessKey, secretKey) {
		for i := 0; i+10 <= len(form); i++ {
			if !strings.Contains(accessKey, form[i:i+10]) {
				runs = append(runs, form[i:i+10])
			}
		}
	}
	return runs
}

// A server that echoes the request's headers (a proxy's error page) must not
// bring any part of the secret into the CLI's output or its TRACE log, and
// such a page gets no hint that speaks for Flowroute.
func TestAccEchoedCredentialsRedacted(t *testing.T) {
	logFile := t.TempDir() + "/trace.log"
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_ACCESS_KEY", testAccessKey)
	t.Setenv("FLOWROUTE_SECRET_KEY", testSecretKey)
	runs := secretRuns(testAccessKey, testSecretKey)

	for _, status := range []int{http.StatusBadGateway, http.StatusUnprocessableEntity, http.StatusOK} {
		env := newTestEnv(t, simulator.Options{})
		env.sim.AddFault(simulator.Fault{Path: areaCodesPath, Status: status, Body: simulator.BodyEchoHeaders})
		var output string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(),
			ErrorCheck: func(err error) error {
				output = err.Error()
				return nil
			},
			Steps: []resource.TestStep{{Config: env.keysFromEnvironmentConfig(2)}},
		})
		if output == "" {
			t.Fatalf("status %d: the read did not fail", status)
		}
		if !strings.Contains(output, "[redacted]") && status != http.StatusOK {
			t.Errorf("status %d: output %q does not show the cut", status, output)
		}
		for _, run := range runs {
			if strings.Contains(output, run) {
				t.Errorf("status %d: the CLI's output shows %q of the secret: %s", status, run, output)
				break
			}
		}
		if strings.Contains(output, "Flowroute rejected") {
			t.Errorf("status %d: a page from elsewhere got a Flowroute hint: %s", status, output)
		}
	}
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "sending request") {
		t.Fatalf("the TRACE log (%d bytes) has no provider request line", len(logs))
	}
	for _, run := range runs {
		if strings.Contains(string(logs), run) {
			t.Errorf("the TRACE log shows %q of the secret", run)
			break
		}
	}
}
