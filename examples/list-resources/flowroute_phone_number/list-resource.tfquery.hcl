# Every number the account owns (up to 1000), for terraform query. With
# -generate-config-out=numbers.tf, Terraform writes a flowroute_phone_number
# resource and an import block for each: apply them to adopt the numbers,
# nothing bought, changed or released.
list "flowroute_phone_number" "all" {
  provider = flowroute
  limit    = 1000
}

# The numbers of area code 646 only.
list "flowroute_phone_number" "nyc" {
  provider = flowroute

  config {
    starts_with = "1646"
  }
}
