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
		{"other_country", `"+44 20 7946 0958"`, []string{"the country code is not 1: only NANP (+1) numbers are supported"}},
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

func TestAccParseNumberFunction(t *testing.T) {
	parsed := func(number, areaCode, exchange, line string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"number":       knownvalue.StringExact(number),
			"e164":         knownvalue.StringExact("+" + number),
			"country_code": knownvalue.StringExact("1"),
			"area_code":    knownvalue.StringExact(areaCode),
			"exchange":     knownvalue.StringExact(exchange),
			"line":         knownvalue.StringExact(line),
			"national":     knownvalue.StringExact("(" + areaCode + ") " + exchange + "-" + line),
		})
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
			ConfigStateChecks: append(expectNumberForms(parsed("16463439507", "646", "343", "9507")),
				statecheck.ExpectKnownOutputValue("toll_free", parsed("18005550199", "800", "555", "0199")),
				statecheck.ExpectKnownOutputValue("area_code", knownvalue.StringExact("646"))),
		}},
	})
}

func TestAccParseNumberFunction_invalid(t *testing.T) {
	runInvalidNumberCases(t, "parse_number")
}
