"""What the comments section under an article shows (comments/includes/comments.html, a
Jinja2 include the reader pages call through newsroom.jinja)."""

import pagecache

from .cookie import OwnComments
from .forms import CommentForm
from .models import Comment, comments_close_at, comments_open
from .text import render_comment


def comments_section(request, article):
    """The context of comments/includes/comments.html: the comments under `article`, the
    reader's own awaiting moderation, and the form while comments are open. One query whatever
    the number of comments, none when the article counts none and the reader has none."""
    own = OwnComments.from_request(request)
    if not own.ids() and article.comment_count == 0:
        # The article keeps the count of the comments readers see (count_comments). None of
        # those and none of the reader's own awaiting moderation leaves nothing to show: a
        # comment its writer removed is shown only above replies readers see, which it counts.
        comments = []
    else:
        comments = Comment.objects.for_article_page(article, own_ids=own.ids())
    count = sum(
        (comment.is_approved() and not comment.is_removed)
        + sum(reply.is_approved() for reply in comment.shown_replies)
        for comment in comments
    )
    is_open = comments_open(article)
    if is_open and request and (closes_at := comments_close_at(article)):
        # The cached page must lose its comment form when comments close.
        pagecache.page_expires(request, closes_at)
    return {
        "article": article,
        "comments": comments,
        "count": count,
        "own_ids": own.ids(),
        "is_open": is_open,
        # The page is the same for every reader: the form's start token comes from its script.
        "form": CommentForm(article=article, for_everyone=True) if is_open else None,
    }


def comment_html(body):
    """A comment's plain text as safe HTML: paragraphs, line breaks and http(s) links."""
    return render_comment(body)
