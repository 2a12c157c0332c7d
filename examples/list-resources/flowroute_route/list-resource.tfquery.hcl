# The account's SIP host routes, with every attribute of each.
list "flowroute_route" "hosts" {
  provider         = flowroute
  include_resource = true

  config {
    route_type = "host"
  }
}
