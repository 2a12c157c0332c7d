package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

const (
	// adoptionCheckTimeout bounds the listing that looks for a route whose
	// creation had an unknown outcome, even when the create's own time is
	// up: the answer decides whether a route is in the state.
	adoptionCheckTimeout = 30 * time.Second
	routeArguments       = "route_type, value, alias and edge_strategy_id"
)

var (
	_ resource.ResourceWithConfigure      = (*routeResource)(nil)
	_ resource.ResourceWithImportState    = (*routeResource)(nil)
	_ resource.ResourceWithValidateConfig = (*routeResource)(nil)
)

func newRouteResource() resource.Resource { return &routeResource{} }

// routeResource is one inbound voice route of the account.
type routeResource struct {
	data *providerData
}

type routeModel struct {
	ID             types.String   `tfsdk:"id"`
	RouteType      types.String   `tfsdk:"route_type"`
	Value          types.String   `tfsdk:"value"`
	Alias          types.String   `tfsdk:"alias"`
	EdgeStrategyID types.Int64    `tfsdk:"edge_strategy_id"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (r *routeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_route"
}

func (r *routeResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "An inbound voice route of the Flowroute account: where calls to the account's numbers go, a SIP " +
			"host, a SIP URI or another number. A number uses routes as its primary and failover routes, and Flowroute " +
			"refuses to delete a route that a number uses. Every attribute changes in place. The API cannot read one " +
			"route, so a refresh lists the account's routes once for all the routes that the provider reads at the " +
			"same time: about one request per 200 routes, not one listing per route.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "The route's id, such as `98396`, as the number's `primary_route_id` and `failover_route_id` take it.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"route_type": schema.StringAttribute{
				Description: "What `value` is: `host` (a SIP host, reached through DNS SRV when no port is given), `uri` " +
					"(a SIP URI) or `number` (a phone number calls are forwarded to).",
				Required:   true,
				Validators: []validator.String{stringvalidator.OneOf(flowroute.RouteTypeHost, flowroute.RouteTypeURI, flowroute.RouteTypeNumber)},
			},
			"value": schema.StringAttribute{
				Description: "Where calls go, checked at plan time against `route_type`. `host`: a host name, an IPv4 " +
					"address or an IPv6 address, with an optional `:port` from 1 to 65535 (an IPv6 address in brackets " +
					"when a port follows), such as `24.239.23.40:5060` or `pbx.example.com`. `uri`: " +
					"`sip:user@domain[:port][;transport=tcp|udp|tls]`, such as `sip:pbx@example.com:5061;transport=tls`. " +
					"`number`: the 11-digit number calls are forwarded to, such as `12065551234`. Any of them may end in " +
					"`;weight=N`, N from 0 to 1000, which balances calls between a number's primary and failover routes.",
				Required: true,
			},
			"alias": schema.StringAttribute{
				Description: "The route's name, shown in the Flowroute portal, such as `pbx-east`. Make it unique: a " +
					"creation whose answer was lost finds its route again by it.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"edge_strategy_id": schema.Int64Attribute{
				Description: "The edge strategy (the point of presence calls come through) by its id, as " +
					"`flowroute_edge_strategies` lists them. Unset: whatever the route has, Flowroute's choice for a " +
					"new route; removing it from the configuration leaves the route's as it is. A refresh takes it " +
					"from Flowroute's answer, where null means none, so a strategy changed or cleared outside " +
					"Terraform shows as a change that the next apply reverts; an answer that leaves the field out " +
					"says nothing of it, and the last known value stays.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"timeouts": recordTimeoutsAttribute(ctx),
		},
	}
}

// ValidateConfig checks the value against the route type at plan time.
func (r *routeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var routeType, value types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("route_type"), &routeType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("value"), &value)...)
	if resp.Diagnostics.HasError() || routeType.IsNull() || routeType.IsUnknown() || value.IsNull() || value.IsUnknown() {
		return
	}
	if _, known := routeValueForms[routeType.ValueString()]; !known {
		return // the route_type validator says what is wrong
	}
	if err := checkRouteValue(routeType.ValueString(), value.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("value"), "Invalid route value", err.Error()+".")
	}
}

func (r *routeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataOf(req.ProviderData, &resp.Diagnostics)
}

func (r *routeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan routeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "create", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	spec := flowroute.RouteSpec{
		RouteType:      plan.RouteType.ValueString(),
		Value:          plan.Value.ValueString(),
		Alias:          plan.Alias.ValueString(),
		EdgeStrategyID: intPointer(plan.EdgeStrategyID),
	}
	created, err := r.data.client.CreateRoute(ctx, spec)
	r.data.routes.forget()
	if errors.Is(err, flowroute.ErrOutcomeUnknown) {
		created = r.adopt(ctx, spec, err, &resp.Diagnostics)
	} else if err != nil {
		resp.Diagnostics.AddError("Unable to create a route", call.explain(err, "The creation", routeArguments)+
			"\n\nNo route was created.")
		return
	}
	if created == nil {
		return
	}
	tflog.Info(ctx, "created a route", map[string]any{"id": created.ID})
	plan.fillFrom(*created)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// adopt looks for the route that a creation with an unknown outcome may
// have made: the one route with the same alias, type and value (and edge
// strategy, when configured). Aliases are meant to be unique, so a route
// that matches is the one asked for, whoever made it. It returns nil, with
// an error in diags, when there is not exactly one.
func (r *routeResource) adopt(ctx context.Context, spec flowroute.RouteSpec, createErr error, diags *diag.Diagnostics) *flowroute.Route {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), adoptionCheckTimeout)
	defer cancel()
	routes, err := r.data.client.ListRoutes(ctx, flowroute.RoutesQuery{RouteType: spec.RouteType})
	cause := createErr.Error()
	var apiErr *flowroute.APIError
	if errors.As(createErr, &apiErr) {
		cause = apiErr.Error() // without the wrapping that repeats the request
	}
	lost := fmt.Sprintf("The creation of route %q may or may not have taken place: %s", spec.Alias, cause)
	if err != nil {
		diags.AddError("Unable to create a route", fmt.Sprintf("%s\n\nListing the routes to find out failed too: %s\n\n"+
			"Check the routes in the Flowroute portal: if a route %q is there, import it (terraform import); "+
			"otherwise run apply again.", lost, err, spec.Alias))
		return nil
	}
	var found []flowroute.Route
	for _, route := range routes {
		if route.Alias == spec.Alias && route.Value == spec.Value &&
			(spec.EdgeStrategyID == nil || route.EdgeStrategyID != nil && *route.EdgeStrategyID == *spec.EdgeStrategyID) {
			found = append(found, route)
		}
	}
	switch len(found) {
	case 1:
		diags.AddWarning("Route created, its answer lost",
			fmt.Sprintf("%s\n\nThe account has exactly one such route, %s, which is now in the state.", lost, found[0].ID))
		return &found[0]
	case 0:
		diags.AddError("Unable to create a route", lost+"\n\nNo such route is on the account now, so it most likely was "+
			"not created. Run apply again.")
	default:
		ids := make([]string, len(found))
		for i, route := range found {
			ids[i] = route.ID
		}
		diags.AddError("Unable to create a route", fmt.Sprintf("%s\n\nThe account has %d routes with this alias, type "+
			"and value (%s), so which one is this resource's cannot be told. Import one of them "+
			"(terraform import <address> <id>) and delete the others in the Flowroute portal.",
			lost, len(found), strings.Join(ids, ", ")))
	}
	return nil
}

func (r *routeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state routeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "read", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	id := state.ID.ValueString()
	route, found, err := r.data.routes.find(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError("Unable to read a route", call.explain(err, "The refresh", "id"))
		return
	}
	if !found {
		resp.Diagnostics.AddWarning("Route no longer on the account",
			fmt.Sprintf("Route %s (alias %q) is no longer on the Flowroute account (deleted outside Terraform?). It was "+
				"removed from the state; the next plan offers to create it again.", id, state.Alias.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	state.fillFrom(route)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *routeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var plan, state routeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, plan.Timeouts, "update", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	var update flowroute.RouteUpdate
	changed := func(planned, current types.String) *string {
		if planned.Equal(current) {
			return nil
		}
		return planned.ValueStringPointer()
	}
	update.RouteType = changed(plan.RouteType, state.RouteType)
	update.Value = changed(plan.Value, state.Value)
	update.Alias = changed(plan.Alias, state.Alias)
	if !plan.EdgeStrategyID.Equal(state.EdgeStrategyID) {
		update.EdgeStrategyID = intPointer(plan.EdgeStrategyID)
	}
	// Timeouts alone change nothing on the account.
	if update != (flowroute.RouteUpdate{}) {
		id := state.ID.ValueString()
		updated, err := r.data.client.UpdateRoute(ctx, id, update)
		r.data.routes.forget()
		switch {
		case errors.Is(err, flowroute.ErrRouteNotFound):
			resp.Diagnostics.AddError("Route no longer on the account",
				fmt.Sprintf("Route %s is no longer on the Flowroute account (deleted outside Terraform?), so it could not "+
					"be updated. Run apply again: the refresh removes it from the state, and the plan creates it anew.", id))
			return
		case err != nil:
			resp.Diagnostics.AddError("Unable to update a route", call.explain(err, "The update", routeArguments))
			return
		}
		plan.fillFrom(*updated)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *routeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if r.data == nil {
		addUnconfigured(&resp.Diagnostics)
		return
	}
	var state routeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, call, ok := startCall(ctx, r.data, state.Timeouts, "delete", &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}

	id := state.ID.ValueString()
	err := r.data.client.DeleteRoute(ctx, id)
	r.data.routes.forget()
	switch {
	case errors.Is(err, flowroute.ErrRouteNotFound):
		tflog.Info(ctx, "route already deleted", map[string]any{"id": id})
	case errors.Is(err, flowroute.ErrRouteInUse):
		resp.Diagnostics.AddError("Route in use",
			fmt.Sprintf("Flowroute refuses to delete route %s (alias %q) while numbers use it as their primary or "+
				"failover route:\n%s\n\nDetach it from those numbers first: set their primary_route_id or failover_route_id "+
				"to another route (or remove the attribute), apply, then delete the route. When the numbers' resources "+
				"refer to this route as flowroute_route.<name>.id, one apply does both in the right order. Numbers that "+
				"Terraform does not manage must be changed in the Flowroute portal. The route is still in the state.",
				id, state.Alias.ValueString(), err))
	case err != nil:
		resp.Diagnostics.AddError("Unable to delete a route", call.explain(err, "The deletion", "id")+
			"\n\nThe route is still in the state; run destroy again.")
	default:
		tflog.Info(ctx, "deleted a route", map[string]any{"id": id})
	}
}

// ImportState takes a route's id, such as 98396, as the Flowroute portal and
// the API show it. The built-in sip-reg route cannot be managed.
func (r *routeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what := importedID(ctx, idIdentity, req, &resp.Diagnostics)
	switch {
	case id == flowroute.SIPRegRouteID:
		resp.Diagnostics.AddError("Invalid "+what, "Route 0 is the account's built-in sip-reg route, which cannot be "+
			"changed or deleted, so it cannot be managed as a resource: a number's primary_route_id can name it as it is.")
	case !digitString.MatchString(id):
		resp.Diagnostics.AddError("Invalid "+what,
			fmt.Sprintf("The %s must be the id of a route of the account, digits such as 98396; got %q.", what, id))
	default:
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
		keepIdentity(ctx, idIdentity, resp.Identity, &resp.Diagnostics, &resp.State)
	}
}

// fillFrom takes what the API says of the route. An edge_strategy_id of null
// says the route has none, so that a strategy cleared outside Terraform
// shows as a change; an answer without the field (as the API reference's
// examples are) says nothing of it and leaves the known value as it is.
func (m *routeModel) fillFrom(route flowroute.Route) {
	m.ID = types.StringValue(route.ID)
	m.RouteType = types.StringValue(route.RouteType)
	m.Value = types.StringValue(route.Value)
	m.Alias = types.StringValue(route.Alias)
	switch {
	case route.EdgeStrategyID != nil:
		m.EdgeStrategyID = types.Int64Value(int64(*route.EdgeStrategyID))
	case route.EdgeStrategyShown, m.EdgeStrategyID.IsUnknown():
		m.EdgeStrategyID = types.Int64Null()
	}
}

// intPointer is the client's form of an optional number: nil when unset.
func intPointer(v types.Int64) *int {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := int(v.ValueInt64())
	return &n
}
