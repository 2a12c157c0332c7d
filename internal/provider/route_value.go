package provider

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/flowroute"
)

var (
	routeWeight  = regexp.MustCompile(`;weight=([0-9]+)$`)
	dnsLabel     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	sipUserPart  = regexp.MustCompile(`^[A-Za-z0-9\-_.!~*'()&=+$,?/%]+$`)
	routedNumber = regexp.MustCompile(`^[0-9]{11}$`)
)

// routeValueForms says, per route type, what its value looks like.
var routeValueForms = map[string]string{
	flowroute.RouteTypeHost: "a host name, an IPv4 address or an IPv6 address, with an optional :port from 1 to 65535 " +
		"(an IPv6 address in brackets when a port follows), such as 24.239.23.40:5060 or pbx.example.com",
	flowroute.RouteTypeURI:    "a SIP URI sip:user@domain[:port][;transport=tcp|udp|tls], such as sip:pbx@example.com:5060;transport=tls",
	flowroute.RouteTypeNumber: "an 11-digit number to forward calls to, such as 12065551234",
}

// checkRouteValue checks a route's value for its type, as the API takes it:
// each form may end in ;weight=N, N from 0 to 1000, which balances calls
// between a number's primary and failover routes.
func checkRouteValue(routeType, value string) error {
	rest := value
	if m := routeWeight.FindStringSubmatchIndex(value); m != nil {
		if weight, err := strconv.Atoi(value[m[2]:m[3]]); err != nil || weight > 1000 {
			return fmt.Errorf("the weight in %q must be from 0 to 1000", value)
		}
		rest = value[:m[0]]
	}
	var ok bool
	switch routeType {
	case flowroute.RouteTypeHost:
		ok = validHostPort(rest)
	case flowroute.RouteTypeURI:
		for _, transport := range []string{";transport=tcp", ";transport=udp", ";transport=tls"} {
			rest = strings.TrimSuffix(rest, transport)
		}
		user, domain, found := strings.Cut(strings.TrimPrefix(rest, "sip:"), "@")
		ok = strings.HasPrefix(rest, "sip:") && found && sipUserPart.MatchString(user) && validHostPort(domain)
	case flowroute.RouteTypeNumber:
		ok = routedNumber.MatchString(rest)
	}
	if !ok {
		return fmt.Errorf("%q is not a %s route's value: want %s, optionally followed by ;weight=N (N from 0 to 1000)",
			value, routeType, routeValueForms[routeType])
	}
	return nil
}

// validHostPort checks host[:port].
func validHostPort(s string) bool {
	if inner, ok := strings.CutPrefix(s, "["); ok {
		ip, port, closed := strings.Cut(inner, "]")
		addr := net.ParseIP(ip)
		return closed && addr != nil && strings.Contains(ip, ":") &&
			(port == "" || strings.HasPrefix(port, ":") && validPort(port[1:]))
	}
	if net.ParseIP(s) != nil {
		return true // IPv4, or IPv6 without a port
	}
	host, port, hasPort := strings.Cut(s, ":")
	if hasPort && !validPort(port) {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return true
	}
	return validHostName(host)
}

func validPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && s[0] >= '1' && s[0] <= '9' && n <= 65535
}

// validHostName checks a DNS name whose last label is not all digits, so
// that a mistyped IPv4 address such as 24.239.23.400 is not taken for one.
func validHostName(s string) bool {
	labels := strings.Split(s, ".")
	if len(s) > 253 || strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return false
	}
	for _, label := range labels {
		if !dnsLabel.MatchString(label) {
			return false
		}
	}
	return true
}
