# An account-wide callback is imported by its type.
terraform import flowroute_messaging_callback.sms sms_callback
