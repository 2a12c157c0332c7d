import {
  to = flowroute_phone_number.support
  id = "16463439507"
}
