"""Submit admin forms as a browser would: the values of the rendered form, then our changes."""

from html.parser import HTMLParser

from django.urls import reverse
from django.utils import timezone


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []  # (name, value) pairs, in page order
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "first": None,
                "chosen": [],
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append((name, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            chosen = select["chosen"] or (
                [] if select["multiple"] or select["first"] is None else [select["first"]]
            )
            self.fields.extend((select["name"], value) for value in chosen)
            self._select = None


def form_data(response, form_id="article_form"):
    """The data a browser would send for the form `form_id` on the rendered page."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def submit(client, url, form_id="article_form", **changes):
    """GET the form at `url`, change some values, POST it back; returns the POST response."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page, form_id)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, data)


def errors_of(response):
    """Form and inline errors of a re-rendered admin form, as one string."""
    if response.context is None or "adminform" not in response.context:
        return ""
    errors = response.context["errors"]
    return " ".join(str(message) for error_list in errors for message in error_list)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def datetime_fields(name, when):
    """The two inputs of the admin's split date/time widget for `when`, in local time."""
    when = timezone.localtime(when)
    return {f"{name}_0": when.strftime("%Y-%m-%d"), f"{name}_1": when.strftime("%H:%M:%S")}
