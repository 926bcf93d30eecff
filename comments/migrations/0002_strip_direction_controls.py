import hashlib
import re

from django.db import migrations
from django.db.models import Q

# As comments.text had it when this was written: migrations keep their own copy.
DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
UNWANTED = re.compile(f"[{DIRECTION_CONTROLS}\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_direction_controls(apps, schema_editor):
    """Names and bodies stored before readers' text was cleaned on input lose the direction
    controls that could spoof a link's text (security finding 13.11)."""
    Comment = apps.get_model("comments", "Comment")
    holding = Q()
    for control in DIRECTION_CONTROLS:
        holding |= Q(name__contains=control) | Q(body__contains=control)
    for comment in Comment.objects.filter(holding).only("pk", "name", "body", "body_fingerprint").iterator():
        comment.name = " ".join(UNWANTED.sub("", comment.name).split()) or "Reader"
        comment.body = UNWANTED.sub("", comment.body).strip() or "…"
        words = " ".join(comment.body.casefold().split())
        comment.body_fingerprint = hashlib.sha256(words.encode()).hexdigest()
        comment.save(update_fields=["name", "body", "body_fingerprint"])


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]

    operations = [
        # Nothing to put back: the characters removed were never meant to be there.
        migrations.RunPython(strip_direction_controls, migrations.RunPython.noop),
    ]
