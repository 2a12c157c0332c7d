# The account's E911 addresses in Seattle.
list "flowroute_e911_address" "seattle" {
  provider = flowroute

  config {
    city  = "Seattle"
    state = "WA"
  }
}
