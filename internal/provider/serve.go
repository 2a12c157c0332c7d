package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
)

// Serve serves the provider to the CLI that started it, until the CLI is
// done with it; with debug, to a debugger instead (see -debug).
func Serve(ctx context.Context, version string, debug bool) error {
	return providerserver.Serve(ctx, New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/flowroute-community/flowroute",
		Debug:           debug,
		ProtocolVersion: 6,
	})
}
