terraform {
  required_providers {
    flowroute = {
      source = "flowroute-community/flowroute"
    }
  }
}

# With no arguments, the keys come from FLOWROUTE_ACCESS_KEY and
# FLOWROUTE_SECRET_KEY (or FR_ACCESS_KEY and FR_SECRET_KEY).
provider "flowroute" {}

# Or pass them in from variables; keep the secret out of version control.
provider "flowroute" {
  alias      = "explicit"
  access_key = var.flowroute_access_key
  secret_key = var.flowroute_secret_key
}

variable "flowroute_access_key" {
  type = string
}

variable "flowroute_secret_key" {
  type      = string
  sensitive = true
}
