# The office's emergency address. Flowroute validates and geocodes it; a
# field it refuses is reported on that attribute.
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

  # Optional, and only together.
  address_type        = "Suite"
  address_type_number = "300"
}

output "hq_e911_address_id" {
  value = flowroute_e911_address.hq.id
}
