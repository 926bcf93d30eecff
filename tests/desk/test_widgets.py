"""The desk's widgets: whole headlines, tags as plain names, times with their zone."""

import pytest

from desk.widgets import HeadlineInput, TagNamesField, tag_names_from_text, tag_names_text
from tests.admin_forms import change_url, errors_of, form_data, submit
from tests.factories import make_article

LONG = (
    "Council approves the riverside housing plan after a six-hour meeting, with 40 per cent "
    "affordable homes and a new bridge for cyclists and pedestrians by 2029"
)


def test_tags_read_as_typed_without_quotes():
    assert tag_names_text(["Energy", "Climate change", "Smith, John"]) == (
        'Climate change, Energy, "Smith, John"'
    )


def test_names_are_split_on_commas_only():
    assert tag_names_from_text("Climate change") == ["Climate change"]
    # Sorted as django-taggit sorts, to tell whether the tags changed.
    assert tag_names_from_text('Energy,  climate   change , "Smith, John",,') == [
        "Energy",
        "Smith, John",
        "climate change",
    ]
    assert tag_names_from_text("Oil, oil, OIL") == ["Oil"]
    assert tag_names_from_text("") == []


@pytest.mark.parametrize(
    "names", [["Climate change"], ["A", "B c"], ['Say "no"'], ["Smith, John", "Oil"]]
)
def test_what_the_box_shows_reads_back_as_the_same_tags(names):
    assert tag_names_from_text(tag_names_text(names)) == sorted(names)


def test_the_tag_field_sees_no_change_when_nothing_changed():
    class Tag:
        def __init__(self, name):
            self.name = name

    field = TagNamesField(required=False)
    shown = field.widget.format_value([Tag("Climate change"), Tag("Energy")])
    assert shown == "Climate change, Energy"
    assert not field.has_changed([Tag("Climate change"), Tag("Energy")], shown)


def test_a_headline_typed_over_two_lines_is_saved_on_one():
    assert HeadlineInput().value_from_datadict({"h": "Two\r\n lines "}, {}, "h") == "Two lines"


@pytest.mark.django_db
def test_the_article_form_shows_the_whole_headline_and_plain_tag_names(editor_client):
    article = make_article(headline=LONG, tags=["Climate change", "Energy"])
    html = editor_client.get(change_url(article)).text
    assert 'class="headline-input"' in html and f">\n{LONG}</textarea>" in html
    assert 'value="Climate change, Energy"' in html
    assert "&quot;" not in html.split('name="tags"')[1].split(">")[0]


@pytest.mark.django_db
def test_saving_the_form_keeps_tags_with_spaces_whole(editor_client):
    article = make_article(tags=["Climate change"])
    response = submit(editor_client, change_url(article), tags="Climate change, Local politics")
    assert response.status_code == 302, errors_of(response)
    assert sorted(article.tags.names()) == ["Climate change", "Local politics"]
    assert form_data(editor_client.get(change_url(article)))["tags"] == (
        "Climate change, Local politics"
    )
