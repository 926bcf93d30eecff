import jinja2
from django import forms

from pagecache.forms import RenderedOnce
from pagecache.rendered import Shapes, shapes


class PlainForm(forms.Form):
    email = forms.EmailField(label="Email", help_text="Never shown.")
    source = forms.CharField(required=False, widget=forms.HiddenInput)


class OnceForm(RenderedOnce, PlainForm):
    pass


def test_empty_form_renders_as_django_renders_it():
    for initial in ({}, {"source": "home"}, {"source": "42"}):
        once, plain = OnceForm(initial=initial), PlainForm(initial=initial)
        assert once["email"].as_field_group() == plain["email"].as_field_group()
        assert str(once["source"]) == str(plain["source"])


def test_empty_form_fields_are_rendered_once_per_starting_value(monkeypatch):
    shapes.html.clear()
    renders = []
    original = forms.BoundField.as_field_group
    monkeypatch.setattr(
        forms.BoundField, "as_field_group", lambda self: renders.append(1) or original(self)
    )
    for _ in range(3):
        OnceForm()["email"].as_field_group()
    assert len(renders) == 1
    OnceForm(initial={"email": "a@example.com"})["email"].as_field_group()
    assert len(renders) == 2


def test_filled_in_form_shows_the_readers_values_and_errors_every_time():
    OnceForm()["email"].as_field_group()
    html = OnceForm({"email": "not an address"})["email"].as_field_group()
    assert 'value="not an address"' in html
    assert "Enter a valid email address." in html
    other = OnceForm({"email": "b@example.com"})["email"].as_field_group()
    assert 'value="b@example.com"' in other and "errorlist" not in other


def test_hidden_value_of_one_page_never_reaches_another():
    assert 'value="7"' in str(OnceForm(initial={"source": "7"})["source"])
    assert 'value="8"' in str(OnceForm(initial={"source": "8"})["source"])


def test_only_the_shapes_seen_last_are_kept():
    kept = Shapes(2)
    for key in "abc":
        kept.get(key, lambda key=key: key.upper())
    assert list(kept.html) == ["b", "c"]
    assert kept.get("a", lambda: "again") == "again"


def test_a_field_printed_by_a_jinja2_template_is_rendered_once_too(monkeypatch):
    shapes.html.clear()
    expected = str(PlainForm(initial={"source": "home"})["source"])
    renders = []
    original = forms.BoundField.__str__
    monkeypatch.setattr(
        forms.BoundField, "__str__", lambda self: renders.append(1) or original(self)
    )
    template = jinja2.Environment(autoescape=True).from_string("{{ form['source'] }}")
    pages = [template.render(form=OnceForm(initial={"source": "home"})) for _ in range(3)]
    assert pages == [expected] * 3
    assert len(renders) == 1
