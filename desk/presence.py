"""
Who else has an article's form open: each open form's browser sends a heartbeat every
HEARTBEAT_SECONDS, and a person counts as present until LIFETIME passes without one.

The one editing it (the holder) is whoever has been there longest, unless someone has taken it
over since; the others are told, as they open the form, and may take it over in turn. Saving is
not held up either way: the first save still wins (desk/admin/forms.py).

Kept in the database, not the cache: a few writes a minute per open form cost nothing, the
unique row per person and article makes each heartbeat one atomic write with no lost update
between two browsers, and every process sees the same rows whatever cache is configured (a
per-process local-memory cache would show each worker its own editors, and a Redis that drops
keys under memory pressure would forget someone mid-edit).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Presence

HEARTBEAT_SECONDS = 20
LIFETIME = timedelta(seconds=60)


@dataclass
class Editing:
    """Who has an article open: the holder, since when, and everyone else present."""

    holder: object = None  # a user, or None when no one has it open
    holder_since: datetime | None = None
    others: list = field(default_factory=list)  # users present besides the holder

    def holder_is(self, user):
        return self.holder is not None and self.holder.pk == user.pk


def person_name(user):
    return user.get_full_name() or user.get_username()


def presence_beat(*, article, user, take_over=False, now=None):
    """Record `user`'s heartbeat on `article` (taking it over if asked); returns Editing."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = Presence.objects.select_for_update()
        try:
            with transaction.atomic():
                row, created = rows.get_or_create(
                    article=article, user=user, defaults={"since": now, "seen_at": now}
                )
        except IntegrityError:  # a second tab's first heartbeat made it meanwhile
            row, created = rows.get(article=article, user=user), False
        if not created and row.seen_at < now - LIFETIME:
            row.since, row.took_over_at = now, None  # back after a break: a new stretch
        row.seen_at = now
        if take_over:
            row.took_over_at = now
        row.save()
        Presence.objects.filter(article=article, seen_at__lt=now - LIFETIME).delete()
    return editing(article, now=now)


def editing(article, *, now=None):
    """Editing of `article` as the live heartbeats say."""
    now = now or timezone.now()
    rows = list(
        Presence.objects.filter(article=article, seen_at__gte=now - LIFETIME).select_related("user")
    )
    if not rows:
        return Editing()
    taken = [row for row in rows if row.took_over_at]
    if taken:
        holder = max(taken, key=lambda row: (row.took_over_at, row.pk))
        since = holder.took_over_at
    else:
        holder = min(rows, key=lambda row: (row.since, row.pk))
        since = holder.since
    others = sorted((row for row in rows if row is not holder), key=lambda row: row.since)
    return Editing(holder=holder.user, holder_since=since, others=[row.user for row in others])
