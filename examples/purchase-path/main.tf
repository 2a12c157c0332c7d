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

# Step 5: buy a number of that exchange, routed: the data sources choose, and
# what was bought stays. The data sources list what is for sale at each plan:
# the number bought leaves step 3's list, and once others buy the rest of the
# exchange, step 2 lists another exchange first. So the number is bought with
# a search (not step 3's first number), and ignore_changes keeps the search
# that bought it: no later listing replaces the number (or, with
# deletion_protection, fails every plan). deletion_protection is on by default.
resource "flowroute_phone_number" "main" {
  search = {
    starts_with = "1${data.flowroute_available_exchanges.in_area_code.exchanges[0].exchange}"
  }
  max_setup_cost   = 10
  max_monthly_cost = 5
  alias            = "main line"

  primary_route_id  = flowroute_route.pbx.id
  failover_route_id = flowroute_route.on_call.id

  lifecycle {
    ignore_changes = [search]
  }
}

# What the data sources list changes with the inventory; what was bought
# does not. The listings are in the state: tofu state show (or terraform
# state show) data.flowroute_available_numbers.in_exchange.
output "bought" {
  value = flowroute_phone_number.main.number
}
