"""
Listings page by position: a page holds the items older than a position (`?before=`), the
position of the last item on the page before, or newer than one (`?after=`) on the way back.
Each page reads one range of an index however deep it lies, where page numbers made the
database count past every item before the page (an OFFSET): `/?page=4166` at 100,000 articles.

A position is an item's date and id, written `20260105T101500.123456Z-4242` (UTC, microseconds
when there are any): a link stays good when the item it came from is deleted or unpublished,
and is the same for every reader, so that the pages can be cached. Page numbers from before
keep working for the first PAGE_NUMBERS_KEPT pages, as a redirect to the same page by position.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q
from django.http import Http404

# Old page-number links beyond this are refused: finding where page N starts reads N pages.
PAGE_NUMBERS_KEPT = 10
POSITION = re.compile(r"(\d{8}T\d{6})(?:\.(\d{6}))?Z-([1-9]\d{0,17})")


@dataclass(frozen=True)
class Position:
    at: datetime
    pk: int

    @classmethod
    def of(cls, item, field):
        return cls(getattr(item, field), item.pk)

    @classmethod
    def parse(cls, text):
        """The position `text` writes, or None when it is not one."""
        match = POSITION.fullmatch(text or "")
        if match is None:
            return None
        whole, fraction, pk = match.groups()
        try:
            at = datetime.strptime(whole, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        except ValueError:  # 20261399T…: digits, but no date
            return None
        return cls(at.replace(microsecond=int(fraction or 0)), int(pk))

    def __str__(self):
        at = self.at.astimezone(UTC)
        fraction = f".{at.microsecond:06d}" if at.microsecond else ""
        return f"{at:%Y%m%dT%H%M%S}{fraction}Z-{self.pk}"


@dataclass(frozen=True)
class PositionPage:
    """A page of a listing, with what its links to newer and older items need. Named like
    Django's Page where the templates ask the same question (has_previous: newer items)."""

    object_list: list
    newer: Position | None  # ?after= for the link to newer items; None on the first page
    older: Position | None  # ?before= for the link to older items; None on the last page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self):
        return self.newer is not None

    def has_next(self):
        return self.older is not None

    def has_other_pages(self):
        return self.has_previous() or self.has_next()


class PositionPaginator:
    """Pages of `queryset`, newest first by `field` then id (an index should hold that order
    for the rows the queryset filters)."""

    def __init__(self, queryset, per_page, *, field):
        self.queryset = queryset.order_by(f"-{field}", "-pk")
        self.per_page = per_page
        self.field = field

    def _older_than(self, position):
        field = self.field
        # The first condition bounds the index range the database reads; the second settles
        # items at the same moment by id.
        return Q(**{f"{field}__lte": position.at}) & (
            Q(**{f"{field}__lt": position.at}) | Q(**{field: position.at, "pk__lt": position.pk})
        )

    def _newer_than(self, position):
        field = self.field
        return Q(**{f"{field}__gte": position.at}) & (
            Q(**{f"{field}__gt": position.at}) | Q(**{field: position.at, "pk__gt": position.pk})
        )

    def _position(self, item):
        return Position.of(item, self.field)

    def first(self):
        rows = list(self.queryset[: self.per_page + 1])
        items = rows[: self.per_page]
        older = self._position(items[-1]) if len(rows) > self.per_page else None
        return PositionPage(items, newer=None, older=older)

    def before(self, position):
        """The items older than `position`; None when there are none (past the end)."""
        rows = list(self.queryset.filter(self._older_than(position))[: self.per_page + 1])
        if not rows:
            return None
        items = rows[: self.per_page]
        older = self._position(items[-1]) if len(rows) > self.per_page else None
        return PositionPage(items, newer=self._position(items[0]), older=older)

    def after(self, position):
        """The items newer than `position`, or None when they reach the newest: that is the
        first page."""
        ascending = self.queryset.reverse().filter(self._newer_than(position))
        rows = list(ascending[: self.per_page + 1])
        if len(rows) <= self.per_page:
            return None
        items = rows[: self.per_page][::-1]
        return PositionPage(items, newer=self._position(items[0]), older=self._position(items[-1]))

    def start_of_page(self, number):
        """Where page `number` of the old page-number links starts: None for the first page,
        else the position its items are older than. Http404 for a page that does not exist or
        lies beyond PAGE_NUMBERS_KEPT ("last" is the page of the oldest items)."""
        if number == "last":
            oldest = list(self.queryset.reverse()[self.per_page : self.per_page + 1])
            return self._position(oldest[0]) if oldest else None
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise Http404("No such page.") from None
        if not 1 <= number <= PAGE_NUMBERS_KEPT:
            raise Http404("No such page: older pages are linked from the pages before them.")
        if number == 1:
            return None
        index = (number - 1) * self.per_page - 1
        rows = list(self.queryset[index : index + 2])
        if len(rows) < 2:  # the page would be empty
            raise Http404("No such page.")
        return self._position(rows[0])
