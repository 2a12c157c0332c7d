# A route is imported by its id, as the Flowroute portal and the API show it.
terraform import flowroute_route.pbx 98396
