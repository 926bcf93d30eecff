"""Small factories: explicit defaults, any field overridable."""

import itertools
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Section
from comments.forms import started_token
from comments.models import Comment
from desk.services import ROLE_GROUPS
from newsletter.models import Edition, Subscriber

_sequence = itertools.count(1)


def browser(**kwargs):
    """A reader's browser: like every current browser it says where a form post comes from
    (Fetch Metadata), which the forms on pages for everyone rely on (pagecache/posting.py)."""
    return Client(headers={"sec-fetch-site": "same-origin"}, **kwargs)


def make_section(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    return Section.objects.create(**fields)


def make_author(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Writer {n}")
    fields.setdefault("slug", f"writer-{n}")
    return Author.objects.create(**fields)


def make_article(*, authors=(), tags=(), **fields):
    """A published article unless `status` says otherwise."""
    n = next(_sequence)
    fields.setdefault("headline", f"Synthetic headline {n}")
    fields.setdefault("standfirst", f"Synthetic standfirst {n}.")
    fields.setdefault("body", f"Synthetic body paragraph {n}.")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.SCHEDULED:
        fields.setdefault("publish_at", timezone.now() + timedelta(days=1))
    article = Article.objects.create(**fields)
    for order, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, order=order)
    if tags:
        article.tags.set(list(tags))
    return article


def make_comment(article, **fields):
    """An approved comment unless `status` says otherwise."""
    n = next(_sequence)
    fields.setdefault("name", f"Reader {n}")
    fields.setdefault("email", f"reader{n}@example.com")
    fields.setdefault("body", f"Synthetic comment {n}.")
    fields.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **fields)


def comment_post_data(article, **fields):
    """What a reader's browser sends from the comment form shown ten seconds ago."""
    n = next(_sequence)
    data = {
        "name": f"Reader {n}",
        "email": f"reader{n}@example.com",
        "body": f"A thoughtful comment, number {n}.",
        "website": "",
        "started": started_token(article, now=time.time() - 10),
    }
    data.update(fields)
    return data


def make_ready_article(**fields):
    """A draft that passes the pre-publish checklist: byline, section, tag, a full standfirst."""
    fields.setdefault("status", Article.Status.DRAFT)
    fields.setdefault("section", make_section())
    fields.setdefault("authors", [make_author()])
    fields.setdefault("tags", ["Energy"])
    fields.setdefault(
        "standfirst", "A standfirst long enough for search engines to show as the summary."
    )
    return make_article(**fields)


def make_staff(role, **fields):
    """A staff account in the role's groups (writer, editor, editor-in-chief), with the author
    profile every staff account gets, named like "Writer 7"."""
    n = next(_sequence)
    fields.setdefault("username", f"{role}{n}")
    user = get_user_model().objects.create_user(is_staff=True, **fields)
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS[role]))
    Author.objects.filter(user=user).update(name=f"{role.title()} {n}", slug=f"{role}-{n}")
    user.refresh_from_db()
    return user


def make_subscriber(**fields):
    """A confirmed subscriber unless `status` says otherwise."""
    n = next(_sequence)
    fields.setdefault("email", f"reader{n}@example.com")
    fields.setdefault("status", Subscriber.Status.CONFIRMED)
    return Subscriber.objects.create(**fields)


def make_edition(*, articles=(), **fields):
    """A draft edition holding `articles` in the order given."""
    n = next(_sequence)
    fields.setdefault("subject", f"Synthetic edition {n}")
    fields.setdefault("intro", "This week's stories.")
    edition = Edition.objects.create(**fields)
    for order, article in enumerate(articles):
        edition.items.create(article=article, order=order)
    return edition
