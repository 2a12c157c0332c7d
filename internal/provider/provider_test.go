package provider

import (
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

const (
	testAccessKey = "acc-test-access-key"
	testSecretKey = "acc-test-secret-7Qm2xV9"
)

// credentialEnvVars are cleared by tests that depend on which of them is set.
var credentialEnvVars = append(append(append([]string{}, accessKeyEnvVars...), secretKeyEnvVars...), baseURLEnvVars...)

// testEnv is one simulator behind a loopback HTTP server.
type testEnv struct {
	sim     *simulator.Server
	baseURL string
}

func newTestEnv(t *testing.T, opts simulator.Options) *testEnv {
	t.Helper()
	if opts.AccessKey == "" {
		opts.AccessKey, opts.SecretKey = testAccessKey, testSecretKey
	}
	sim := simulator.New(opts)
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)
	return &testEnv{sim: sim, baseURL: server.URL + "/v2"}
}

// providerConfig is a provider block with the test keys, pointed at the simulator.
func (e *testEnv) providerConfig() string {
	return keysConfig(fmt.Sprintf("base_url   = %q", e.baseURL))
}

// keysConfig is a provider block with the test keys and the extra arguments.
func keysConfig(extra string) string {
	return fmt.Sprintf(`
provider "flowroute" {
  access_key = %q
  secret_key = %q
  %s
}
`, testAccessKey, testSecretKey, extra)
}

// keysFromEnvironmentConfig lists limit area codes with a provider block
// that leaves the keys to the environment.
func (e *testEnv) keysFromEnvironmentConfig(limit int) string {
	return fmt.Sprintf(`
provider "flowroute" {
  base_url = %q
}

data "flowroute_available_areacodes" "test" {
  limit = %d
}
`, e.baseURL, limit)
}

// attemptTimeout cuts a stalled attempt quickly in the tests.
const attemptTimeout = 2 * time.Second

// factories serves the provider in-process, with retry waits short enough
// that retried faults keep the tests fast.
func factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"flowroute": providerserver.NewProtocol6WithError(&flowrouteProvider{
			version: "test",
			clientOptions: []flowroute.Option{
				flowroute.WithRetryWait(time.Millisecond, 20*time.Millisecond),
				flowroute.WithAttemptTimeout(attemptTimeout),
			},
		}),
	}
}

// errorPattern matches the phrases in order, however the CLI wraps the lines
// of a diagnostic.
func errorPattern(phrases ...string) *regexp.Regexp {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}

func ptr[T any](v T) *T { return &v }

func clearCredentialEnv(t *testing.T) {
	t.Helper()
	for _, name := range credentialEnvVars {
		t.Setenv(name, "")
	}
}

const areaCodesAddress = "data.flowroute_available_areacodes.test"

func expectAreaCodeCount(n int) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(areaCodesAddress, tfjsonpath.New("area_codes"), knownvalue.ListSizeExact(n))
}

func TestAccProvider_credentialsFromEnvironment(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	config := env.keysFromEnvironmentConfig(3)

	for _, tc := range []struct {
		name string
		vars map[string]string
	}{
		{"FLOWROUTE_names", map[string]string{"FLOWROUTE_ACCESS_KEY": testAccessKey, "FLOWROUTE_SECRET_KEY": testSecretKey}},
		{"FR_names", map[string]string{"FR_ACCESS_KEY": testAccessKey, "FR_SECRET_KEY": testSecretKey}},
		{"FLOWROUTE_names_win_over_FR", map[string]string{
			"FLOWROUTE_ACCESS_KEY": testAccessKey, "FLOWROUTE_SECRET_KEY": testSecretKey,
			"FR_ACCESS_KEY": "stale", "FR_SECRET_KEY": "stale",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range tc.vars {
				t.Setenv(k, v)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:            config,
					ConfigStateChecks: []statecheck.StateCheck{expectAreaCodeCount(3)},
				}},
			})
		})
	}
}

func TestAccProvider_configOverridesEnvironment(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_ACCESS_KEY", "wrong-access-key")
	t.Setenv("FLOWROUTE_SECRET_KEY", "wrong-secret-key")
	t.Setenv("FLOWROUTE_BASE_URL", "http://127.0.0.1:1/v2")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:            env.providerConfig() + `data "flowroute_available_areacodes" "test" { limit = 1 }`,
			ConfigStateChecks: []statecheck.StateCheck{expectAreaCodeCount(1)},
		}},
	})
}

func TestAccProvider_baseURLFromEnvironment(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_BASE_URL", env.baseURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:            keysConfig("") + `data "flowroute_available_areacodes" "test" { limit = 2 }`,
			ConfigStateChecks: []statecheck.StateCheck{expectAreaCodeCount(2)},
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	clearCredentialEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "flowroute" {
  base_url = %q
}

data "flowroute_available_areacodes" "test" {}
`, env.baseURL),
				ExpectError: errorPattern("Missing Flowroute access key", "FLOWROUTE_ACCESS_KEY or FR_ACCESS_KEY"),
			},
			{
				Config: fmt.Sprintf(`
provider "flowroute" {
  base_url   = %q
  access_key = "some-access-key"
}

data "flowroute_available_areacodes" "test" {}
`, env.baseURL),
				ExpectError: errorPattern("Missing Flowroute secret key", "FLOWROUTE_SECRET_KEY or FR_SECRET_KEY"),
			},
		},
	})
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none without credentials", n)
	}
}

func TestAccProvider_unknownCredentials(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	clearCredentialEnv(t)
	for _, attr := range []string{"access_key", "secret_key", "base_url"} {
		t.Run(attr, func(t *testing.T) {
			values := map[string]string{
				"access_key": fmt.Sprintf("%q", testAccessKey),
				"secret_key": fmt.Sprintf("%q", testSecretKey),
				"base_url":   fmt.Sprintf("%q", env.baseURL),
			}
			values[attr] = "terraform_data.later.output"
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
resource "terraform_data" "later" {
  input = "known only after apply"
}

provider "flowroute" {
  access_key = %s
  secret_key = %s
  base_url   = %s
}

data "flowroute_available_areacodes" "test" {}
`, values["access_key"], values["secret_key"], values["base_url"]),
					ExpectError: errorPattern("Unknown "+attr, "must be known when the provider is configured",
						map[string]string{"access_key": "FLOWROUTE_ACCESS_KEY", "secret_key": "FLOWROUTE_SECRET_KEY", "base_url": "FLOWROUTE_BASE_URL"}[attr]),
				}},
			})
		})
	}
}

func TestAccProvider_invalidArguments(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	for _, tc := range []struct {
		name, block string
		want        []string
	}{
		{"base_url_scheme", `base_url = "ftp://example.com/v2"`, []string{"Invalid Flowroute base URL", "base_url must be an absolute http or https URL"}},
		{"base_url_relative", `base_url = "api.flowroute.com/v2"`, []string{"Invalid Flowroute base URL"}},
		{"max_retries_negative", fmt.Sprintf("base_url = %q\n  max_retries = -1", env.baseURL), []string{"max_retries value must be at least 0, got: -1"}},
		{"base_url_with_credentials", `base_url = "https://AK:hunter2-pass@api.example.com/v2"`,
			[]string{"Invalid Flowroute base URL", "https://xxxxx@api.example.com/v2", "must not contain credentials"}},
		{"base_url_split_by_password", `base_url = "https://AK:12#hunter2-pass@api.example.com/v2"`,
			[]string{"Invalid Flowroute base URL", "https://xxxxx@api.example.com/v2"}},
		{"access_key_with_colon", fmt.Sprintf("base_url = %q", env.baseURL),
			[]string{"access_key", `must not contain ":", which HTTP basic auth cannot carry`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := keysConfig(tc.block)
			if tc.name == "access_key_with_colon" {
				config = strings.Replace(config, testAccessKey, "acc:test", 1)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      config + `data "flowroute_available_areacodes" "test" {}`,
					PlanOnly:    true,
					ExpectError: errorPattern(tc.want...),
				}},
			})
			if strings.Contains(tc.block, "hunter2") {
				// The CLI echoes the configuration's source line; the provider's
				// own messages are checked through the validator.
				assertNoPassword(t, tc.block)
			}
		})
	}
	if n := env.sim.RequestCount(); n != 0 {
		t.Errorf("the simulator got %d requests, want none for invalid arguments", n)
	}
}

// assertNoPassword checks that the base_url validator's messages for the
// block's URL show no part of its password.
func assertNoPassword(t *testing.T, block string) {
	t.Helper()
	raw := strings.TrimSuffix(strings.TrimPrefix(block, `base_url = "`), `"`)
	var resp validator.StringResponse
	baseURLValidator{}.ValidateString(t.Context(), validator.StringRequest{
		Path: path.Root("base_url"), ConfigValue: types.StringValue(raw),
	}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatalf("%q accepted", raw)
	}
	for _, d := range resp.Diagnostics {
		if strings.Contains(d.Detail(), "hunter2") || strings.Contains(d.Summary(), "hunter2") {
			t.Errorf("diagnostic %q shows the password", d.Detail())
		}
	}
}

// The CLI shows warnings but the test framework cannot assert them, so
// Configure is called directly. It sends no request.
func TestConfigure_plainHTTPWarning(t *testing.T) {
	clearCredentialEnv(t)
	for baseURL, wantWarning := range map[string]bool{
		"http://api.example.com/v2":  true,
		"http://10.1.2.3:8080/v2":    true,
		"http://127.0.0.1:8080/v2":   false,
		"http://[::1]:8080/v2":       false,
		"http://localhost:8080/v2":   false,
		"http://LOCALHOST:8080/v2":   false,
		"http://LocalHost.:8080/v2":  false,
		"https://api.example.com/v2": false,
	} {
		diags := configure(t, map[string]tftypes.Value{
			"access_key": tftypes.NewValue(tftypes.String, testAccessKey),
			"secret_key": tftypes.NewValue(tftypes.String, testSecretKey),
			"base_url":   tftypes.NewValue(tftypes.String, baseURL),
		}).Diagnostics
		if diags.HasError() {
			t.Fatalf("%s: %v", baseURL, diags)
		}
		warned := diags.WarningsCount() == 1 &&
			strings.Contains(diags.Warnings()[0].Detail(), "would cross the network unencrypted")
		if warned != wantWarning {
			t.Errorf("%s: warned = %v (%v), want %v", baseURL, warned, diags, wantWarning)
		}
	}
}

// configure runs the provider's Configure on the given attributes (the
// others null).
func configure(t *testing.T, attrs map[string]tftypes.Value) provider.ConfigureResponse {
	t.Helper()
	ctx := t.Context()
	p := New("test")()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{
		Schema: schemaResp.Schema,
		Raw:    objectValue(t, schemaResp.Schema.Type().TerraformType(ctx), attrs),
	}}, &resp)
	return resp
}

// objectValue builds a schema's object value from the given attributes, the
// others null.
func objectValue(t *testing.T, schemaType tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	objectType, ok := schemaType.(tftypes.Object)
	if !ok {
		t.Fatalf("the schema is not an object: %T", schemaType)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range objectType.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range attrs {
		values[name] = v
	}
	return tftypes.NewValue(objectType, values)
}

// The secret key must not appear in the CLI's or the provider's TRACE logs,
// neither for a successful read nor for a rejected one. The keys come from the
// environment: the test framework logs the configuration text itself.
func TestAccProvider_secretNotLogged(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	logFile := t.TempDir() + "/trace.log"
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_ACCESS_KEY", testAccessKey)
	config := env.keysFromEnvironmentConfig(2)

	t.Setenv("FLOWROUTE_SECRET_KEY", testSecretKey)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{expectAreaCodeCount(2)},
		}},
	})
	wrongSecret := "wrong-secret-Hx4kP0"
	t.Setenv("FLOWROUTE_SECRET_KEY", wrongSecret)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps:                    []resource.TestStep{{Config: config, ExpectError: errorPattern("HTTP 401")}},
	})

	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// Without the provider's own request lines in the log, this test would prove nothing.
	if !strings.Contains(string(logs), "sending request") {
		t.Fatalf("the TRACE log (%d bytes) has no provider request line", len(logs))
	}
	for _, secret := range []string{
		testSecretKey, wrongSecret,
		base64.StdEncoding.EncodeToString([]byte(testAccessKey + ":" + testSecretKey)),
		base64.StdEncoding.EncodeToString([]byte(testAccessKey + ":" + wrongSecret)),
	} {
		if strings.Contains(string(logs), secret) {
			t.Errorf("the TRACE log contains the secret key %q", secret)
		}
	}
}

func TestUserAgent(t *testing.T) {
	got := userAgent("1.2.3", "1.12.6")
	if !regexp.MustCompile(`^terraform-provider-flowroute/1\.2\.3 (Terraform|OpenTofu)/1\.12\.6$`).MatchString(got) {
		t.Errorf("userAgent = %q", got)
	}
	if got := userAgent("1.2.3", ""); got != "terraform-provider-flowroute/1.2.3" {
		t.Errorf("userAgent without a CLI version = %q", got)
	}
	for exe, want := range map[string]string{
		"/root/.cache/terraform-provider-flowroute/tofu-v1.12.6/tofu": "OpenTofu",
		"/usr/local/bin/terraform":                                    "Terraform",
		"/tmp/go-build1/b001/provider.test":                           "Terraform",
		"":                                                            "Terraform",
	} {
		if got := cliName(exe); got != want {
			t.Errorf("cliName(%q) = %q, want %q", exe, got, want)
		}
	}
}

// The user agent reaches Flowroute with the version the CLI reports.
func TestAccProvider_userAgent(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	ua := regexp.MustCompile(`^terraform-provider-flowroute/test (Terraform|OpenTofu)/[0-9]+\.[0-9]+\.[0-9]+`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		Steps: []resource.TestStep{{
			Config: env.providerConfig() + `data "flowroute_available_areacodes" "test" { limit = 1 }`,
			Check: env.expectRequests(func(requests []simulator.Request) error {
				for _, r := range requests {
					if !ua.MatchString(r.UserAgent) {
						return fmt.Errorf("User-Agent %q, want it to match %s", r.UserAgent, ua)
					}
				}
				return nil
			}),
		}},
	})
}

// max_retries bounds the attempts: 1 retry is 2 requests for a page that
// keeps failing, and 0 turns retrying off.
func TestAccProvider_maxRetries(t *testing.T) {
	for _, tc := range []struct {
		maxRetries, times, wantRequests int
	}{
		{maxRetries: 1, times: 0, wantRequests: 2},
		{maxRetries: 0, times: 1, wantRequests: 1},
	} {
		t.Run(fmt.Sprintf("max_retries_%d", tc.maxRetries), func(t *testing.T) {
			env := newTestEnv(t, simulator.Options{})
			env.sim.AddFault(simulator.Fault{Path: areaCodesPath, Status: 503, Times: tc.times})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config: strings.Replace(env.providerConfig(), "provider \"flowroute\" {",
						fmt.Sprintf("provider \"flowroute\" {\n  max_retries = %d", tc.maxRetries), 1) +
						`data "flowroute_available_areacodes" "test" { limit = 1 }`,
					ExpectError: errorPattern("HTTP 503"),
				}},
			})
			if n := env.sim.RequestCount(); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

// Settings that only Configure can check: an unusable FLOWROUTE_BASE_URL and
// a max_retries unknown at plan time.
func TestConfigure_errors(t *testing.T) {
	keys := map[string]tftypes.Value{
		"access_key": tftypes.NewValue(tftypes.String, testAccessKey),
		"secret_key": tftypes.NewValue(tftypes.String, testSecretKey),
	}
	clearCredentialEnv(t)
	t.Setenv("FLOWROUTE_BASE_URL", "ftp://api.example.com/v2")
	diags := configure(t, keys).Diagnostics
	if diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Detail(), "FLOWROUTE_BASE_URL is not usable") {
		t.Errorf("an ftp FLOWROUTE_BASE_URL gave %v", diags)
	}

	t.Setenv("FLOWROUTE_BASE_URL", "https://AK:hunter2@api.example.com/v2")
	diags = configure(t, keys).Diagnostics
	if diags.ErrorsCount() != 1 || strings.Contains(diags.Errors()[0].Detail(), "hunter2") {
		t.Errorf("a FLOWROUTE_BASE_URL with a password gave %v", diags)
	}

	t.Setenv("FLOWROUTE_BASE_URL", "")
	t.Setenv("FLOWROUTE_ACCESS_KEY", "acc:test")
	diags = configure(t, map[string]tftypes.Value{"secret_key": keys["secret_key"]}).Diagnostics
	if diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Detail(), `contains ":"`) {
		t.Errorf("an access key with a colon from the environment gave %v", diags)
	}
	t.Setenv("FLOWROUTE_ACCESS_KEY", "")

	keys["max_retries"] = tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
	diags = configure(t, keys).Diagnostics
	if diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Unknown max_retries" {
		t.Errorf("an unknown max_retries gave %v", diags)
	}
}
