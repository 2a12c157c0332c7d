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

var _ list.ListResourceWithConfigure = (*routeListResource)(nil)

func newRouteListResource() list.ListResource {
	return &routeListResource{listResourceBase{typeName: "_route"}}
}

// routeListResource lists the account's routes, for terraform query.
type routeListResource struct {
	listResourceBase
}

type routeListModel struct {
	RouteType types.String `tfsdk:"route_type"`
}

func (l *routeListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "The account's inbound voice routes, in the API's order, for `terraform query`, in pages of " +
			"200 and at most the list block's `limit` (Terraform's default is 100). The built-in sip-reg route " +
			"(id `0`), which cannot be managed, is left out. The listing carries every attribute, so " +
			"`include_resource` asks nothing more of the API. Each result's display name is the route's alias and value.",
		Attributes: map[string]listschema.Attribute{
			"route_type": listFilter("Only the routes of this type: `host`, `uri` or `number`.",
				stringvalidator.OneOf(flowroute.RouteTypeHost, flowroute.RouteTypeURI, flowroute.RouteTypeNumber)),
		},
	}
}

func (l *routeListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listing[routeListModel, flowroute.Route]{
		data:   l.data,
		items:  "the account's routes",
		blamed: "route_type",
		fetch:  l.fetch,
		result: routeResult,
	}.stream(ctx, req, stream)
}

func (l *routeListResource) fetch(ctx context.Context, _ list.ListRequest, config routeListModel, limit *int) ([]flowroute.Route, error) {
	q := flowroute.RoutesQuery{RouteType: config.RouteType.ValueString(), Limit: limit}
	if q.RouteType == "" {
		// The sip-reg route may be among them, and is left out.
		q.Limit = ptrTo(*limit + 1)
	}
	routes, err := l.data.client.ListRoutes(ctx, q)
	if err != nil {
		return nil, err
	}
	managed := routes[:0]
	for _, r := range routes {
		if r.ID != flowroute.SIPRegRouteID && r.RouteType != flowroute.RouteTypeSIPReg {
			managed = append(managed, r)
		}
	}
	if len(managed) > *limit {
		managed = managed[:*limit]
	}
	return managed, nil
}

func routeResult(ctx context.Context, req list.ListRequest, route flowroute.Route, r *list.ListResult) bool {
	r.DisplayName = fmt.Sprintf("%s (%s %s)", route.Alias, route.RouteType, route.Value)
	setListIdentity(ctx, r, idIdentity, route.ID)
	if req.IncludeResource {
		setListResource(ctx, req, r, func(m *routeModel) { m.fillFrom(route) })
	}
	return false
}
