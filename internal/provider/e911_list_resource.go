package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var _ list.ListResourceWithConfigure = (*e911AddressListResource)(nil)

func newE911AddressListResource() list.ListResource {
	return &e911AddressListResource{listResourceBase{typeName: "_e911_address"}}
}

// e911AddressListResource lists the account's E911 addresses, for
// terraform query.
type e911AddressListResource struct {
	listResourceBase
}

type e911AddressListModel struct {
	Label      types.String `tfsdk:"label"`
	StreetName types.String `tfsdk:"street_name"`
	City       types.String `tfsdk:"city"`
	State      types.String `tfsdk:"state"`
}

func (l *e911AddressListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: fmt.Sprintf("The account's E911 addresses, in the API's order, for `terraform query`, in pages "+
			"of %d and at most the list block's `limit` (Terraform's default is 100). Flowroute matches each filter "+
			"against the whole field. The listing carries every attribute, so `include_resource` asks nothing more "+
			"of the API. Each result's display name is the address's label and street address.", flowroute.MaxE911PageSize),
		Attributes: map[string]listschema.Attribute{
			"label":       listFilter("Only the addresses with this label, such as `HQ`.", notBlank),
			"street_name": listFilter("Only the addresses on this street, such as `3rd Ave`.", notBlank),
			"city":        listFilter("Only the addresses in this city, such as `Seattle`.", notBlank),
			"state": listFilter("Only the addresses in this state or province, such as `WA`.",
				stringvalidator.RegexMatches(stateCode, `must be a two-letter state code, such as "WA"`)),
		},
	}
}

func (l *e911AddressListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listing[e911AddressListModel, flowroute.E911Address]{
		data:   l.data,
		items:  "the account's E911 addresses",
		blamed: "label, street_name, city and state",
		fetch: func(ctx context.Context, _ list.ListRequest, config e911AddressListModel, limit *int) ([]flowroute.E911Address, error) {
			return l.data.client.ListE911s(ctx, flowroute.E911Query{
				Label:      config.Label.ValueString(),
				StreetName: config.StreetName.ValueString(),
				City:       config.City.ValueString(),
				State:      config.State.ValueString(),
				Limit:      limit,
			})
		},
		result: e911AddressResult,
	}.stream(ctx, req, stream)
}

func e911AddressResult(ctx context.Context, req list.ListRequest, a flowroute.E911Address, r *list.ListResult) bool {
	r.DisplayName = fmt.Sprintf("%s (%s %s, %s %s)", a.Label, a.StreetNumber, a.StreetName, a.City, a.State)
	setListIdentity(ctx, r, idIdentity, a.ID)
	if req.IncludeResource {
		setListResource(ctx, req, r, func(m *e911AddressModel) { *m = e911AddressModelOf(a, m.Timeouts) })
	}
	return false
}
