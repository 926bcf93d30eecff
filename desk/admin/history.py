"""An article's history: its revisions listed, two compared, one brought back, and deleted
articles recovered (django-reversion's views, for editors)."""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from .. import revisions, services, workflow


def revision_id(value):
    """`value` as the id of a revision that could exist, or None: the database refuses numbers
    past its integer range, and SQLite's driver fails on them instead of finding nothing."""
    if not (value.isascii() and value.isdigit()):
        return None
    _, largest = connection.ops.integer_field_range(Version._meta.pk.get_internal_type())
    return int(value) if 0 < int(value) <= largest else None


class ArticleHistoryMixin:
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="articles_article_compare",
        )
        return [compare, *super().get_urls()]

    def versions_of(self, article):
        return Version.objects.get_for_object(article).select_related("revision__user")

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = {
            "versions": self.versions_of(article) if article is not None else [],
            "compare_url": reverse("admin:articles_article_compare", args=[object_id]),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def viewable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def compare_view(self, request, object_id):
        article = self.viewable_article(request, object_id)
        history_url = reverse("admin:articles_article_history", args=[object_id])
        chosen = [revision_id(request.GET.get("from", "")), revision_id(request.GET.get("to", ""))]
        if None in chosen or chosen[0] == chosen[1]:
            self.message_user(request, "Choose two different revisions to compare.", messages.ERROR)
            return redirect(history_url)
        found = {v.pk: v for v in self.versions_of(article).filter(pk__in=chosen)}
        if len(found) != 2:
            raise Http404("No such revision of this article.")
        older, newer = sorted(found.values(), key=lambda v: (v.revision.date_created, v.pk))
        comparison = revisions.compare(
            revisions.ArticleState.of_version(older), revisions.ArticleState.of_version(newer)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Compare revisions of “{article}”",
            "older": older,
            "newer": newer,
            "comparison": comparison,
            "history_url": history_url,
            "can_roll_back": self.has_change_permission(request, article),
            "rollback_url": reverse("admin:articles_article_revision", args=[object_id, older.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One revision beside the article as it stands, for those who may change the article;
        POST brings it back (its words, lead image, filing, byline, FAQ, related articles and
        tags; never its publication state)."""
        article = self.viewable_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(self.versions_of(article), pk=revision_id(version_id) or 0)
        when = revisions.revision_time(version.revision)
        if request.method == "POST":
            with self.create_revision(request):
                reversion.set_comment(f"Reverted to the revision of {when}.")
                left_out = services.article_restore(article=article, version=version)
            self.message_user(
                request, f"“{article}” is back to its revision of {when}.", messages.SUCCESS
            )
            for line in left_out:
                self.message_user(request, f"Not brought back: {line}", messages.WARNING)
            return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        comparison = revisions.compare(
            revisions.ArticleState.of_article(article),
            revisions.ArticleState.of_version(version),
            fields=revisions.RESTORED_FIELDS,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"Revision of “{article}”",
            "here": f"Revision of {when}",
            "version": version,
            "comparison": comparison,
            "history_url": reverse("admin:articles_article_history", args=[object_id]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.is_editor(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)
