data "flowroute_edge_strategies" "all" {}

# A PBX reached at its address and port, through the US-East-VA point of
# presence.
resource "flowroute_route" "pbx" {
  route_type       = "host"
  value            = "24.239.23.40:5060"
  alias            = "pbx-east"
  edge_strategy_id = [for s in data.flowroute_edge_strategies.all.edge_strategies : s.id if s.name == "US-East-VA"][0]
}

# A SIP URI over TLS.
resource "flowroute_route" "softphone" {
  route_type = "uri"
  value      = "sip:desk@voip.example.com:5061;transport=tls"
  alias      = "softphone"
}

# Calls forwarded to another number, with a weight that balances calls
# between a number's primary and failover routes.
resource "flowroute_route" "cell" {
  route_type = "number"
  value      = "12065551234;weight=10"
  alias      = "on-call-cell"
}
