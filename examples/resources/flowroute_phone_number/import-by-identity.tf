# Terraform 1.12+ and OpenTofu 1.12+: nothing is bought, changed or released.
# terraform query -generate-config-out (Terraform 1.14+) writes such a block,
# with its resource, for every number the account owns: see the
# flowroute_phone_number list resource and "Adopting an existing account" in
# the README.
import {
  to       = flowroute_phone_number.support
  identity = { number = "16463439507" }
}
