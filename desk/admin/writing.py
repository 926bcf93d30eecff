"""The writing desk on the article form (writing.js): a live preview with the article's length
and checklist, autosave, and who else has the article open. Each endpoint takes POSTs only
(the admin checks their CSRF token) and checks permission as the form does: the article must be
one this person may change, or they may add articles."""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from .. import autosave, presence, writing
from ..autosave import AutosaveOutdated, AutosaveRefused

AUTOSAVE_SECONDS = 30


def clock(moment):
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def person(user):
    return presence.person_name(user) if user else ""


WRITING_MEDIA = forms.Media(
    js=["desk/writing.js", "desk/form_labels.js"], css={"all": ["desk/writing.css"]}
)


class WritingDeskMixin:
    def get_urls(self):
        def route(pattern, view, name):
            return path(pattern, self.admin_site.admin_view(view), name=f"articles_article_{name}")

        return [
            route("add/writing/preview/", self.writing_preview_view, "new_preview"),
            route("add/writing/autosave/", self.writing_autosave_view, "new_autosave"),
            route("add/writing/autosave/discard/", self.writing_discard_view, "new_discard"),
            route("<path:object_id>/writing/preview/", self.writing_preview_view, "preview_body"),
            route("<path:object_id>/writing/autosave/", self.writing_autosave_view, "autosave"),
            route(
                "<path:object_id>/writing/autosave/discard/", self.writing_discard_view, "discard"
            ),
            route("<path:object_id>/writing/presence/", self.writing_presence_view, "presence"),
            *super().get_urls(),
        ]

    def writable_article(self, request, object_id):
        """The article the change form at `object_id` would let this person save (None for a
        new article, if they may add one); else 404 or 403, as the form's POST gives."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def writing_preview_view(self, request, object_id=None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.writable_article(request, object_id)
        body = request.POST.get("body")
        if body is None:
            return JsonResponse({"error": "The form sent no body to preview."}, status=400)
        if len(body) > writing.MAX_BODY_CHARACTERS:
            return JsonResponse({"error": "The body is too long to preview."}, status=400)
        form_class = self.get_form(request, article, change=article is not None)
        form = form_class(request.POST, instance=article)
        return JsonResponse(writing.preview(form))

    def writing_autosave_view(self, request, object_id=None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.writable_article(request, object_id)
        if "body" not in request.POST:
            return JsonResponse({"error": "The form sent no body to keep."}, status=400)
        try:
            kept = autosave.autosave_store(
                user=request.user,
                article=article,
                data=autosave.form_data(request.POST),
                loaded_version=request.POST.get("loaded_version", "")[:64],
            )
        except AutosaveOutdated as outdated:
            return JsonResponse({"error": str(outdated)}, status=409)
        except AutosaveRefused as refused:
            return JsonResponse({"error": str(refused)}, status=400)
        return JsonResponse({"saved_at": kept.saved_at.isoformat(), "clock": clock(kept.saved_at)})

    def writing_discard_view(self, request, object_id=None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.writable_article(request, object_id)
        deleted = autosave.autosave_discard(user=request.user, article=article)
        return JsonResponse({"discarded": deleted})

    def writing_presence_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.writable_article(request, object_id)
        editing = presence.presence_beat(
            article=article, user=request.user, take_over=bool(request.POST.get("take_over"))
        )
        answer = self.presence_answer(request, editing)
        answer["saved_at"] = article.saved_at.isoformat()
        if request.POST.get("loaded_version") != answer["saved_at"]:
            last = Version.objects.get_for_object(article).select_related("revision__user")
            version = last.first()
            answer["saved_by"] = person(version.revision.user) if version else ""
            answer["saved_clock"] = clock(article.saved_at)
        return JsonResponse(answer)

    def presence_answer(self, request, editing):
        holder = None
        if editing.holder is not None:
            holder = {
                "name": person(editing.holder),
                "since": editing.holder_since.isoformat(),
                "clock": clock(editing.holder_since),
                "you": editing.holder_is(request.user),
            }
        return {
            "holder": holder,
            "others": [person(user) for user in editing.others if user.pk != request.user.pk],
            "heartbeat": presence.HEARTBEAT_SECONDS,
        }

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["writing_desk"] = self.writing_desk(request, context, obj)
        context["media"] = context["media"] + WRITING_MEDIA  # the change form only
        return super().render_change_form(request, context, add, change, form_url, obj)

    def writing_desk(self, request, context, article):
        """What the form's writing desk shows (desk/writing/desk.html)."""
        editable = (
            self.has_add_permission(request)
            if article is None
            else self.has_change_permission(request, article)
        )
        desk = {"editable": editable, "autosave_seconds": AUTOSAVE_SECONDS}
        if article is not None:
            editing = presence.editing(article)
            if editing.holder is not None and not editing.holder_is(request.user):
                desk["holder"] = editing.holder
                desk["holder_name"] = person(editing.holder)
                desk["holder_since"] = editing.holder_since
        if not editable:
            return desk
        if article is None:
            names = {"preview": "new_preview", "autosave": "new_autosave", "discard": "new_discard"}
            ids = []
        else:
            names = {"preview": "preview_body", "autosave": "autosave", "discard": "discard",
                     "presence": "presence"}  # fmt: skip
            ids = [article.pk]
        desk["urls"] = {
            key: reverse(f"admin:articles_article_{name}", args=ids) for key, name in names.items()
        }
        desk["stylesheets"] = [
            static(name) for name in ("css/site.css", "images/embeds.css", "desk/preview.css")
        ]
        if request.method == "GET":
            kept = autosave.autosave_of(user=request.user, article=article)
            if kept is not None:
                desk["autosave"] = kept
                desk["differences"] = autosave.differences(kept, context["adminform"].form)
                desk["saved_since"] = article is not None and (
                    kept.loaded_version != article.saved_at.isoformat()
                )
        return desk

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saved: what was kept for this person is in the article now.
        autosave.autosave_discard(user=request.user, article=form.instance if change else None)
