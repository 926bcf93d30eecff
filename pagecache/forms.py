"""
Forms on pages for everyone, rendered once per shape: an empty form holds nothing of the reader
(pages carry no CSRF token, posting.py), so each of its fields is the same HTML on every page
that shows it with the same starting value. Rendering a field through Django's form templates
costs more than the rest of a card; a form that mixes in RenderedOnce renders each field once
per process and value, and a filled-in form (with the reader's values and errors) as ever.

Only for forms whose fields are the same on every instance: a form whose __init__ changes a
field's widget, label or choices per instance must not mix it in.
"""

from django import forms

from .rendered import rendered_once


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
        return rendered_once(key, render)

    def as_field_group(self):
        return self._once("group", super().as_field_group)

    def __str__(self):
        return self._once("widget", super().__str__)

    def __html__(self):
        # Django sets __html__ to its own __str__, which would bypass the one above when a
        # Jinja2 template prints the field.
        return str(self)


class RenderedOnce:
    """Mix into a Form whose empty fields are the same for every reader."""

    bound_field_class = RenderedOnceBoundField
