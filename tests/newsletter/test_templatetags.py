import pytest
from django.template import engines

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def render(source, **context):
    return engines["jinja"].from_string(source).render(context)


def test_signup_tag_records_the_article_being_read():
    article = make_article()
    html = render("{{ newsletter_signup(article) }}", article=article)
    assert '<input type="hidden" name="source" value="article"' in html
    assert f'<input type="hidden" name="article" value="{article.pk}"' in html


def test_signup_tag_with_a_label_and_with_nothing():
    assert 'name="source" value="home"' in render('{{ newsletter_signup("home") }}')
    assert 'name="source" value="page"' in render("{{ newsletter_signup() }}")


def test_signup_tag_renders_labelled_fields_and_posts_to_signup():
    html = render("{{ newsletter_signup() }}")
    assert 'action="/newsletter/"' in html
    assert '<label for="newsletter-email">Email address:</label>' in html
    assert 'aria-labelledby="newsletter-signup-title"' in html
