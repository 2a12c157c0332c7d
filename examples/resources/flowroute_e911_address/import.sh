# An E911 address is imported by its id, the digits Flowroute gave it.
terraform import flowroute_e911_address.hq 21301
