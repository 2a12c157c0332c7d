# Terraform 1.12+ and OpenTofu 1.12+. terraform query -generate-config-out
# (Terraform 1.14+) writes such a block, with its resource, for each one the
# account has: see the flowroute_route list resource.
import {
  to       = flowroute_route.pbx
  identity = { id = "98396" }
}
