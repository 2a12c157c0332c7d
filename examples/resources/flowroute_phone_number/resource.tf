# A number chosen beforehand, for instance from flowroute_available_numbers.
# The purchase is refused, and nothing is spent, if the number is no longer
# for sale or costs more than the guards allow.
resource "flowroute_phone_number" "support" {
  number           = "12535198047"
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
    starts_with = "718"
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

# A number whose calls go to a PBX, and to a cell phone when the PBX fails,
# with the address emergency calls report and the caller name its outbound
# calls show. The references order the apply: the records are created before
# the number points at them, and on destroy the number lets go of them first.
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

resource "flowroute_e911_address" "hq" {
  label         = "HQ"
  first_name    = "Chris"
  last_name     = "Smith"
  street_number = "1218"
  street_name   = "3rd Ave"
  city          = "Seattle"
  state         = "WA"
  country       = "US"
  zip           = "98101"
}

# Flowroute approves caller names within 48 hours: attaching one before it is
# approved fails and says so.
resource "flowroute_cnam_preset" "main" {
  value = "ACME CORP"
}

resource "flowroute_phone_number" "main" {
  search            = { starts_with = "425" }
  messaging_enabled = true

  primary_route_id  = flowroute_route.pbx.id
  failover_route_id = flowroute_route.on_call.id
  e911_address_id   = flowroute_e911_address.hq.id
  cnam_preset_id    = flowroute_cnam_preset.main.id
}

# A number whose messages go to a service of their own. Flowroute cannot read
# these URLs back: the state holds what Terraform last sent.
resource "flowroute_phone_number" "alerts" {
  search            = { starts_with = "201" }
  messaging_enabled = true

  sms_callback_url     = "https://alerts.example.com/sms"
  mms_callback_url     = "https://alerts.example.com/mms"
  sms_dlr_callback_url = "https://alerts.example.com/reports"
}
