# Every exchange of area code 347.
data "flowroute_available_exchanges" "brooklyn" {
  areacode = "347"
}

output "brooklyn_exchanges" {
  value = data.flowroute_available_exchanges.brooklyn.exchanges[*].exchange
}

# The first 50 exchanges, of any area code, with a number whose setup fee is
# at most 1 USD, and a longer time limit for a slow network.
data "flowroute_available_exchanges" "cheap" {
  limit          = 50
  max_setup_cost = 1

  timeouts = {
    read = "10m"
  }
}

# Local numbers in New York state: its exchanges, the town each is in where
# known ("MB" would list Manitoba's, in either case).
data "flowroute_available_exchanges" "new_york" {
  state = "NY"
  limit = 20
}

output "new_york_exchanges" {
  value = [for e in data.flowroute_available_exchanges.new_york.exchanges : "${e.exchange} (${e.location})"]
}
