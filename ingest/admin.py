"""The ingest screens: paste plain text and see the article it makes before creating a draft;
upload a WordPress or NINJS file (editors-in-chief); and the import records and old addresses."""

import tempfile
import uuid
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles.rendering import render_markdown

from .forms import DraftForm, PasteForm, UploadForm
from .models import Attachment, ImportRecord, LegacyAddress
from .ninjs import import_ninjs
from .plaintext import ArticleFormatError, parse_article
from .reports import Summary
from .services import Incoming, article_import, detected_links, text_fingerprint
from .wordpress import WxrOptions, import_wxr

UPLOAD_PERMISSION = "ingest.import_archive"


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "article", "format", "credit", "imported_at"]
    list_filter = ["format"]
    search_fields = ["key", "article__headline", "source"]
    list_select_related = ["article"]
    readonly_fields = [f.name for f in ImportRecord._meta.fields]
    change_list_template = "admin/ingest/importrecord/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path("paste/", self.admin_site.admin_view(self.paste_view), name="ingest_paste"),
            path("upload/", self.admin_site.admin_view(self.upload_view), name="ingest_upload"),
            *super().get_urls(),
        ]

    def context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def paste_view(self, request):
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        paste_form, draft_form, preview = PasteForm(), None, None
        if request.method == "POST" and "create" in request.POST:
            draft_form = DraftForm(request.POST)
            if draft_form.is_valid():
                article = self.create_draft(request, draft_form.cleaned_data)
                self.message_user(request, f"Draft “{article.headline}” created.")
                return redirect("admin:articles_article_change", article.pk)
            preview = render_markdown(request.POST.get("body", ""))
        elif request.method == "POST":
            paste_form = PasteForm(request.POST)
            if paste_form.is_valid():
                text = paste_form.cleaned_data["text"]
                try:
                    parsed = parse_article("pasted text", text,
                                          headings=paste_form.cleaned_data["headings"])  # fmt: skip
                except ArticleFormatError as error:
                    paste_form.add_error("text", f"Line {error.line}: {error.message}")
                else:
                    draft_form = DraftForm(initial={
                        "headline": parsed.headline,
                        "standfirst": parsed.standfirst,
                        "bylines": ", ".join(parsed.bylines),
                        "body": parsed.body,
                        "faq": "\n".join(f"Q: {q}\nA: {a}" for q, a in parsed.faq),
                        "source": text_fingerprint(text),
                    })  # fmt: skip
                    preview = render_markdown(parsed.body)
                    preview.credit, preview.dropped = parsed.credit, parsed.dropped
        body = (draft_form["body"].value() or "") if draft_form else ""
        return TemplateResponse(request, "admin/ingest/paste.html", self.context(
            request, title="Paste an article", paste_form=paste_form, draft_form=draft_form,
            preview=preview, links=detected_links(body) if body else [],
        ))  # fmt: skip

    def create_draft(self, request, data):
        names = [name.strip() for name in data["bylines"].split(",") if name.strip()]
        incoming = Incoming(
            key=f"paste:{uuid.uuid4()}",
            format="text",
            source=f"pasted by {request.user.get_username()}",
            headline=data["headline"],
            standfirst=data["standfirst"],
            body=data["body"],
            bylines=names or None,
            faq=data["faq"],
            fingerprint=data["source"],
        )
        result = article_import(incoming=incoming)
        article = result.article
        if article.created_by_id is None:
            article.created_by = request.user
            article.save(update_fields=["created_by"])
        if result.duplicate_of:
            self.message_user(
                request, f"The same text was imported before as {result.duplicate_of}.",
                messages.WARNING,
            )  # fmt: skip
        return article

    def upload_view(self, request):
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied
        form, summary = UploadForm(), None
        if request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                summary = self.run_upload(form.cleaned_data["file"], form.cleaned_data["dry_run"])
                if summary is None:
                    form.add_error("file", "Upload a WordPress .xml export or a NINJS .json file.")
        return TemplateResponse(request, "admin/ingest/upload.html", self.context(
            request, title="Upload a WordPress or NINJS file", form=form, summary=summary,
        ))  # fmt: skip

    @staticmethod
    def run_upload(upload, dry_run):
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".xml", ".json"):
            return None
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            if suffix == ".json":
                return import_ninjs([path], dry_run=dry_run)
            try:
                return import_wxr(path, options=WxrOptions(dry_run=dry_run))
            except SyntaxError as error:
                summary = Summary()
                summary.fail(f"{upload.name}: not a WordPress export: {error}")
                return summary


@admin.register(LegacyAddress)
class LegacyAddressAdmin(admin.ModelAdmin):
    list_display = ["path", "article", "created_at"]
    search_fields = ["path", "article__headline"]
    raw_id_fields = ["article"]
    list_select_related = ["article"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "record"]
    search_fields = ["title", "url"]
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request):
        return False
