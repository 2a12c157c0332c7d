import {
  to = flowroute_cnam_preset.support
  id = "23454"
}
