# The caller name shown on outbound calls, once Flowroute approves it (up to
# 48 hours). A new value replaces the preset once it is approved.
resource "flowroute_cnam_preset" "support" {
  value = "ACME SUPPORT"
}

output "support_cnam_approved" {
  value = flowroute_cnam_preset.support.is_approved
}
