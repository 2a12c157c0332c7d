# A CNAM preset is imported by its id, the digits Flowroute gave it.
terraform import flowroute_cnam_preset.support 23454
