# The demo that `make demo` runs against the local Flowroute simulator. The
# keys and base URL come from FLOWROUTE_ACCESS_KEY, FLOWROUTE_SECRET_KEY and
# FLOWROUTE_BASE_URL, which the demo sets to the simulator's.
terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

provider "flowroute" {}

data "flowroute_available_areacodes" "all" {}

data "flowroute_available_areacodes" "cheap" {
  max_setup_cost = 1
}

output "area_code_count" {
  value = length(data.flowroute_available_areacodes.all.area_codes)
}

output "area_codes" {
  value = join(" ", data.flowroute_available_areacodes.all.area_codes[*].area_code)
}

output "cheap_area_code_count" {
  value = length(data.flowroute_available_areacodes.cheap.area_codes)
}

output "first_exchanges_url" {
  value = data.flowroute_available_areacodes.all.area_codes[0].exchanges_url
}
