# Functions need the provider in required_providers; unlike the data sources,
# they need no keys.
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

locals {
  office = provider::flowroute::parse_number("+1 347 524 0226")
}

# {
#   number       = "13475240226"
#   e164         = "+13475240226"
#   country_code = "1"
#   area_code    = "347"
#   exchange     = "524"
#   line         = "0226"
#   national     = "(347) 524-0226"
#   region       = "US"
#   location     = "New York"
#   time_zones   = ["America/New_York"]
#   line_type    = "fixed_line_or_mobile"
# }
output "office" {
  value = local.office
}

# Ten numbers to purchase in the office's exchange.
data "flowroute_available_numbers" "near_office" {
  starts_with = "1${local.office.area_code}${local.office.exchange}"
  limit       = 10
}

output "near_office" {
  value = [for n in data.flowroute_available_numbers.near_office.numbers : provider::flowroute::parse_number(n.number).national]
}

# Other countries' numbers are read too.
output "london_office" {
  value = provider::flowroute::parse_number("+44 20 7946 0958") # national = "020 7946 0958", location = "London"
}
