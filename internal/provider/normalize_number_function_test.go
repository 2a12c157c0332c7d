package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccNormalizeNumberFunction(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(),
		TerraformVersionChecks:   functionVersionChecks,
		Steps: []resource.TestStep{{
			// The argument of "later" is unknown until apply.
			Config: numberFormsConfig("normalize_number") + `
resource "terraform_data" "number" {
  input = "+1 (800) 555-0199"
}

output "later" {
  value = provider::flowroute::normalize_number(terraform_data.number.output)
}
`,
			ConfigStateChecks: append(expectNumberForms(knownvalue.StringExact("16463439507")),
				statecheck.ExpectKnownOutputValue("later", knownvalue.StringExact("18005550199"))),
		}},
	})
}

func TestAccNormalizeNumberFunction_invalid(t *testing.T) {
	runInvalidNumberCases(t, "normalize_number")
}
