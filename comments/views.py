"""Reader comments: posting one, replying, and editing or deleting one's own for a while."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from pagecache import same_site_post
from throttle import RateLimit, client_ip, hash_ip

from . import services
from .cookie import OwnComments, PostedComments
from .forms import CommentBodyForm, CommentForm, started_token, use_started
from .models import Comment, comments_open


def refuse_comment(request, article, *, status, title, message, kept_text="", headers=None):
    context = {"article": article, "title": title, "message": message, "kept_text": kept_text}
    response = render(request, "comments/comment_refused.html", context, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def refuse_closed(request, article):
    return refuse_comment(
        request,
        article,
        status=403,
        title="Comments are closed",
        message="This article is no longer taking comments.",
    )


def render_comment_form(request, article, form, *, status=200, **context):
    context = {"article": article, "form": form, **context}
    return render(request, "comments/comment_form.html", context, status=status)


def is_utf8(request):
    """False for a form post whose raw bytes are not UTF-8, which Django would otherwise read
    as Latin-1 without a word. (Browsers percent-encode; the form fields catch bad escapes.)"""
    if request.content_type != "application/x-www-form-urlencoded":
        return True
    try:
        request.body.decode()
    except UnicodeDecodeError:
        return False
    return True


def rate_limited(request, article, *, email, kept_text):
    """The 429 page when this client or this address has sent too many comments or edits in
    the period; None while they may go on. Posts and edits count alike."""
    limit = RateLimit.from_settings("comments", "NEWSROOM_COMMENTS")
    if limit.hit_all([f"ip:{hash_ip(client_ip(request))}", f"email:{email}"]):
        return None
    return refuse_comment(
        request,
        article,
        status=429,
        title="Please wait a moment",
        message="You have sent several comments in the last few minutes. "
        "Please wait a little while, then try again.",
        kept_text=kept_text,
        headers={"Retry-After": str(settings.NEWSROOM_COMMENTS_RATE_PERIOD)},
    )


@never_cache
@require_GET
def comment_start(request, slug):
    """A start token for the comment form of a page for everyone, asked for by its script when
    the reader begins (comments/static/comments/comment-form.js)."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    if not comments_open(article):
        return HttpResponse("", content_type="text/plain", status=403)
    return HttpResponse(started_token(article), content_type="text/plain")


@same_site_post
@never_cache
@require_POST
def comment_post(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    if not comments_open(article):
        return refuse_closed(request, article)
    if not is_utf8(request):
        return refuse_comment(
            request,
            article,
            status=400,
            title="Your comment could not be read",
            message="Some of the text was not in a form we can read. "
            "Please go back, check your comment and send it again.",
        )
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        if form.only_unstarted():
            # The no-JavaScript path from a page for everyone: this reader's own form, with a
            # start token, to check and send.
            return render_comment_form(request, article, form, confirming=True)
        return render_comment_form(request, article, form, status=400)
    data = form.cleaned_data
    if refused := rate_limited(request, article, email=data["email"], kept_text=data["body"]):
        return refused
    if not use_started(form.started_nonce):
        form.add_error(None, "This form was already sent. Please check your comment and send it.")
        return render_comment_form(request, article, form, status=400)
    ip_hash = hash_ip(client_ip(request))
    posted = PostedComments.from_request(request)
    try:
        comment = services.comment_create(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            parent=form.cleaned_data["parent"],
            ip_hash=ip_hash,
            user_agent=request.headers.get("User-Agent", ""),
            earlier_comment_ids=posted.ids,
        )
    except services.CommentsClosed:
        return refuse_closed(request, article)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return render_comment_form(request, article, form, status=400)
    own = OwnComments.from_request(request)
    own.add(comment)
    response = redirect(comment.get_absolute_url())
    own.save(response, request)
    if settings.NEWSROOM_COMMENTS_AUTO_APPROVE_KNOWN:
        posted.add(comment)
        posted.save(response, request)
    return response


@require_GET
def comment_reply(request, slug, pk):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    parent = get_object_or_404(
        Comment.objects.approved(), pk=pk, article=article, parent__isnull=True
    )
    if not comments_open(article):
        return refuse_closed(request, article)
    form = CommentForm(initial={"parent": parent.pk}, article=article)
    return render_comment_form(request, article, form, parent=parent)


def own_comment_view(view):
    """Run `view(request, comment, own)` for the reader's own comment while they may still
    change it (`own` is their cookie); anyone else is told why not."""

    @functools.wraps(view)
    @never_cache
    @require_http_methods(["GET", "POST"])
    def wrapper(request, slug, pk):
        comment = get_object_or_404(
            Comment.objects.select_related("article"), pk=pk, article__slug=slug
        )
        own = OwnComments.from_request(request)
        if own.can_change(comment):
            return view(request, comment, own)
        minutes = int(Comment.EDIT_WINDOW.total_seconds() // 60)
        return refuse_comment(
            request,
            comment.article,
            status=403,
            title="This comment can no longer be changed",
            message=f"You can edit or delete a comment for {minutes} minutes after posting it, "
            "from the browser you posted it from.",
        )

    return wrapper


@own_comment_view
def comment_edit(request, comment, own):
    if not comments_open(comment.article):
        return refuse_closed(request, comment.article)
    data = request.POST if request.method == "POST" else None
    form = CommentBodyForm(data, initial={"body": comment.body})
    if form.is_valid():
        body = form.cleaned_data["body"]
        # Edits count against the same limits as posts: each is a write a reader can repeat.
        if refused := rate_limited(request, comment.article, email=comment.email, kept_text=body):
            return refused
        try:
            services.comment_edit(comment=comment, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect(comment.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render_comment_form(request, comment.article, form, status=status, editing=comment)


@own_comment_view
def comment_delete(request, comment, own):
    if request.method == "GET":
        context = {"article": comment.article, "comment": comment}
        return render(request, "comments/comment_confirm_delete.html", context)
    own.remove(comment)
    services.comment_delete(comment=comment)
    response = redirect(f"{comment.article.get_absolute_url()}#comments")
    own.save(response, request)
    return response
