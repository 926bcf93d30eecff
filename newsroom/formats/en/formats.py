"""How dates and times read, in the admin and on the site: in the site's time zone
(DJANGO_TIME_ZONE), named after every time, so "6 December 2026, 10:02 GMT" means the same
to a reader abroad as to the desk. Django reads these through FORMAT_MODULE_PATH, ahead of its
own formats for English; templates ask for them by name, e.g. |date:"DATETIME_FORMAT"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i T"
TIME_FORMAT = "H:i T"
