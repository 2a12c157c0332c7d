# Every area code that holds purchasable numbers.
data "flowroute_available_areacodes" "all" {}

# The first 20 area codes with a number whose setup fee is at most 1 USD.
data "flowroute_available_areacodes" "cheap" {
  limit          = 20
  max_setup_cost = 1
}

output "cheap_area_codes" {
  value = data.flowroute_available_areacodes.cheap.area_codes[*].area_code
}

# The next 20, and a longer time limit for a slow network.
data "flowroute_available_areacodes" "next_page" {
  limit  = 20
  offset = 20

  timeouts = {
    read = "10m"
  }
}

# The area codes of New York state, each with its place. The API cannot filter
# by place: the provider lists every area code and keeps New York's.
data "flowroute_available_areacodes" "new_york" {
  state = "ny"
}

output "new_york_area_codes" {
  value = { for a in data.flowroute_available_areacodes.new_york.area_codes : a.area_code => a.location }
}
