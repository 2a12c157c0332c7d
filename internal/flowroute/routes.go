package flowroute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// MaxRoutesPageSize is the largest page of the account's routes.
const MaxRoutesPageSize = 200

// Route types. RouteTypeSIPReg is the account's built-in route, which cannot
// be created, changed or deleted.
const (
	RouteTypeHost   = "host"
	RouteTypeURI    = "uri"
	RouteTypeNumber = "number"
	RouteTypeSIPReg = "sip-reg"
)

// SIPRegRouteID is the built-in sip-reg route, every new number's primary route.
const SIPRegRouteID = "0"

// Outcomes of the calls on routes, for errors.Is; each wraps the *APIError.
var (
	// ErrRouteNotFound: the account has no such route (404). On
	// SetNumberRoute the API does not tell it from a number the account
	// does not own.
	ErrRouteNotFound = errors.New("route not found")
	// ErrRouteInUse: the API refused to delete a route while numbers use
	// it as primary or failover route (403).
	ErrRouteInUse = errors.New("route in use")
)

// Route is an inbound voice route of the account.
type Route struct {
	ID        string
	RouteType string
	// Value is "" for the built-in sip-reg route, whose value is null.
	Value string
	Alias string
	// EdgeStrategyID is nil when the answer leaves it out or null.
	EdgeStrategyID *int
	// EdgeStrategyShown is whether the answer carried edge_strategy_id: a
	// null says the route has none, while an answer without it (as the API
	// reference's examples are) says nothing of it.
	EdgeStrategyShown bool
}

// RouteSpec is a route to create; all but EdgeStrategyID are required.
type RouteSpec struct {
	RouteType string
	Value     string
	Alias     string
	// EdgeStrategyID nil leaves the choice to the API.
	EdgeStrategyID *int
}

// RouteUpdate holds the attributes to change; nil leaves one as it is.
type RouteUpdate struct {
	RouteType      *string
	Value          *string
	Alias          *string
	EdgeStrategyID *int
}

// CreateRoute creates a route. A creation is repeated only when the API
// certainly did not act (a 429, a connection never made): otherwise the
// error is ErrOutcomeUnknown, and the route may exist; look for its alias
// with ListRoutes before trying again.
func (c *Client) CreateRoute(ctx context.Context, spec RouteSpec) (*Route, error) {
	for _, f := range [...]struct{ name, value string }{
		{"route type", spec.RouteType}, {"value", spec.Value}, {"alias", spec.Alias},
	} {
		if f.value == "" {
			return nil, fmt.Errorf("invalid route: the %s is required", f.name)
		}
	}
	body, err := routeEnvelope(map[string]any{"route_type": spec.RouteType, "value": spec.Value, "alias": spec.Alias}, spec.EdgeStrategyID)
	if err != nil {
		return nil, err
	}
	req := request{method: http.MethodPost, endpoint: c.endpoint("routes"), body: body, rule: retryIfNotActedOn}
	out, err := sendItem(ctx, c, req, routeItem.route)
	if errors.Is(err, ErrMalformedResponse) {
		// A 2xx said it was created, but its account of the route is unreadable.
		return nil, fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
	}
	return out, err
}

// UpdateRoute changes a route's attributes in one request and returns the
// route as the API then shows it. ErrRouteNotFound when the account has no
// such route.
func (c *Client) UpdateRoute(ctx context.Context, id string, u RouteUpdate) (*Route, error) {
	if err := checkPathDigits("route id", id, "98396"); err != nil {
		return nil, err
	}
	attributes := map[string]any{}
	for _, f := range [...]struct {
		name  string
		value *string
	}{{"route_type", u.RouteType}, {"value", u.Value}, {"alias", u.Alias}} {
		if f.value != nil {
			attributes[f.name] = *f.value
		}
	}
	if len(attributes) == 0 && u.EdgeStrategyID == nil {
		return nil, errors.New("invalid route update: nothing to change")
	}
	body, err := routeEnvelope(attributes, u.EdgeStrategyID)
	if err != nil {
		return nil, err
	}
	req := request{method: http.MethodPatch, endpoint: c.endpoint("routes", id), body: body}
	out, err := sendItem(ctx, c, req, routeItem.route)
	return out, markNotFound(err, ErrRouteNotFound)
}

// DeleteRoute deletes a route. ErrRouteNotFound when the account has no such
// route (deleted already); ErrRouteInUse while numbers use it.
func (c *Client) DeleteRoute(ctx context.Context, id string) error {
	if err := checkPathDigits("route id", id, "98396"); err != nil {
		return err
	}
	err := c.send(ctx, request{method: http.MethodDelete, endpoint: c.endpoint("routes", id)}, func(int, []byte) error { return nil })
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden && inUse(apiErr) {
		return fmt.Errorf("%w: %w", ErrRouteInUse, err)
	}
	return markNotFound(err, ErrRouteNotFound)
}

// inUse tells the 403 of a route that numbers use from the documented 403
// of keys that may not act, whose title is ActionNotAuthorizedError, and
// from a 403 that Flowroute did not send.
func inUse(apiErr *APIError) bool {
	for _, e := range apiErr.Errors {
		if e.Title == "ActionNotAuthorizedError" {
			return false
		}
	}
	return apiErr.FlowrouteFormat()
}

// RoutesQuery filters the account's routes.
type RoutesQuery struct {
	RouteType string // one route type; "" for all
	Limit     *int   // cap on the total returned; nil = all
	Offset    int    // items to skip, >= 0
	PageSize  int    // 0 = MaxRoutesPageSize; 1..200
	Window    int    // pages in flight at once; 0 = 2, at most 16
}

// ListRoutes returns the account's routes, across pages, in API order: the
// built-in sip-reg route among them.
func (c *Client) ListRoutes(ctx context.Context, q RoutesQuery) ([]Route, error) {
	p, err := newPaging(q.Limit, q.Offset, q.PageSize, q.Window, MaxRoutesPageSize)
	if err != nil {
		return nil, fmt.Errorf("invalid routes query: %w", err)
	}
	filters := url.Values{}
	if q.RouteType != "" {
		filters.Set("route_type", q.RouteType)
	}
	endpoint := c.endpoint("routes")
	fetch := httpPages(c, endpoint, filters, func(body []byte) ([]Route, bool, error) {
		return decodeItems(body, routeItem.route)
	})
	return listPages(ctx, endpoint.EscapedPath(), fetch, func(r Route) string { return r.ID }, p)
}

// EdgeStrategy is a point of presence through which calls reach a route.
type EdgeStrategy struct {
	// ID is what a route's EdgeStrategyID names: the API sends it as a JSON
	// integer, unlike every other id, so it is an int here too (a numeric
	// string is accepted as well).
	ID            int
	Name          string // such as "US-East-VA"
	Description   string
	NAPTR         string // the DNS name of the point of presence
	FirewallRules string
}

// ListEdgeStrategies returns the edge strategies, in API order. The list is
// short and comes in one answer.
func (c *Client) ListEdgeStrategies(ctx context.Context) ([]EdgeStrategy, error) {
	var out []EdgeStrategy
	err := c.get(ctx, c.endpoint("routes", "edge_strategies"), nil, func(body []byte) error {
		var err error
		out, _, err = decodeItems(body, edgeStrategyItem.edgeStrategy)
		return err
	})
	return out, err
}

// RouteRole is the part a route plays for a number.
type RouteRole string

// The roles a route can play for a number.
const (
	PrimaryRoute  RouteRole = "primary_route"
	FailoverRoute RouteRole = "failover_route"
)

// SetNumberRoute makes a route a number's primary or failover route.
// ErrRouteNotFound when the API answers 404: it has no such route or,
// as the API does not tell them apart, the account does not own the number.
func (c *Client) SetNumberRoute(ctx context.Context, number string, role RouteRole, routeID string) error {
	endpoint, err := c.relationship(number, role)
	if err != nil {
		return err
	}
	if err := checkPathDigits("route id", routeID, "98396"); err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"data": map[string]string{"type": "route", "id": routeID}})
	if err != nil {
		return err
	}
	err = c.send(ctx, request{method: http.MethodPatch, endpoint: endpoint, body: body}, func(int, []byte) error { return nil })
	return markNotFound(err, ErrRouteNotFound)
}

// ClearNumberRoute takes a number's primary route back to the built-in
// sip-reg route, or removes its failover route. A 404 *APIError when the
// account does not own the number.
func (c *Client) ClearNumberRoute(ctx context.Context, number string, role RouteRole) error {
	endpoint, err := c.relationship(number, role)
	if err != nil {
		return err
	}
	return c.send(ctx, request{method: http.MethodDelete, endpoint: endpoint}, func(int, []byte) error { return nil })
}

func (c *Client) relationship(number string, role RouteRole) (*url.URL, error) {
	if err := checkPathDigits("number", number, "16463439507"); err != nil {
		return nil, err
	}
	if role != PrimaryRoute && role != FailoverRoute {
		return nil, fmt.Errorf("route role must be %q or %q, got %q", PrimaryRoute, FailoverRoute, role)
	}
	return c.endpoint("numbers", number, "relationships", string(role)), nil
}

// checkPathDigits keeps anything but digits out of a request path.
func checkPathDigits(what, id, example string) error {
	if !isDigits(id) {
		return fmt.Errorf("%s must be digits, such as %s, got %q", what, example, id)
	}
	return nil
}

// routeEnvelope is the JSON:API body of a route's creation or update.
func routeEnvelope(attributes map[string]any, edgeStrategyID *int) ([]byte, error) {
	if edgeStrategyID != nil {
		attributes["edge_strategy_id"] = *edgeStrategyID
	}
	return json.Marshal(map[string]any{"data": map[string]any{"type": "route", "attributes": attributes}})
}

type routeItem struct {
	ID         itemID `json:"id"`
	Attributes struct {
		RouteType      string          `json:"route_type"`
		Value          *string         `json:"value"`
		Alias          *string         `json:"alias"`
		EdgeStrategyID json.RawMessage `json:"edge_strategy_id"` // nil when left out, null when none
	} `json:"attributes"`
}

func (d routeItem) route() (Route, error) {
	if d.ID == "" {
		return Route{}, errNoID
	}
	a := d.Attributes
	r := Route{ID: string(d.ID), RouteType: a.RouteType}
	if a.Value != nil {
		r.Value = *a.Value
	}
	if a.Alias != nil {
		r.Alias = *a.Alias
	}
	if a.EdgeStrategyID != nil {
		r.EdgeStrategyShown = true
		var id *flexInt
		if err := json.Unmarshal(a.EdgeStrategyID, &id); err != nil {
			return Route{}, fmt.Errorf("route %s: edge_strategy_id: %w", printable(r.ID, 20), err)
		}
		if id != nil {
			n := int(*id)
			r.EdgeStrategyID = &n
		}
	}
	return r, nil
}

type edgeStrategyItem struct {
	ID         *flexInt `json:"id"`
	Attributes struct {
		Name          string `json:"name"`
		Description   string `json:"description"`
		NAPTR         string `json:"naptr"`
		FirewallRules string `json:"firewall_rules"`
	} `json:"attributes"`
}

func (d edgeStrategyItem) edgeStrategy() (EdgeStrategy, error) {
	if d.ID == nil {
		return EdgeStrategy{}, errNoID
	}
	a := d.Attributes
	return EdgeStrategy{ID: int(*d.ID), Name: a.Name, Description: a.Description, NAPTR: a.NAPTR, FirewallRules: a.FirewallRules}, nil
}

// flexInt is an integer sent as a JSON number or, should the API ever
// quote it, as a numeric string.
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	// json.Number takes a number, or a string holding one.
	var raw json.Number
	err := json.Unmarshal(b, &raw)
	i, convErr := strconv.Atoi(string(raw))
	if err != nil || convErr != nil {
		return fmt.Errorf("%s is not an integer", printable(string(b), 20))
	}
	*n = flexInt(i)
	return nil
}
