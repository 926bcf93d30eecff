"""
Parts of the reader pages that are the same HTML wherever the same values make them, so each
process renders them once for each set of values (pagecache.rendered_once, as pictures and form
fields are) and the Jinja2 templates call them as globals (newsroom/jinja.py):

- `byline(authors)`: a byline, for its writers (plain.Byline holds all it shows);
- `card_text(article, level)`: a card's words (the macro `render_card_text` in
  articles/includes/article_card.html): its section, kind, headline, standfirst, byline, date
  and comment count. A listing is a dozen cards and is made afresh after a change to any one of
  them; the others are as they were.

A key holds every value its HTML shows, with the time zone and the language that print its date
and kind, so a change to any of them renders it afresh (tests/articles/test_fragments.py changes
each in turn). A card's picture is not part of its words: pictures are kept by their own shapes,
and showing one names the image's surrogate key for the page (images.pictures), which a kept
fragment would not.

Authors read as models (a preview's) hold more than a byline shows, and could change under the
same key: their bylines and cards are rendered each time.
"""

import jinja2
from django.utils import timezone, translation

import pagecache

from .plain import Byline

BYLINE_TEMPLATE = "articles/includes/byline.html"
CARD_TEMPLATE = "articles/includes/article_card.html"


def _kept(env, template_name, macro, key, *args):
    """The macro `macro` of `template_name` called with `args`, rendered once per `key` (None:
    every time)."""

    def render():
        return getattr(env.get_template(template_name).module, macro)(*args)

    if key is None:
        return render()
    return pagecache.rendered_once((template_name, macro, *key), render)


def _all_plain(authors):
    """Whether each of `authors` is a plain byline, which holds all a byline shows."""
    return all(type(author) is Byline for author in authors)


@jinja2.pass_environment
def byline(env, authors):
    authors = tuple(authors)
    key = (authors,) if _all_plain(authors) else None
    return _kept(env, BYLINE_TEMPLATE, "byline", key, authors)


def card_values(article, level):
    """Every value a card's words show, and what they are printed in; None when its byline is
    of authors read as models."""
    authors = tuple(article.ordered_authors)
    if not _all_plain(authors):
        return None
    section = article.section
    return (
        level,
        article.pk,
        article.slug,
        article.kind,
        article.headline,
        article.standfirst,
        article.published_at,
        article.comment_count,
        section and (section.pk, section.name, section.slug),
        authors,
        timezone.get_current_timezone_name(),
        translation.get_language(),
    )


@jinja2.pass_environment
def card_text(env, article, level):
    key = card_values(article, level)
    return _kept(env, CARD_TEMPLATE, "render_card_text", key, article, level)
