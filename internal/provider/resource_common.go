package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// defaultWriteTimeout bounds a create, update or delete, retries included,
// when its timeouts argument is unset.
const defaultWriteTimeout = 10 * time.Minute

// configureResource takes the provider's data in a resource's Configure.
// ProviderData is nil while the provider is not configured yet (validation).
func configureResource(req resource.ConfigureRequest, resp *resource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return nil
	}
	return data
}
