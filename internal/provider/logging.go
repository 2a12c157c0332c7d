package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

// tflogMu serialises the client's log calls: the client fetches pages
// concurrently, and tflog's masking rewrites the field map that the request's
// context shares between goroutines in place.
var tflogMu sync.Mutex

// logToTflog routes the client's logs to the CLI's log, with the masks and
// fields of the request's context.
func logToTflog(ctx context.Context, level flowroute.LogLevel, msg string, fields map[string]any) {
	tflogMu.Lock()
	defer tflogMu.Unlock()
	switch level {
	case flowroute.LogTrace:
		tflog.Trace(ctx, msg, fields)
	case flowroute.LogDebug:
		tflog.Debug(ctx, msg, fields)
	case flowroute.LogInfo:
		tflog.Info(ctx, msg, fields)
	case flowroute.LogWarn:
		tflog.Warn(ctx, msg, fields)
	default:
		tflog.Error(ctx, msg, fields)
	}
}
