package provider

import (
	"strings"
	"testing"
)

func TestCheckRouteValue(t *testing.T) {
	for routeType, values := range map[string]struct{ valid, invalid []string }{
		"host": {
			valid: []string{"24.239.23.40", "24.239.23.40:5060", "pbx.example.com", "pbx.example.com:5080", "PBX-1.Example.COM",
				"localhost", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:5060", "pbx.example.com;weight=0",
				"24.239.23.40:5060;weight=1000"},
			invalid: []string{"", "pbx..example.com", "-pbx.example.com", "pbx_1.example.com", "pbx.example.com.",
				"pbx.example.com:0", "pbx.example.com:65536", "pbx.example.com:05060", "pbx.example.com:", "24.239.23.400",
				"1.2.3", "[24.239.23.40]:5060", "[2001:db8::1]5060", "[2001:db8::1", "pbx.example.com;weight=1001",
				"pbx.example.com;weight=", "pbx.example.com;weight=-1", "sip:pbx@example.com", strings.Repeat("a", 64) + ".com",
				strings.Repeat("a.", 127) + "com"},
		},
		"uri": {
			valid: []string{"sip:pbx@example.com", "sip:pbx@example.com:5060", "sip:+12065551234@24.239.23.40;transport=udp",
				"sip:pbx@[2001:db8::1]:5061;transport=tls", "sip:pbx@example.com;transport=tcp;weight=20"},
			invalid: []string{"pbx@example.com", "sip:example.com", "sip:@example.com", "sips:pbx@example.com",
				"sip:pbx@example.com;transport=sctp", "sip:pbx@example.com:99999", "sip:p;b@example.com",
				"sip:pbx@example.com;weight=5;transport=tcp", "sip:pbx@"},
		},
		"number": {
			valid:   []string{"12065551234", "12065551234;weight=500"},
			invalid: []string{"2065551234", "+12065551234", "120655512345", "1206555123x", "12065551234;weight=2000"},
		},
	} {
		for _, v := range values.valid {
			if err := checkRouteValue(routeType, v); err != nil {
				t.Errorf("%s %q: %v", routeType, v, err)
			}
		}
		for _, v := range values.invalid {
			if err := checkRouteValue(routeType, v); err == nil {
				t.Errorf("%s %q accepted", routeType, v)
			}
		}
	}
}
