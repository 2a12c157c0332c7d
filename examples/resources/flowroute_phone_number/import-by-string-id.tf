import {
  to = flowroute_phone_number.support
  id = "12535198047"
}
