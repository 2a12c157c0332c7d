# The purchase path, from area code to exchange to number: the first area
# code that holds purchasable numbers, its first exchange, five numbers in
# that exchange, and one of them bought and routed. The keys and base URL come from FLOWROUTE_ACCESS_KEY,
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

# Step 4: where its calls go: a PBX, and a cell phone when the PBX fails.
resource "flowroute_route" "pbx" {
  route_type = "host"
  value      = "pbx.example.com:5060"
  alias      = "pbx"
}

resource "flowroute_route" "on_call" {
  route_type = "number"
  value      = "12065551234"
  alias      = "on-call cell"
}

# Step 5: buy a number of that exchange, routed. A search rather than a
# number from step 3: once bought, a number leaves the purchasable inventory,
# so step 3 would list another first number on the next plan; a search keeps
# the number bought while it still matches. deletion_protection is on by
# default.
resource "flowroute_phone_number" "main" {
  search = {
    starts_with = "1${data.flowroute_available_exchanges.in_area_code.exchanges[0].exchange}"
  }
  max_setup_cost   = 10
  max_monthly_cost = 5
  alias            = "main line"

  primary_route_id  = flowroute_route.pbx.id
  failover_route_id = flowroute_route.on_call.id
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

output "bought" {
  value = flowroute_phone_number.main.number
}
