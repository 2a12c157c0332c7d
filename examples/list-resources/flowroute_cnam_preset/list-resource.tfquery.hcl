# The caller names Flowroute has approved.
list "flowroute_cnam_preset" "approved" {
  provider = flowroute

  config {
    is_approved = true
  }
}
