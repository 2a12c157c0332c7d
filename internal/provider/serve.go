package provider

import (
	"context"
	"os"
	runtimedebug "runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// Serve serves the provider to the CLI that started it, until the CLI is
// done with it; with debug, to a debugger instead (see -debug).
func Serve(ctx context.Context, version string, debug bool) error {
	if !debug {
		SetUpProcess()
	}
	return providerserver.Serve(ctx, New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/flowroute-community/flowroute",
		Debug:           debug,
		ProtocolVersion: 6,
	})
}

// SetUpProcess readies the process for serving the CLI, as Serve does: no
// logs that nobody reads, and fewer garbage collections. The benchmarks'
// do-nothing provider (tools/noop-provider) calls it too, so that it is
// measured in the same conditions.
func SetUpProcess() {
	silenceUnreadLogs()
	if os.Getenv("GOGC") == "" {
		// The CLI starts a provider process for each command, and its live
		// heap stays small (the schema, the requests in flight): collecting
		// less often saves CPU on every request, for some memory (44 MB
		// more at the peak of a plan refreshing 200 numbers).
		runtimedebug.SetGCPercent(gcPercent)
	}
}

// gcPercent is the garbage collector's target unless GOGC sets it: the heap
// may grow to five times its live size before a collection, not twice.
const gcPercent = 400

// providerLogLevelEnvVar sets the level of this provider's own logs (tflog);
// terraform-plugin-go names it after the provider's type.
const providerLogLevelEnvVar = "TF_LOG_PROVIDER_FLOWROUTE"

// logLevelEnvVars set the levels of the SDK's logs, of its subsystems that
// log each request, and of the provider's own.
var logLevelEnvVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", providerLogLevelEnvVar}

// silenceUnreadLogs turns the SDK's and the provider's logs off when no
// TF_LOG* variable is set: the CLI then discards every log line a provider
// writes, but the SDK formats its trace logs all the same, which cost more
// CPU than the provider's own work (docs/benchmarks.md). The levels are set
// through the variables that terraform-plugin-go and the framework read for
// each request, so any TF_LOG* setting, such as TF_LOG=TRACE, leaves every
// log as it was.
func silenceUnreadLogs() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range logLevelEnvVars {
		_ = os.Setenv(name, "OFF")
	}
}

// providerLogsOff reports whether this provider's own logs are off, so that
// nothing need be prepared for them.
func providerLogsOff() bool {
	return strings.EqualFold(os.Getenv(providerLogLevelEnvVar), "off")
}
