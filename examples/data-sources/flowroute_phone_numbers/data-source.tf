# Every number the account owns.
data "flowroute_phone_numbers" "all" {}

# The account's New York City numbers whose alias is exactly "support".
data "flowroute_phone_numbers" "support" {
  starts_with = "1646"
  alias       = "support"
}

output "owned" {
  value = data.flowroute_phone_numbers.all.numbers[*].number
}
