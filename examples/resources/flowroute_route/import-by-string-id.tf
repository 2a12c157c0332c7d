import {
  to = flowroute_route.pbx
  id = "98396"
}
