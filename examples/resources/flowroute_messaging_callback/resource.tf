# Where Flowroute sends every number's inbound SMS, and the delivery reports
# of the SMS they send, unless a number has its own URLs.
resource "flowroute_messaging_callback" "sms" {
  callback_type = "sms_callback"
  callback_url  = "https://hooks.example.com/flowroute/sms"
}

resource "flowroute_messaging_callback" "sms_reports" {
  callback_type = "sms_dlr_callback"
  callback_url  = "https://hooks.example.com/flowroute/sms-reports"
}
