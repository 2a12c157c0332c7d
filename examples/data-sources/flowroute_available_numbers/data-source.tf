# Ten numbers in exchange 347-524 (country code 1 is assumed).
data "flowroute_available_numbers" "exchange" {
  starts_with = "347524"
  limit       = 10
}

output "exchange_numbers" {
  value = data.flowroute_available_numbers.exchange.numbers[*].number
}

# Up to twenty New York numbers ending in 7, with their fees.
data "flowroute_available_numbers" "round" {
  state     = "ny"
  ends_with = "7"
  limit     = 20
}

output "round_numbers" {
  value = {
    for n in data.flowroute_available_numbers.round.numbers : n.number => {
      setup_cost   = n.setup_cost
      monthly_cost = n.monthly_cost
    }
  }
}

# Five toll-free numbers, skipping the first five.
data "flowroute_available_numbers" "toll_free" {
  number_type = "toll-free"
  limit       = 5
  offset      = 5
}
