import pytest

from articles.models import Article
from newsletter.forms import SignupForm
from newsletter.models import Subscriber
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email",
    ["", "not-an-email", "ana@", "@example.com", "ana@exa mple.com", f"{'a' * 250}@example.com"],
)
def test_malformed_or_overlong_email_is_a_form_error(email):
    form = SignupForm({"email": email})
    assert not form.is_valid()
    assert "email" in form.errors


def test_overlong_name_is_a_form_error():
    form = SignupForm({"email": "ana@example.com", "name": "x" * 101})
    assert "name" in form.errors


def test_signup_from_an_article_records_the_article():
    article = make_article()
    form = SignupForm({"email": "ana@example.com", "source": "article", "article": article.pk})
    assert form.is_valid()
    assert form.signup_arguments() == {
        "email": "ana@example.com",
        "name": "",
        "source": Subscriber.Source.ARTICLE,
        "source_article": article,
    }


@pytest.mark.parametrize("article", ["999999", "abc", "-1", ""])
def test_tampered_source_article_falls_back_to_the_newsletter_page(article):
    form = SignupForm({"email": "ana@example.com", "source": "article", "article": article})
    assert form.is_valid()
    arguments = form.signup_arguments()
    assert arguments["source"] == Subscriber.Source.PAGE
    assert arguments["source_article"] is None


def test_unpublished_article_is_not_recorded_as_the_source():
    draft = make_article(status=Article.Status.DRAFT)
    form = SignupForm({"email": "ana@example.com", "source": "article", "article": draft.pk})
    assert form.is_valid()
    assert form.signup_arguments()["source_article"] is None


def test_unknown_source_label_falls_back_to_the_newsletter_page():
    form = SignupForm({"email": "ana@example.com", "source": "admin"})
    assert form.is_valid()
    assert form.signup_arguments()["source"] == Subscriber.Source.PAGE


def test_a_name_with_line_breaks_and_control_characters_becomes_one_clean_line():
    form = SignupForm({"email": "ana@example.com", "name": " Ana\r\n\tURGENT:\u202e click\x07 "})
    assert form.is_valid()
    assert form.signup_arguments()["name"] == "Ana URGENT: click"
