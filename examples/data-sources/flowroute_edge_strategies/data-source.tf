data "flowroute_edge_strategies" "all" {}

output "points_of_presence" {
  value = { for s in data.flowroute_edge_strategies.all.edge_strategies : s.name => s.naptr }
}

# The id of one, by name, for a route's edge_strategy_id.
output "us_east_va" {
  value = [for s in data.flowroute_edge_strategies.all.edge_strategies : s.id if s.name == "US-East-VA"][0]
}
