package provider

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	for name, tc := range map[string]struct {
		env    map[string]string
		silent bool
	}{
		"no TF_LOG variable":    {silent: true},
		"TF_LOG empty":          {env: map[string]string{"TF_LOG": ""}, silent: true},
		"TF_LOG=TRACE":          {env: map[string]string{"TF_LOG": "TRACE"}},
		"TF_LOG_PROVIDER only":  {env: map[string]string{"TF_LOG_PROVIDER": "DEBUG"}},
		"TF_LOG_PATH only":      {env: map[string]string{"TF_LOG_PATH": "/tmp/tf.log"}},
		"TF_LOG_SDK_PROTO only": {env: map[string]string{"TF_LOG_SDK_PROTO": "TRACE"}},
	} {
		t.Run(name, func(t *testing.T) {
			clearLogEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			silenceUnreadLogs()
			for _, v := range logLevelEnvVars {
				got, want := os.Getenv(v), tc.env[v]
				if tc.silent {
					want = "OFF"
				}
				if got != want {
					t.Errorf("%s = %q, want %q", v, got, want)
				}
			}
			if providerLogsOff() != tc.silent {
				t.Errorf("providerLogsOff() = %v, want %v", providerLogsOff(), tc.silent)
			}
		})
	}
}

// clearLogEnv unsets every TF_LOG* variable for the test, restoring them
// after it.
func clearLogEnv(t *testing.T) {
	t.Helper()
	names := slices.Clone(logLevelEnvVars)
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			names = append(names, name)
		}
	}
	for _, name := range names {
		t.Setenv(name, "")
		if err := os.Unsetenv(name); err != nil {
			t.Fatal(err)
		}
	}
}
