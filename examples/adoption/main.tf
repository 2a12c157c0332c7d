# Brings every number the account owns (bought in the portal, say) under
# flowroute_phone_number in one plan: nothing is bought and nothing is
# released. Narrow the data source's filters to adopt a subset. The keys and
# base URL come from FLOWROUTE_ACCESS_KEY, FLOWROUTE_SECRET_KEY and
# FLOWROUTE_BASE_URL. Import blocks with for_each need OpenTofu 1.7 or
# Terraform 1.7 or newer.
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

provider "flowroute" {}

data "flowroute_phone_numbers" "owned" {}

locals {
  owned = { for n in data.flowroute_phone_numbers.owned.numbers : n.number => n }
}

import {
  for_each = local.owned
  to       = flowroute_phone_number.adopted[each.key]
  id       = each.key
}

# Each number with the alias the account gives it, so the plan only imports.
# To manage aliases here instead, set alias from a map of your own keyed by
# number; the next apply then updates them in place. deletion_protection is
# on, as for a number bought here.
resource "flowroute_phone_number" "adopted" {
  for_each = local.owned

  number = each.key
  alias  = each.value.alias
}

output "adopted" {
  value = length(flowroute_phone_number.adopted)
}
