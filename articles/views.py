from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from . import structured_data
from .models import Article, Author, Section, search_text

PAGE_SIZE = 12


def with_breadcrumbs(request, context, *crumbs):
    """Add the visible trail and its BreadcrumbList to `context`; crumbs are (name, path)."""
    trail = [("Home", reverse("articles:home")), *crumbs]
    context["breadcrumbs"] = trail
    context.setdefault("structured_data", []).append(
        structured_data.breadcrumb_list(trail, request)
    )
    return context


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().for_listing().latest_first()


class ArchiveView(ArticleListView):
    """The published articles filed under one section, author or tag."""

    archive_model = None
    article_filter = None
    context_archive_name = None
    feed_names = ()

    def get_archive_queryset(self):
        return self.archive_model.objects.all()

    def get(self, request, *args, **kwargs):
        self.archive = get_object_or_404(self.get_archive_queryset(), slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(**{self.article_filter: self.archive})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            page_title=str(self.archive),
            page_description=self.get_description(),
            feeds={
                label: reverse(name, kwargs={"slug": self.archive.slug})
                for label, name in self.feed_names
            },
            **{self.context_archive_name: self.archive},
            **kwargs,
        )
        return with_breadcrumbs(
            self.request, context, (str(self.archive), self.archive_path())
        )

    def archive_path(self):
        return self.archive.get_absolute_url()


class SectionArticleListView(ArchiveView):
    template_name = "articles/section_detail.html"
    archive_model = Section
    article_filter = "section"
    context_archive_name = "section"
    feed_names = (("RSS", "feeds:section-rss"), ("Atom", "feeds:section-atom"))

    def get_description(self):
        return self.archive.description or f"The latest {self.archive.name} news and analysis."


class AuthorArticleListView(ArchiveView):
    template_name = "articles/author_detail.html"
    archive_model = Author
    article_filter = "authors"
    context_archive_name = "author"

    def get_description(self):
        return self.archive.bio or f"Articles by {self.archive.name}."


class TagArticleListView(ArchiveView):
    template_name = "articles/tag_detail.html"
    article_filter = "tags"
    context_archive_name = "tag"
    feed_names = (("RSS", "feeds:tag-rss"), ("Atom", "feeds:tag-atom"))

    def get_archive_queryset(self):
        # A tag only drafts use would tell readers what is coming, so it has no page yet.
        return Article.objects.published().used_tags()

    def get_description(self):
        return f"Articles about {self.archive.name}."

    def archive_path(self):
        return reverse("articles:tag", kwargs={"slug": self.archive.slug})


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def can_preview(self):
        return self.request.user.has_perm("articles.change_article")

    def get_queryset(self):
        articles = Article.objects.for_detail()
        return articles if self.can_preview() else articles.published()

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            moved = Article.objects.published().filter(old_slugs__slug=kwargs["slug"]).first()
            if moved is None:
                raise
            return redirect(moved, permanent=True)
        if not self.object.is_published():
            # A staff preview of unpublished copy must never be cached anywhere.
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        data = [structured_data.news_article(article, self.request)]
        faq_items = article.faq_items.all()
        if faq_items:
            data.append(structured_data.faq_page(faq_items))
        context = super().get_context_data(
            page_title=article.seo_title or article.headline,
            page_description=article.meta_description,
            og_type="article",
            noindex=not article.is_published(),
            structured_data=data,
            **kwargs,
        )
        crumbs = [(article.headline, article.get_absolute_url())]
        if article.section:
            crumbs.insert(0, (article.section.name, article.section.get_absolute_url()))
        return with_breadcrumbs(self.request, context, *crumbs)


def search(request):
    query = search_text(request.GET.get("q", ""))
    results = Article.objects.published().for_listing().search(query)
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "query": query,
        "page_obj": page_obj,
        "articles": page_obj.object_list,
        "page_title": f"Search: {query}" if query else "Search",
        "page_description": f"Articles matching “{query}”." if query else "Search the articles.",
        "noindex": True,
    }
    with_breadcrumbs(request, context, ("Search", reverse("articles:search")))
    return render(request, "articles/search.html", context)
