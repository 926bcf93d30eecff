from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from .models import Article, Author, Correction, PreviewLink, Section


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing().latest_first()


class SectionArticleListView(ArticleListView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class AuthorArticleListView(ArticleListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def can_preview(self):
        return self.request.user.has_perm("articles.change_article")

    def get_queryset(self):
        articles = Article.objects.for_detail()
        return articles if self.can_preview() else articles.published()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.object.is_published():
            # A staff preview of unpublished copy must never be cached anywhere.
            add_never_cache_headers(response)
        return response


class ArticlePreviewView(ArticleDetailView):
    """An unpublished article shown to whoever holds a valid preview link; no account needed."""

    template_name = "articles/article_preview.html"

    def get(self, request, *args, **kwargs):
        key = PreviewLink.key_from_token(kwargs["token"])
        self.link = get_object_or_404(PreviewLink.objects.select_related("article"), key=key or "")
        if not self.link.is_active():
            response = render(
                request, "articles/preview_expired.html", {"link": self.link}, status=410
            )
        else:
            response = super().get(request, *args, **kwargs)
        # Drafts shared with a lawyer or a source: never cached, never indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, queryset=None):
        return get_object_or_404(Article.objects.for_detail(), pk=self.link.article_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview_link=self.link, **kwargs)


class CorrectionListView(ListView):
    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 30

    def get_queryset(self):
        return Correction.objects.published().select_related("article")
