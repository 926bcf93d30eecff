"""Bylines and cards' words are rendered once per what they show (articles/fragments.py): the
same HTML as rendering them each time, and rendered afresh when any value they show changes."""

import re
from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation
from jinja2 import Template

from articles.models import Article, Author
from articles.plain import Byline, with_bylines
from articles.site_frame import with_sections
from images.cache_keys import image_key
from pagecache.rendered import shapes
from tests.factories import make_article, make_author, make_section
from tests.images.factories import make_image

pytestmark = pytest.mark.django_db

CARD = (
    '{% from "articles/includes/article_card.html" import article_card %}'
    "{{ article_card(article, level=level) }}"
)


def render(source, **context):
    return engines["jinja"].from_string(source).render(context)


@pytest.fixture
def renders(monkeypatch):
    """The templates whose macros were rendered (each kept fragment's miss), by name."""
    shapes.html.clear()
    rendered = []
    module = Template.module.fget
    monkeypatch.setattr(
        Template, "module", property(lambda self: rendered.append(self.name) or module(self))
    )
    return rendered


def card_renders(renders):
    return renders.count("articles/includes/article_card.html")


def test_a_byline_is_rendered_once_for_the_same_writers_and_afresh_when_one_changes(renders):
    ana = Byline(1, "Ana Ruiz", "ana-ruiz", "Energy correspondent")
    ben = Byline(2, "Ben <Okafor>", "ben-okafor", "")
    bylines = [render("{{ byline(authors) }}", authors=[ana, ben]) for _ in range(3)]
    assert bylines == [
        '<span class="byline">By <a href="/authors/ana-ruiz/" rel="author">Ana Ruiz</a>, '
        '<span class="author-title">Energy correspondent</span> and '
        '<a href="/authors/ben-okafor/" rel="author">Ben &lt;Okafor&gt;</a></span>\n'
    ] * 3
    assert renders == ["articles/includes/byline.html"]
    retitled = ana._replace(title="Energy editor")
    assert "Energy editor" in render("{{ byline(authors) }}", authors=[retitled, ben])
    assert len(renders) == 2


def test_a_byline_of_authors_read_as_models_is_rendered_each_time():
    article = make_article(headline="Talks resume")
    author = Author.objects.create(name="Ana Ruiz", slug="ana-ruiz")
    article.authors.add(author)
    fresh = Article.objects.get(pk=article.pk)  # no plain bylines: ordered_authors reads models
    assert 'rel="author">Ana Ruiz</a>' in render("{{ byline(a.ordered_authors) }}", a=fresh)
    Author.objects.filter(pk=author.pk).update(name="Ana Ruiz Díaz")
    fresh = Article.objects.get(pk=article.pk)
    assert 'rel="author">Ana Ruiz Díaz</a>' in render("{{ byline(a.ordered_authors) }}", a=fresh)


def listed(article):
    """`article` read as a listing reads it: its row, plain bylines, the navigation's section."""
    row = Article.objects.for_listing().get(pk=article.pk)
    return with_sections(with_bylines([row]))[0]


def card(article, level=2):
    return render(CARD, article=listed(article), level=level)


def words(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def article():
    section = make_section(name="Energy", slug="energy")
    writer = make_author(name="Ana Ruiz", slug="ana-ruiz")
    article = make_article(
        headline="Refinery restarts", slug="refinery-restarts", standfirst="After a fire.",
        section=section, authors=[writer],
    )  # fmt: skip
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now().replace(year=2026, month=3, day=2, hour=23, minute=30)
    )
    return article


def test_a_cards_words_are_rendered_once_and_print_as_rendered_each_time(article, renders):
    cards = [card(article) for _ in range(3)]
    assert card_renders(renders) == 1
    assert cards[0] == cards[1] == cards[2]
    assert words(cards[0]) == "Energy Refinery restarts After a fire. By Ana Ruiz 2 March 2026"
    renders.clear()
    assert card(article, level=3) != cards[0]  # another heading
    assert "<h3" in card(article, level=3) and card_renders(renders) == 1


def rename_section(article):
    article.section.name = "Power"
    article.section.save()  # the navigation's sections are kept until one is saved


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda a: a.__class__.objects.filter(pk=a.pk).update(headline="Refinery shut"),
         "Refinery shut"),
        (lambda a: a.__class__.objects.filter(pk=a.pk).update(standfirst="Smoke again."),
         "Smoke again."),
        (lambda a: a.__class__.objects.filter(pk=a.pk).update(slug="refinery-back"),
         'href="/articles/refinery-back/"'),
        (lambda a: a.__class__.objects.filter(pk=a.pk).update(kind="analysis"),
         "Analysis"),
        (lambda a: a.__class__.objects.filter(pk=a.pk).update(comment_count=3),
         "3 comments"),
        (lambda a: a.__class__.objects.filter(pk=a.pk).update(
            published_at=a.__class__.objects.get(pk=a.pk).published_at - timedelta(days=1)),
         "1 March 2026"),
        (rename_section, ">Power</a>"),
        (lambda a: Author.objects.filter(slug="ana-ruiz").update(name="Ana Ruiz Díaz"),
         "Ana Ruiz Díaz"),
    ],
    ids=["headline", "standfirst", "slug", "kind", "comments", "date", "section", "writer"],
)  # fmt: skip
def test_a_card_shows_any_change_to_what_it_shows_at_once(article, renders, change, shown):
    before = card(article)
    assert shown not in before
    change(article)
    assert shown in card(article)
    assert card_renders(renders) == 2


def test_a_card_is_printed_in_the_readers_time_zone_and_language(article):
    with timezone.override("UTC"):
        assert "2 March 2026" in card(article)
    with timezone.override("Asia/Tokyo"):
        assert "3 March 2026" in card(article)
    with timezone.override("UTC"), translation.override("es"):
        assert "2 marzo 2026" in card(article)


def test_a_card_of_authors_read_as_models_is_rendered_each_time(article, renders):
    row = Article.objects.get(pk=article.pk)  # no plain bylines
    first = render(CARD, article=row, level=2)
    Author.objects.filter(slug="ana-ruiz").update(name="Ana Ruiz Díaz")
    row = Article.objects.get(pk=article.pk)
    assert "Ana Ruiz Díaz" in render(CARD, article=row, level=2) != first


def test_a_page_made_again_with_a_kept_card_still_names_its_picture_for_purges(client, renders):
    picture = make_image(alt_text="A quay")
    make_article(headline="Quay opens", lead_image=picture)
    first = client.get("/")
    make_article(headline="Later news")  # the home page is made again; the first card is kept
    again = client.get("/")
    assert again["X-Page-Cache"] == "miss"
    assert card_renders(renders) == 2  # the first card once, the new one once
    assert "Quay opens" in again.text and 'alt="A quay"' in again.text
    for response in (first, again):
        assert image_key(picture.pk) in response["xkey"].split()
