# A number chosen beforehand, for instance from flowroute_available_numbers.
# The purchase is refused, and nothing is spent, if the number is no longer
# for sale or costs more than the guards allow.
resource "flowroute_phone_number" "support" {
  number           = "16463439507"
  max_setup_cost   = 1.5
  max_monthly_cost = 1.25

  alias                = "support line"
  cnam_lookups_enabled = true
}

# The first purchasable number of a search, within the guards. Prefer a search
# to a number read from flowroute_available_numbers: once bought, a number
# leaves that list, and a number taken from it would change on the next plan.
# A search keeps the number while it still matches.
resource "flowroute_phone_number" "sales" {
  search = {
    starts_with = "646"
    number_type = "longcode"
  }
  max_setup_cost = 1.5
  alias          = "sales"
}

# Several numbers from one search: each instance buys a distinct number.
resource "flowroute_phone_number" "agents" {
  for_each = toset(["alice", "bob", "carol"])

  search         = { state = "ny" }
  max_setup_cost = 1
  alias          = "agent ${each.key}"
}
