"""English times on a 24-hour clock: Django's "8:59 p.m." ends in a period, so every
sentence that closes after a time read "8:59 p.m.. Thank you." The other formats stay
Django's."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
