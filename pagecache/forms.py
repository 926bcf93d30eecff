"""
Forms on pages for everyone, rendered once per shape: an empty form holds nothing of the reader
(pages carry no CSRF token, posting.py), so each of its fields is the same HTML on every page
that shows it with the same starting value. Rendering a field through Django's form templates
costs more than the rest of a card; a form that mixes in RenderedOnce renders each field once
per process and value, and a filled-in form (with the reader's values and errors) as ever.

Only for forms whose fields are the same on every instance: a form whose __init__ changes a
field's widget, label or choices per instance must not mix it in.
"""

import threading
from collections import OrderedDict

from django import forms

# Distinct (form, field, value) shapes kept; a starting value per article (the newsletter
# form's source) would otherwise grow with the archive.
SHAPES_KEPT = 2000


class Shapes:
    """The rendered HTML of the shapes seen last, at most `size` of them."""

    def __init__(self, size):
        self.size = size
        self.html = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, render):
        with self.lock:
            html = self.html.get(key)
            if html is not None:
                self.html.move_to_end(key)
                return html
        html = render()
        with self.lock:
            self.html[key] = html
            while len(self.html) > self.size:
                self.html.popitem(last=False)
        return html


shapes = Shapes(SHAPES_KEPT)


class RenderedOnceBoundField(forms.BoundField):
    def _once(self, kind, render):
        form = self.form
        if form.is_bound:
            return render()
        key = (
            type(form),
            form.prefix,
            str(form.auto_id),
            self.name,
            kind,
            repr(self.value()),
            type(form.renderer),
        )
        return shapes.get(key, render)

    def as_field_group(self):
        return self._once("group", super().as_field_group)

    def __str__(self):
        return self._once("widget", super().__str__)


class RenderedOnce:
    """Mix into a Form whose empty fields are the same for every reader."""

    bound_field_class = RenderedOnceBoundField
