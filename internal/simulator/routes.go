package simulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The account's inbound voice routes, the edge strategies (points of
// presence) that calls come through, and the numbers' primary and failover
// routes. Where the public documentation is silent the simulator behaves as
// follows:
//   - route ids are strings of digits, assigned in increasing order from
//     98396 and never reused;
//   - GET /v2/routes lists the built-in sip-reg route "0" first, then the
//     others by id; an unknown route_type filter answers 422;
//   - there is no GET of one route: GET /v2/routes/{id} answers 405;
//   - a route's attributes carry edge_strategy_id, null while unset (the
//     sip-reg route's too): an answer without it would say nothing of it;
//   - POST and PATCH take {"data": {"type": "route", "attributes": {...}}},
//     a "data.id" being optional on PATCH and, when sent, the path's; they
//     check route_type (host, uri or number), value for its type, a
//     non-empty alias and edge_strategy_id (an edge strategy's id, or null
//     to clear it), and answer 422 naming the field otherwise; aliases need
//     not be unique; unknown attributes are ignored;
//   - the sip-reg route cannot be changed or deleted (403);
//   - PATCH or DELETE of an unknown route answers the 404 of a number not
//     on the account;
//   - PATCH /v2/numbers/{number}/relationships/primary_route (or
//     failover_route) takes {"data": {"type": "route", "id": "..."}} with
//     a string id and answers 204, 404 when the account does not own the
//     number or has no such route; DELETE there answers 204 and sets the
//     primary route back to sip-reg, the failover route to none.

// Paths of the routes endpoints. Each route is at PathRoutes + "/" + id.
const (
	PathRoutes         = "/v2/routes"
	PathEdgeStrategies = "/v2/routes/edge_strategies"
)

// Route types.
const (
	RouteTypeHost   = "host"
	RouteTypeURI    = "uri"
	RouteTypeNumber = "number"
	RouteTypeSIPReg = "sip-reg"
)

const (
	firstRouteID       = 98396
	detailRouteInUse   = "Please disassociate all numbers before deleting."
	detailBuiltInRoute = "The sip-reg route is built in: it cannot be changed or deleted."
	allowOnRoutes      = "GET, POST"
	allowOnRoute       = "PATCH, DELETE"
	allowOnRelation    = "PATCH, DELETE"
)

// Route is an inbound voice route of the account. Value is "" for the
// built-in sip-reg route (null in the API); EdgeStrategyID is nil while unset.
type Route struct {
	ID             string `json:"id"`
	RouteType      string `json:"route_type"`
	Value          string `json:"value"`
	Alias          string `json:"alias"`
	EdgeStrategyID *int   `json:"edge_strategy_id,omitempty"`
}

func (r Route) clone() Route {
	if r.EdgeStrategyID != nil {
		id := *r.EdgeStrategyID
		r.EdgeStrategyID = &id
	}
	return r
}

var sipReg = Route{ID: sipRegRouteID, RouteType: RouteTypeSIPReg, Alias: "sip-reg"}

// EdgeStrategy is a point of presence that a route's calls come through.
type EdgeStrategy struct {
	ID            int
	Name          string
	Description   string
	NAPTR         string
	FirewallRules string
}

// EdgeStrategies are the simulated points of presence. US-East-VA has the
// id of the API reference's example; the rest is illustrative, its
// addresses from the documentation ranges.
var EdgeStrategies = []EdgeStrategy{
	edgeStrategy(1, "US-West-OR", "Hillsboro, Oregon, United States", "192.0.2.16/28"),
	edgeStrategy(2, "US-East-NJ", "Newark, New Jersey, United States", "192.0.2.32/28"),
	edgeStrategy(3, "US-West-CA", "San Jose, California, United States", "198.51.100.16/28"),
	edgeStrategy(4, "US-East-VA", "Ashburn, Virginia, United States", "198.51.100.32/28"),
	edgeStrategy(5, "EU-West-UK", "London, United Kingdom", "203.0.113.16/28"),
}

func edgeStrategy(id int, name, where, network string) EdgeStrategy {
	return EdgeStrategy{
		ID:          id,
		Name:        name,
		Description: "Calls reach your routes from Flowroute's point of presence in " + where + ".",
		NAPTR:       strings.ToLower(name) + ".sip.flowroute.com",
		FirewallRules: "Allow SIP (UDP and TCP 5060, TLS 5061) and RTP (UDP 16384-32768) from " + network +
			" to your host.",
	}
}

func knownEdgeStrategy(id int) bool {
	return slices.ContainsFunc(EdgeStrategies, func(e EdgeStrategy) bool { return e.ID == id })
}

// Routes returns a copy of the account's routes in the order GET /v2/routes
// lists them: the built-in sip-reg route first, then the others by id.
func (s *Server) Routes() []Route {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	out := make([]Route, 0, len(s.routes)+1)
	out = append(out, sipReg)
	for _, r := range s.routes {
		out = append(out, r.clone())
	}
	return out
}

// AddRoute adds a route to the account, as if created in Flowroute's portal,
// and returns its id. The id is assigned; the rest is taken as given.
func (s *Server) AddRoute(r Route) string {
	s.accountMu.Lock()
	r = r.clone()
	r.ID = strconv.Itoa(s.nextRouteID)
	s.nextRouteID++
	s.routes = append(s.routes, r)
	s.accountMu.Unlock()
	s.accountChanged()
	return r.ID
}

// DeleteRouteOutside deletes a route, as if done in Flowroute's portal: it
// fails, as the API does, for the built-in route and for a route that a
// number uses.
func (s *Server) DeleteRouteOutside(id string) error {
	switch s.deleteRoute(id) {
	case http.StatusNoContent:
		return nil
	case http.StatusForbidden:
		return fmt.Errorf("simulator: route %q is built in or used by a number", id)
	}
	return fmt.Errorf("simulator: no route %q", id)
}

// SetPrimaryRoute points a number of the account at a route, as if done in
// Flowroute's portal.
func (s *Server) SetPrimaryRoute(number, routeID string) error {
	return s.setNumberRoute(number, primaryRoute, routeID)
}

// SetFailoverRoute points a number of the account at a failover route, as
// if done in Flowroute's portal; "" removes it.
func (s *Server) SetFailoverRoute(number, routeID string) error {
	return s.setNumberRoute(number, failoverRoute, routeID)
}

// routeRole is the relationship of a number to a route, as in its path.
type routeRole string

const (
	primaryRoute  routeRole = "primary_route"
	failoverRoute routeRole = "failover_route"
)

// setNumberRoute sets a number's route; "" clears it, the primary route
// going back to sip-reg.
func (s *Server) setNumberRoute(number string, role routeRole, routeID string) error {
	s.accountMu.Lock()
	o, owned := s.owned[number]
	switch {
	case !owned:
		s.accountMu.Unlock()
		return errNotOwned(number)
	case routeID != "" && s.routeIndex(routeID) < 0 && routeID != sipRegRouteID:
		s.accountMu.Unlock()
		return fmt.Errorf("simulator: no route %q", routeID)
	}
	if role == primaryRoute {
		o.PrimaryRouteID = cmp.Or(routeID, sipRegRouteID)
	} else {
		o.FailoverRouteID = routeID
	}
	s.owned[number] = o
	s.accountMu.Unlock()
	s.accountChanged()
	return nil
}

// routeIndex is the position of a route in s.routes, -1 when there is none;
// the caller holds accountMu.
func (s *Server) routeIndex(id string) int {
	return slices.IndexFunc(s.routes, func(r Route) bool { return r.ID == id })
}

// deleteRoute answers a deletion's status: 204, 403 (built in, or in use)
// or 404.
func (s *Server) deleteRoute(id string) int {
	s.accountMu.Lock()
	if id == sipRegRouteID {
		s.accountMu.Unlock()
		return http.StatusForbidden
	}
	i := s.routeIndex(id)
	if i < 0 {
		s.accountMu.Unlock()
		return http.StatusNotFound
	}
	for _, o := range s.owned {
		if o.PrimaryRouteID == id || o.FailoverRouteID == id {
			s.accountMu.Unlock()
			return http.StatusForbidden
		}
	}
	s.routes = slices.Delete(s.routes, i, i+1)
	s.accountMu.Unlock()
	s.accountChanged()
	return http.StatusNoContent
}

// includedRoutes are the routes a number uses, as its answer includes them.
func (s *Server) includedRoutes(o OwnedNumber) []routeResource {
	s.accountMu.Lock()
	defer s.accountMu.Unlock()
	included := []routeResource{}
	for _, id := range []string{o.PrimaryRouteID, o.FailoverRouteID} {
		switch i := s.routeIndex(id); {
		case id == "" || slices.ContainsFunc(included, func(r routeResource) bool { return r.ID == id }):
		case id == sipRegRouteID:
			included = append(included, routeResourceOf(sipReg))
		case i >= 0:
			included = append(included, routeResourceOf(s.routes[i]))
		}
	}
	return included
}

// loadRoutes checks the routes of a saved account and returns them with the
// next id to assign.
func loadRoutes(saved []Route) ([]Route, int, error) {
	next := firstRouteID
	routes := make([]Route, 0, len(saved))
	for _, r := range saved {
		id, err := strconv.Atoi(r.ID)
		switch {
		case err != nil || id <= 0 || strconv.Itoa(id) != r.ID:
			return nil, 0, fmt.Errorf("saved account: route id %q is not a positive integer", r.ID)
		case slices.ContainsFunc(routes, func(other Route) bool { return other.ID == r.ID }):
			return nil, 0, fmt.Errorf("saved account: route %s is listed twice", r.ID)
		}
		next = max(next, id+1)
		routes = append(routes, r.clone())
	}
	slices.SortFunc(routes, func(a, b Route) int { return compareIDs(a.ID, b.ID) })
	return routes, next, nil
}

// ownRoutes returns a copy of the routes created on the account, by id.
func (s *Server) ownRoutes() []Route {
	return s.Routes()[1:]
}

// serveRoutes answers the routes endpoints and the numbers' route
// relationships; ok is false for other paths.
func (s *Server) serveRoutes(r *http.Request, query url.Values, body []byte, fault *Fault) (a answer, ok bool) {
	path := r.URL.Path
	switch {
	case path == PathRoutes:
		switch r.Method {
		case http.MethodGet:
			status, payload := routeList.serve(s, r, query, fault)
			return answer{status: status, payload: payload}, true
		case http.MethodPost:
			return s.createRoute(r, body), true
		}
		return methodNotAllowed(allowOnRoutes), true
	case path == PathEdgeStrategies:
		if r.Method != http.MethodGet {
			return methodNotAllowed(http.MethodGet), true
		}
		return answer{status: http.StatusOK, payload: edgeStrategyList()}, true
	case strings.HasPrefix(path, PathRoutes+"/"):
		id := strings.TrimPrefix(path, PathRoutes+"/")
		if id == "" || strings.Trim(id, "0123456789") != "" {
			return answer{status: http.StatusNotFound, payload: newErrors(http.StatusNotFound, detailNotFound)}, true
		}
		switch r.Method {
		case http.MethodPatch:
			return s.updateRoute(r, id, body), true
		case http.MethodDelete:
			switch status := s.deleteRoute(id); status {
			case http.StatusForbidden:
				detail := detailRouteInUse
				if id == sipRegRouteID {
					detail = detailBuiltInRoute
				}
				return answer{status: status, payload: newErrors(status, detail)}, true
			case http.StatusNotFound:
				return notOnAccount(), true
			}
			return answer{status: http.StatusNoContent}, true
		}
		return methodNotAllowed(allowOnRoute), true
	}
	if number, role, isRelation := relationshipPath(path); isRelation {
		return s.serveNumberRoute(r, number, role, body), true
	}
	return answer{}, false
}

// relationshipPath returns the number and role in a path
// /v2/numbers/{number}/relationships/{primary_route|failover_route}.
func relationshipPath(path string) (string, routeRole, bool) {
	rest, ok := strings.CutPrefix(path, PathOwnedNumbers+"/")
	if !ok {
		return "", "", false
	}
	number, relation, ok := strings.Cut(rest, "/relationships/")
	role := routeRole(relation)
	if !ok || number == "" || strings.Trim(number, "0123456789") != "" || role != primaryRoute && role != failoverRoute {
		return "", "", false
	}
	return number, role, true
}

func (s *Server) serveNumberRoute(r *http.Request, number string, role routeRole, body []byte) answer {
	routeID := ""
	switch r.Method {
	case http.MethodPatch:
		if wrong, ok := wrongMediaType(r, body); ok {
			return wrong
		}
		var err error
		if routeID, err = parseRouteRef(body); err != nil {
			return unprocessableAnswer(err)
		}
	case http.MethodDelete:
	default:
		return methodNotAllowed(allowOnRelation)
	}
	if s.setNumberRoute(number, role, routeID) != nil {
		return notOnAccount()
	}
	return answer{status: http.StatusNoContent}
}

// parseRouteRef reads {"data": {"type": "route", "id": "98396"}}.
func parseRouteRef(body []byte) (string, error) {
	var doc struct {
		Data *struct {
			Type string          `json:"type"`
			ID   json.RawMessage `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data == nil {
		return "", errors.New(`the body must be a JSON object with a "data" object`)
	}
	if doc.Data.Type != "route" {
		return "", errors.New(`data.type must be "route"`)
	}
	var id string
	if err := json.Unmarshal(doc.Data.ID, &id); err != nil || id == "" {
		return "", errors.New("data.id must be a route id, as a string")
	}
	return id, nil
}

func wrongMediaType(r *http.Request, body []byte) (answer, bool) {
	if len(body) > 0 && !jsonMediaType(r.Header.Get("Content-Type")) {
		return answer{status: http.StatusUnsupportedMediaType,
			payload: newErrors(http.StatusUnsupportedMediaType, detailWrongMediaType)}, true
	}
	return answer{}, false
}

func unprocessableAnswer(err error) answer {
	status, payload := unprocessable(err)
	return answer{status: status, payload: payload}
}

type routeDocument struct {
	Data routeResource `json:"data"`
}

func (s *Server) createRoute(r *http.Request, body []byte) answer {
	if wrong, ok := wrongMediaType(r, body); ok {
		return wrong
	}
	c, err := parseRouteChanges(body, "")
	if err != nil {
		return unprocessableAnswer(err)
	}
	var route Route
	for _, required := range []struct {
		name  string
		value *string
	}{{"route_type", c.routeType}, {"value", c.value}, {"alias", c.alias}} {
		if required.value == nil {
			return unprocessableAnswer(fmt.Errorf("%s is required", required.name))
		}
	}
	c.apply(&route)
	if err := checkRouteValue(route.RouteType, route.Value); err != nil {
		return unprocessableAnswer(err)
	}
	route.ID = s.AddRoute(route)
	return answer{status: http.StatusCreated, payload: routeDocument{Data: routeResourceOf(route)}}
}

func (s *Server) updateRoute(r *http.Request, id string, body []byte) answer {
	if wrong, ok := wrongMediaType(r, body); ok {
		return wrong
	}
	c, err := parseRouteChanges(body, id)
	if err != nil {
		return unprocessableAnswer(err)
	}
	if id == sipRegRouteID {
		return answer{status: http.StatusForbidden, payload: newErrors(http.StatusForbidden, detailBuiltInRoute)}
	}
	s.accountMu.Lock()
	i := s.routeIndex(id)
	if i < 0 {
		s.accountMu.Unlock()
		return notOnAccount()
	}
	route := s.routes[i].clone()
	c.apply(&route)
	if err := checkRouteValue(route.RouteType, route.Value); err != nil {
		s.accountMu.Unlock()
		return unprocessableAnswer(err)
	}
	s.routes[i] = route
	s.accountMu.Unlock()
	s.accountChanged()
	return answer{status: http.StatusOK, payload: routeDocument{Data: routeResourceOf(route)}}
}

// routeChanges holds the attributes a POST or PATCH sets; nil leaves one be.
type routeChanges struct {
	routeType, value, alias *string
	setEdgeStrategy         bool
	edgeStrategyID          *int // nil clears it
}

func (c routeChanges) apply(r *Route) {
	for _, f := range []struct{ from, to *string }{{c.routeType, &r.RouteType}, {c.value, &r.Value}, {c.alias, &r.Alias}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if c.setEdgeStrategy {
		r.EdgeStrategyID = c.edgeStrategyID
	}
}

// parseRouteChanges reads the envelope of a POST (id "") or of a PATCH of
// route id, checking each attribute it sets.
func parseRouteChanges(body []byte, id string) (routeChanges, error) {
	var doc struct {
		Data *struct {
			Type       string                     `json:"type"`
			ID         *string                    `json:"id"`
			Attributes map[string]json.RawMessage `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data == nil {
		return routeChanges{}, errors.New(`the body must be a JSON object with a "data" object`)
	}
	d := doc.Data
	switch {
	case d.Type != "route":
		return routeChanges{}, errors.New(`data.type must be "route"`)
	case d.ID != nil && (id == "" || *d.ID != id):
		return routeChanges{}, errors.New("data.id must be left out on a creation, and be the route's id on an update")
	}
	var c routeChanges
	for _, text := range []struct {
		name   string
		target **string
	}{{"route_type", &c.routeType}, {"value", &c.value}, {"alias", &c.alias}} {
		raw, ok := d.Attributes[text.name]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, text.target); err != nil || *text.target == nil || **text.target == "" {
			return routeChanges{}, fmt.Errorf("%s must be a non-empty string", text.name)
		}
	}
	if c.routeType != nil && *c.routeType != RouteTypeHost && *c.routeType != RouteTypeURI && *c.routeType != RouteTypeNumber {
		return routeChanges{}, fmt.Errorf("route_type must be one of: %s, %s, %s", RouteTypeHost, RouteTypeNumber, RouteTypeURI)
	}
	if raw, ok := d.Attributes["edge_strategy_id"]; ok {
		c.setEdgeStrategy = true
		if err := json.Unmarshal(raw, &c.edgeStrategyID); err != nil || c.edgeStrategyID != nil && !knownEdgeStrategy(*c.edgeStrategyID) {
			return routeChanges{}, fmt.Errorf("edge_strategy_id must be the id of an edge strategy (1 to %d) or null", len(EdgeStrategies))
		}
	}
	return c, nil
}

var (
	routeWeight   = regexp.MustCompile(`;weight=([0-9]+)$`)
	hostLabel     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	sipUser       = regexp.MustCompile(`^[A-Za-z0-9\-_.!~*'()&=+$,?/%]+$`)
	elevenDigits  = regexp.MustCompile(`^[0-9]{11}$`)
	sipTransports = []string{";transport=tcp", ";transport=udp", ";transport=tls"}
)

// checkRouteValue checks value for its route type: host is a host name or
// IP address with an optional :port, uri is
// sip:user@domain[:port][;transport=tcp|udp|tls], number is 11 digits; each
// may end in ;weight=N, N from 0 to 1000.
func checkRouteValue(routeType, value string) error {
	rest := value
	if m := routeWeight.FindStringSubmatchIndex(value); m != nil {
		weight, err := strconv.Atoi(value[m[2]:m[3]])
		if err != nil || weight > 1000 {
			return fmt.Errorf("value %q: the weight must be from 0 to 1000", value)
		}
		rest = value[:m[0]]
	}
	ok := false
	want := ""
	switch routeType {
	case RouteTypeHost:
		ok, want = hostPort(rest), "a host name or IP address with an optional :port (1-65535)"
	case RouteTypeURI:
		want = "sip:user@domain[:port][;transport=tcp|udp|tls]"
		for _, transport := range sipTransports {
			rest = strings.TrimSuffix(rest, transport)
		}
		user, domain, found := strings.Cut(strings.TrimPrefix(rest, "sip:"), "@")
		ok = strings.HasPrefix(rest, "sip:") && found && sipUser.MatchString(user) && hostPort(domain)
	case RouteTypeNumber:
		ok, want = elevenDigits.MatchString(rest), "an 11-digit number such as 12065551234"
	}
	if !ok {
		return fmt.Errorf("value %q is not valid for route_type %s: want %s, optionally followed by ;weight=N", value, routeType, want)
	}
	return nil
}

// hostPort checks host[:port], where an IPv6 address takes brackets when a
// port follows it.
func hostPort(s string) bool {
	if inner, ok := strings.CutPrefix(s, "["); ok {
		ip, port, closed := strings.Cut(inner, "]")
		addr := net.ParseIP(ip)
		return closed && addr != nil && addr.To4() == nil && strings.Contains(ip, ":") &&
			(port == "" || strings.HasPrefix(port, ":") && validPort(port[1:]))
	}
	if net.ParseIP(s) != nil {
		return true
	}
	host, port, hasPort := strings.Cut(s, ":")
	if hasPort && !validPort(port) {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.To4() != nil
	}
	return hostName(host)
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && s[0] >= '1' && s[0] <= '9' && n <= 65535
}

// hostName checks a DNS name whose last label is not all digits, so that a
// mistyped IPv4 address is not taken for a name.
func hostName(s string) bool {
	labels := strings.Split(s, ".")
	if len(s) > 253 || strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return false
	}
	for _, label := range labels {
		if !hostLabel.MatchString(label) {
			return false
		}
	}
	return true
}

var routeList = &listEndpoint[Route, routeResource]{
	path:     PathRoutes,
	maxLimit: maxListLimit,
	echo:     []string{"route_type"},
	open: func(s *Server, query url.Values) (window[Route], error) {
		routeType := query.Get("route_type")
		switch routeType {
		case "", RouteTypeHost, RouteTypeURI, RouteTypeNumber, RouteTypeSIPReg:
		default:
			return nil, fmt.Errorf("route_type must be one of: %s, %s, %s, %s",
				RouteTypeHost, RouteTypeNumber, RouteTypeSIPReg, RouteTypeURI)
		}
		routes := s.Routes()
		if routeType != "" {
			routes = slices.DeleteFunc(routes, func(r Route) bool { return r.RouteType != routeType })
		}
		return sliceWindow(routes), nil
	},
	item: func(_ string, r Route) routeResource { return routeResourceOf(r) },
}

func routeResourceOf(r Route) routeResource {
	var value *string
	if r.RouteType != RouteTypeSIPReg {
		value = &r.Value
	}
	return routeResource{
		Attributes: routeAttributes{Alias: r.Alias, EdgeStrategyID: r.EdgeStrategyID, RouteType: r.RouteType, Value: value},
		ID:         r.ID,
		Type:       "route",
	}
}

// JSON field order follows the API's answers (keys sorted).
type edgeStrategyAttributes struct {
	Description   string `json:"description"`
	FirewallRules string `json:"firewall_rules"`
	Name          string `json:"name"`
	NAPTR         string `json:"naptr"`
}

type edgeStrategyResource struct {
	Attributes edgeStrategyAttributes `json:"attributes"`
	ID         int                    `json:"id"` // an integer, unlike every other id
	Type       string                 `json:"type"`
}

func edgeStrategyList() any {
	data := make([]edgeStrategyResource, len(EdgeStrategies))
	for i, e := range EdgeStrategies {
		data[i] = edgeStrategyResource{
			Attributes: edgeStrategyAttributes{Description: e.Description, FirewallRules: e.FirewallRules, Name: e.Name, NAPTR: e.NAPTR},
			ID:         e.ID,
			Type:       "edge_strategy",
		}
	}
	return struct {
		Data []edgeStrategyResource `json:"data"`
	}{data}
}
