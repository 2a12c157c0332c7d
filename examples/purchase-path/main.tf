# The purchase path, from area code to exchange to number: the first area
# code that holds purchasable numbers, its first exchange, and five numbers
# in that exchange. The keys and base URL come from FLOWROUTE_ACCESS_KEY,
# FLOWROUTE_SECRET_KEY and FLOWROUTE_BASE_URL (the simulator's, for a try).
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

provider "flowroute" {}

# Step 1: area codes.
data "flowroute_available_areacodes" "first" {
  limit = 10
}

# Step 2: the exchanges of the first area code.
data "flowroute_available_exchanges" "in_area_code" {
  areacode = data.flowroute_available_areacodes.first.area_codes[0].area_code
}

# Step 3: five numbers in the first exchange, after country code 1.
data "flowroute_available_numbers" "in_exchange" {
  starts_with = "1${data.flowroute_available_exchanges.in_area_code.exchanges[0].exchange}"
  limit       = 5
}

output "area_codes" {
  value = data.flowroute_available_areacodes.first.area_codes[*].area_code
}

output "exchanges" {
  value = data.flowroute_available_exchanges.in_area_code.exchanges[*].exchange
}

output "numbers" {
  value = data.flowroute_available_numbers.in_exchange.numbers[*].number
}
