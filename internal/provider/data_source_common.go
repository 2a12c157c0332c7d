package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// defaultReadTimeout bounds a read, retries and all, when timeouts.read is unset.
const defaultReadTimeout = 5 * time.Minute

// configureDataSource takes the provider's data in a data source's Configure.
// ProviderData is nil while the provider is not configured yet (validation).
func configureDataSource(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
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

// optionalInt and optionalFloat turn a set argument into the client's
// pointer form, where nil means "not sent".
func optionalInt(isNull bool, v int64) *int {
	if isNull {
		return nil
	}
	n := int(v)
	return &n
}

func optionalFloat(isNull bool, v float64) *float64 {
	if isNull {
		return nil
	}
	return &v
}
