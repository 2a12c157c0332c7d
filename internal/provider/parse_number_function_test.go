package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// functionVersionChecks skip the CLIs that report a version before 1.8, the
// first Terraform with provider functions.
var functionVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// numberForms are ways of writing +1 646 343 9507 that both functions read.
// They need no escaping in HCL beyond what %q gives.
var numberForms = []string{
	"16463439507",
	"+16463439507",
	"6463439507",
	"+1 646 343 9507",
	"(646) 343-9507",
	"1 (646) 343-9507",
	"646.343.9507",
	"1-646-343-9507",
	" 646 343 9507\n",
}

// numberFormsConfig calls the function on each of the forms, output i
// holding the result for form i.
func numberFormsConfig(function string) string {
	var config strings.Builder
	for i, form := range numberForms {
		fmt.Fprintf(&config, "output \"form_%d\" {\n  value = provider::flowroute::%s(%q)\n}\n", i, function, form)
	}
	return config.String()
}

// expectNumberForms expects every output of numberFormsConfig to be want.
func expectNumberForms(want knownvalue.Check) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, len(numberForms))
	for i := range numberForms {
		checks[i] = statecheck.ExpectKnownOutputValue(fmt.Sprintf("form_%d", i), want)
	}
	return checks
}

// runInvalidNumberCases checks that the function refuses what is not a NANP
// number, blaming its argument and saying why.
func runInvalidNumberCases(t *testing.T, function string) {
	t.Helper()
	for _, tc := range []struct {
		name, argument string
		want           []string
	}{
		{"too_few_digits", `"646 343 950"`, []string{`invalid phone number "646 343 950": it has 9 digits, a NANP number has 10 (or 11 starting with 1)`}},
		{"too_many_digits", `"1 646 343 95070"`, []string{"it has 12 digits, a NANP number has 10 (or 11 starting with 1)"}},
		{"letter", `"1-800-FLOWERS"`, []string{`letter "F" at position 7: a phone number has only the digits 0-9`}},
		{"other_country_short", `"+44 20 7946 09"`, []string{"it is not a valid number of GB, GG, IM, JE (+44): their numbering plan has no number 20794609"}},
		{"other_country_long", `"+33 6 12 34 56 78 9"`, []string{"it has 10 digits after the country code +33, too many for a number of FR"}},
		{"no_such_country", `"+999 1234 5678"`, []string{"no country has the calling code it starts with"}},
		{"too_long", `"+44 20 7946 0958 1234 5678"`, []string{"it has 20 digits, an international number has at most 15"}},
		{"area_code_0", `"(046) 343-9507"`, []string{"the area code 046 starts with 0: a NANP area code starts with 2-9"}},
		{"exchange_1", `"646-143-9507"`, []string{"the exchange 143 starts with 1: a NANP exchange starts with 2-9"}},
		{"plus_inside", `"1+646 343 9507"`, []string{`"+" at position 2: a "+" may only come first, before the country code`}},
		{"parentheses_around_exchange", `"646 (343) 9507"`, []string{"the parentheses at positions 5 and 9 enclose other digits than the area code"}},
		{"parenthesis_unclosed", `"(646 343-9507"`, []string{`the "(" at position 1 is never closed`}},
		{"empty", `""`, []string{`invalid phone number "": it is empty`}},
		{"null", "null", []string{"argument must not be null"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				TerraformVersionChecks:   functionVersionChecks,
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf("output \"number\" {\n  value = provider::flowroute::%s(%s)\n}\n", function, tc.argument),
					PlanOnly:    true,
					ExpectError: errorPattern(append([]string{"Invalid function argument", `Invalid value for "number" parameter:`}, tc.want...)...),
				}},
			})
		})
	}
}

// placed is the place parse_number gives a number: region, location, time
// zones and line type.
func placed(region, location string, timeZones knownvalue.Check, lineType string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"region":     knownvalue.StringExact(region),
		"location":   knownvalue.StringExact(location),
		"time_zones": timeZones,
		"line_type":  knownvalue.StringExact(lineType),
	}
}

func TestAccParseNumberFunction(t *testing.T) {
	newYork := placed("US", "New York", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("America/New_York")}),
		"fixed_line_or_mobile")
	// A toll-free number has every zone of the NANP.
	tollFree := placed("US", "United States", knownvalue.ListSizeExact(42), "toll_free")
	parsed := func(number, areaCode, exchange, line string, place map[string]knownvalue.Check) knownvalue.Check {
		want := map[string]knownvalue.Check{
			"number":       knownvalue.StringExact(number),
			"e164":         knownvalue.StringExact("+" + number),
			"country_code": knownvalue.StringExact("1"),
			"area_code":    knownvalue.StringExact(areaCode),
			"exchange":     knownvalue.StringExact(exchange),
			"line":         knownvalue.StringExact(line),
			"national":     knownvalue.StringExact("(" + areaCode + ") " + exchange + "-" + line),
		}
		for name, check := range place {
			want[name] = check
		}
		return knownvalue.ObjectExact(want)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: numberFormsConfig("parse_number") + `
output "toll_free" {
  value = provider::flowroute::parse_number("+1 800 555 0199")
}

output "area_code" {
  value = provider::flowroute::parse_number("646.343.9507").area_code
}
`,
			ConfigStateChecks: append(expectNumberForms(parsed("16463439507", "646", "343", "9507", newYork)),
				statecheck.ExpectKnownOutputValue("toll_free", parsed("18005550199", "800", "555", "0199", tollFree)),
				statecheck.ExpectKnownOutputValue("area_code", knownvalue.StringExact("646"))),
		}},
	})
}

func TestAccParseNumberFunction_invalid(t *testing.T) {
	runInvalidNumberCases(t, "parse_number")
}

func TestAccParseNumberFunction_places(t *testing.T) {
	object := func(fields map[string]string, place map[string]knownvalue.Check) knownvalue.Check {
		want := map[string]knownvalue.Check{}
		for name, v := range fields {
			want[name] = knownvalue.StringExact(v)
		}
		for name, check := range place {
			want[name] = check
		}
		return knownvalue.ObjectExact(want)
	}
	zones := func(names ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(names))
		for i, name := range names {
			checks[i] = knownvalue.StringExact(name)
		}
		return knownvalue.ListExact(checks)
	}
	london := object(map[string]string{"number": "442079460958", "e164": "+442079460958", "country_code": "44",
		"area_code": "20", "exchange": "", "line": "79460958", "national": "020 7946 0958"},
		placed("GB", "London", zones("Europe/London"), "fixed_line"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			Config: `
output "london" {
  value = provider::flowroute::parse_number("+44 20 7946 0958")
}

output "london_spaced" {
  value = provider::flowroute::parse_number("  +44 (0)20  7946-0958 ")
}

output "london_normalized" {
  value = provider::flowroute::normalize_number("+44.20.7946.0958")
}

output "paris_mobile" {
  value = provider::flowroute::parse_number("+33 6 12 34 56 78")
}

output "winnipeg" {
  value = provider::flowroute::parse_number("204 200 0000")
}

output "jersey_city" {
  value = provider::flowroute::parse_number("+1 (201) 200-0000").location
}

output "not_in_service" {
  value = provider::flowroute::parse_number("(200) 200-0000")
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("london", london),
				statecheck.ExpectKnownOutputValue("london_spaced", london),
				statecheck.ExpectKnownOutputValue("london_normalized", knownvalue.StringExact("442079460958")),
				statecheck.ExpectKnownOutputValue("paris_mobile", object(map[string]string{"number": "33612345678",
					"e164": "+33612345678", "country_code": "33", "area_code": "", "exchange": "", "line": "612345678",
					"national": "06 12 34 56 78"}, placed("FR", "France", zones("Europe/Paris"), "mobile"))),
				statecheck.ExpectKnownOutputValue("winnipeg", object(map[string]string{"number": "12042000000",
					"e164": "+12042000000", "country_code": "1", "area_code": "204", "exchange": "200", "line": "0000",
					"national": "(204) 200-0000"}, placed("CA", "Manitoba", zones("America/Winnipeg"), "fixed_line_or_mobile"))),
				statecheck.ExpectKnownOutputValue("jersey_city", knownvalue.StringExact("Jersey City, NJ")),
				statecheck.ExpectKnownOutputValue("not_in_service", object(map[string]string{"number": "12002000000",
					"e164": "+12002000000", "country_code": "1", "area_code": "200", "exchange": "200", "line": "0000",
					"national": "(200) 200-0000"}, map[string]knownvalue.Check{"region": knownvalue.Null(),
					"location": knownvalue.Null(), "time_zones": knownvalue.ListSizeExact(0), "line_type": knownvalue.Null()})),
			},
		}},
	})
}
