import {
  to = flowroute_e911_address.hq
  id = "21301"
}
