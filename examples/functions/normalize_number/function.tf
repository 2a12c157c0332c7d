# Functions need the provider in required_providers; unlike the data sources,
# they need no keys.
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

# "16463439507", the API's form, however the number is written.
output "normalized" {
  value = provider::flowroute::normalize_number("+1 (646) 343-9507")
}

# Normalized, numbers written by hand compare with the data sources' numbers.
variable "wanted_numbers" {
  type    = list(string)
  default = ["(347) 524-0226", "347.524.0227"]
}

data "flowroute_available_numbers" "exchange" {
  starts_with = "1347524"
  limit       = 1000
}

output "wanted_and_available" {
  value = setintersection(
    [for n in var.wanted_numbers : provider::flowroute::normalize_number(n)],
    data.flowroute_available_numbers.exchange.numbers[*].number,
  )
}
