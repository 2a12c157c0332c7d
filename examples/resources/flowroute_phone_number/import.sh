# A number the account already owns, by its number in E.164 digits without "+".
terraform import flowroute_phone_number.support 12535198047
