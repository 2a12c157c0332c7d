package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/flowroute-community/terraform-provider-flowroute/internal/simulator"
)

func TestAPINumberProblem(t *testing.T) {
	for s, want := range map[string]string{
		"16463439507":   "",
		"442079460958":  "",
		"+16463439507":  `"+16463439507" is written "16463439507"`,
		"6463439507":    `"6463439507" is written "16463439507"`,
		"646-343-9507":  `"646-343-9507" is written "16463439507"`,
		"10465550100":   "the area code 046 starts with 0",
		"44207946095":   "it is not a valid number of GB, GG, IM, JE (+44)",
		"999123456789":  "no country has the calling code it starts with",
		"1646343950712": "it has 12 digits after the country code +1",
		"16463439507 ":  `is written "16463439507"`,
		"１6463439507":   `is not`,
		"":              `"" is not`,
	} {
		got := apiNumberProblem(s)
		if want == "" && got != "" || !strings.Contains(got, want) {
			t.Errorf("apiNumberProblem(%q) = %q, want it to contain %q", s, got, want)
		}
	}
}

func TestAccPhoneNumber_numberValidation(t *testing.T) {
	env := newTestEnv(t, simulator.Options{})
	t.Cleanup(func() {
		if n := env.sim.RequestCount(); n != 0 {
			t.Errorf("%d requests, want none for invalid numbers", n)
		}
	})
	for name, tc := range map[string][2]string{
		"area_code_0":   {"10465550100", "the area code 046 starts with 0: a NANP area code starts with 2-9"},
		"other_country": {"44207946095", "it is not a valid number of GB, GG, IM, JE (+44)"},
		"dashes":        {"1-646-343-9507", `"1-646-343-9507" is written "16463439507"`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(),
				Steps: []resource.TestStep{{
					Config:      env.phoneNumberConfig(`number = "` + tc[0] + `"`),
					PlanOnly:    true,
					ExpectError: errorPattern("Invalid phone number", `must be a number in E.164 digits without "+"`, tc[1]),
				}},
			})
		})
	}
}
