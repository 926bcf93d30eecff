from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.views.generic import DetailView, ListView
from taggit.models import Tag

import pagecache

from . import cache_keys, structured_data
from .media import article_media, listing_media, shared_picture
from .models import Article, Author, Correction, PolicyPage
from .paging import Position, PositionPaginator
from .paths import path_to
from .plain import with_bylines, with_page_parts, with_tags
from .search import SEARCH_CANDIDATES, find, is_query_error, search_text
from .search_query import MAX_WORDS, parse
from .site_frame import nav_sections, with_sections

PAGE_SIZE = 12


def with_card_parts(articles):
    """`articles` (a list) with what their cards show beyond their rows: their bylines (one
    query) and their sections (the navigation's, remembered). Their pictures come with the
    page's others (media.py)."""
    return with_sections(with_bylines(articles))


def with_breadcrumbs(request, context, *crumbs):
    """Add the visible trail and its BreadcrumbList to `context`; crumbs are (name, path)."""
    trail = [("Home", path_to("articles:home")), *crumbs]
    context["breadcrumbs"] = trail
    context.setdefault("structured_data", []).append(
        structured_data.breadcrumb_list(trail, request)
    )
    return context


class SearchPaginator(Paginator):
    """A page of search results, whose number is known from picking them (search.find)."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = count

    @cached_property
    def count(self):
        # Search pages change when any article does.
        pagecache.shows(cache_keys.SEARCH)
        return self.found

    def page(self, number):
        page = super().page(number)
        page.object_list = with_card_parts(list(page.object_list))
        cache_keys.show_cards(page.object_list)
        return page


class PositionPagingMixin:
    """A ListView paged by position (paging.py): `?before=` and `?after=` a position, each page
    one index range; an old `?page=N` link redirects to the same page by position."""

    date_field = "published_at"
    extra_context = {
        "canonical_params": ["before", "after"],
        "pagination_template": "articles/includes/position_pagination.html",
    }

    def get(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        paginator = PositionPaginator(
            self.object_list, self.get_paginate_by(self.object_list), field=self.date_field
        )
        page = self.position_page(paginator)
        if isinstance(page, HttpResponseBase):
            return page
        if not page.object_list and not self.get_allow_empty():
            raise Http404("Nothing to list here yet.")
        self.page = page
        self.fill(page.object_list)
        self.shows(page.object_list)
        return self.render_to_response(self.get_context_data())

    def position_page(self, paginator):
        """The page the query asks for, or a redirect to where it is now."""
        query = self.request.GET
        if "page" in query:
            start = paginator.start_of_page(query["page"])
            return redirect(f"{self.request.path}?before={start}" if start else self.request.path)
        if "before" in query and "after" in query:
            raise Http404("A page is before a position or after one, not both.")
        for name, read in (("before", paginator.before), ("after", paginator.after)):
            if name in query:
                position = Position.parse(query[name])
                if position is None:
                    raise Http404(f"“{query[name]}” is not a position in a listing.")
                page = read(position)
                if page is None and name == "after":
                    return redirect(self.request.path)  # newer items reach the first page
                if page is None:
                    raise Http404("No items there: the listing ends before it.")
                return page
        return paginator.first()

    def paginate_queryset(self, queryset, page_size):
        return (None, self.page, self.page.object_list, self.page.has_other_pages())

    def fill(self, items):
        """Read what the page shows of `items` beyond their rows."""

    def shows(self, items):
        """Name what the page shows (the pagecache app)."""


class ArticleListView(PositionPagingMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    # The home page describes the site and its publisher to search engines.
    shows_publisher = False

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def fill(self, items):
        with_card_parts(items)

    def shows(self, items):
        pagecache.shows(*self.listing_keys())
        cache_keys.show_cards(items)

    def listing_keys(self):
        return {cache_keys.LATEST}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["media"] = listing_media(context["articles"], logo=self.shows_publisher)
        return context


class HomeView(ArticleListView):
    shows_publisher = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publisher = structured_data.organization(self.request, logo=context["media"].logo)
        context["structured_data"] = [
            structured_data.website(self.request),
            {"@context": "https://schema.org", **publisher},
        ]
        return context


class ArchiveView(ArticleListView):
    """The published articles filed under one section, author or tag."""

    article_filter = None
    context_archive_name = None
    feed_names = ()

    def listing_keys(self):
        key = self.archive_key
        return {key(self.archive.pk), key(self.archive.pk, listing=True)}

    def get(self, request, *args, **kwargs):
        self.archive = self.get_archive(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_archive(self, slug):
        """The section, author or tag the page is of: get_archive_queryset()'s with `slug`."""
        return get_object_or_404(self.get_archive_queryset(), slug=slug)

    def get_queryset(self):
        return self.archive_articles(super().get_queryset())

    def archive_articles(self, articles):
        return articles.filter(**{self.article_filter: self.archive})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            page_title=str(self.archive),
            page_description=self.get_description(),
            feeds={label: path_to(name, self.archive.slug) for label, name in self.feed_names},
            **{self.context_archive_name: self.archive},
            **kwargs,
        )
        return with_breadcrumbs(self.request, context, (str(self.archive), self.archive_path()))

    def archive_path(self):
        return self.archive.get_absolute_url()


class SectionArticleListView(ArchiveView):
    template_name = "articles/section_detail.html"
    article_filter = "section"
    context_archive_name = "section"
    archive_key = staticmethod(cache_keys.section_key)
    feed_names = (("RSS", "feeds:section-rss"), ("Atom", "feeds:section-atom"))

    def get_archive(self, slug):
        # The frame's navigation remembers every section (site_frame): no query of its own.
        section = next((each for each in nav_sections() if each.slug == slug), None)
        if section is None:
            raise Http404("No such section.")
        return section

    def get_description(self):
        return self.archive.description or f"The latest {self.archive.name} news and analysis."


class AuthorArticleListView(ArchiveView):
    template_name = "articles/author_detail.html"
    article_filter = "authors"
    context_archive_name = "author"
    archive_key = staticmethod(cache_keys.author_key)
    # Like tags: someone whose articles are all unpublished has no page yet. The empty first
    # page tells, where asking for authors with a published article cost a subquery.
    allow_empty = False

    def get_archive_queryset(self):
        return Author.objects.all()

    def get_description(self):
        return self.archive.bio or f"Articles by {self.archive.name}."


class TagArticleListView(ArchiveView):
    template_name = "articles/tag_detail.html"
    context_archive_name = "tag"
    archive_key = staticmethod(cache_keys.tag_key)
    feed_names = (("RSS", "feeds:tag-rss"), ("Atom", "feeds:tag-atom"))
    # A tag only drafts use would tell readers what is coming, so it has no page yet: its
    # first page is empty (asking for the tags of published articles cost two subqueries).
    allow_empty = False

    def get_archive_queryset(self):
        return Tag.objects.all()

    def archive_articles(self, articles):
        return articles.tagged(self.archive)

    def get_description(self):
        return f"Articles about {self.archive.name}."

    def archive_path(self):
        return path_to("articles:tag", self.archive.slug)


def with_related(article, related):
    """`article` and its related cards with their bylines, then its tags, FAQ and corrections,
    then every picture the page shows: five queries for any number of each."""
    with_card_parts([article, *related])
    with_tags([article])
    with_page_parts(article)
    article.related = related
    article.media = article_media(article, related)
    return article


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def can_preview(self):
        return self.request.user.has_perm("articles.change_article")

    def get_object(self, queryset=None):
        """The article and its related cards in one query once the related list is known (it is
        remembered until the content changes), so the page takes six queries with comments."""
        slug = self.kwargs["slug"]
        remembered = f"related-articles:{slug}"
        related_ids = pagecache.recall(remembered)
        wanted = Q(slug=slug)
        if not self.can_preview():
            wanted &= Article.objects.published_condition()
        if related_ids:
            wanted |= Q(pk__in=related_ids) & Article.objects.published_condition()
        # Sections and pictures come in with_related().
        rows = {row.pk: row for row in Article.objects.filter(wanted)}
        article = next((row for row in rows.values() if row.slug == slug), None)
        if article is None:
            raise Http404("No such article.")
        if related_ids is None:
            # Kept until the article changes: a newly published article joins other articles'
            # related lists when their pages are next made (docs/deploy.md).
            related = list(Article.objects.related_to(article))
            keys = {cache_keys.article_key(article.pk)}
            pagecache.keep(remembered, [row.pk for row in related], keys=keys)
        else:
            related = [rows[pk] for pk in related_ids if pk in rows and pk != article.pk]
        return with_related(article, related)

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            old_slug = kwargs.get("slug")
            moved = (
                old_slug and Article.objects.published().filter(old_slugs__slug=old_slug).first()
            )
            if moved is None:
                raise
            return redirect(moved, permanent=True)
        if not self.object.is_published():
            # A staff preview of unpublished copy must never be cached anywhere.
            add_never_cache_headers(response)
        cache_keys.show_article(self.object)
        return response

    def get_context_data(self, **kwargs):
        article = self.object
        data = [structured_data.news_article(article, self.request, logo=article.media.logo)]
        if article.faq_list:
            data.append(structured_data.faq_page(article.faq_list))
        context = super().get_context_data(
            page_title=article.seo_title or article.headline,
            page_description=article.meta_description,
            og_type="article",
            noindex=not article.is_published(),
            structured_data=data,
            related=article.related,
            media=article.media,
            social_image=shared_picture(
                article.lead_image, self.request.build_absolute_uri(article.get_absolute_url())
            ),
            **kwargs,
        )
        crumbs = [(article.headline, article.get_absolute_url())]
        if article.section:
            crumbs.insert(0, (article.section.name, article.section.get_absolute_url()))
        return with_breadcrumbs(self.request, context, *crumbs)


def search(request):
    query = search_text(request.GET.get("q", ""))
    parsed = parse(query)
    context = {
        "query": query,
        "search_limit": SEARCH_CANDIDATES,
        "truncated": parsed.truncated,
        "max_words": MAX_WORDS,
        "page_title": f"Search: {query}" if query else "Search",
        "page_description": f"Articles matching “{query}”." if query else "Search the articles.",
        "noindex": True,
        "canonical_params": ["q", "page"],
    }
    status = 200
    try:
        found = find(Article.objects.published().for_listing(), parsed)
        paginator = SearchPaginator(found.articles, PAGE_SIZE, count=found.count)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            page_obj=page_obj,
            articles=page_obj.object_list,
            media=listing_media(page_obj.object_list),
        )
    except DatabaseError as error:
        # The query is bounded before the database sees it; should the database still refuse
        # it, the reader is asked for fewer words (400: nothing caches it) rather than a 500.
        if not is_query_error(error):
            raise
        context["too_complex"], status = True, 400
    with_breadcrumbs(request, context, ("Search", path_to("articles:search")))
    return TemplateResponse(request, "articles/search.html", context, status=status)


class CorrectionListView(PositionPagingMixin, ListView):
    template_name = "articles/correction_list.html"
    context_object_name = "corrections"
    paginate_by = 30
    date_field = "created_at"

    def get_queryset(self):
        return Correction.objects.published().select_related("article")

    def shows(self, items):
        keys = {cache_keys.article_key(correction.article_id) for correction in items}
        pagecache.shows(cache_keys.CORRECTIONS, *keys)


class PolicyPageView(DetailView):
    """One of the publisher's policy pages: /about/ethics-policy/ and the like."""

    model = PolicyPage
    slug_field = "kind"
    slug_url_kwarg = "kind"
    context_object_name = "page"

    def get_context_data(self, **kwargs):
        page = self.object
        cache_keys.show_publisher()
        context = super().get_context_data(
            page_title=str(page), page_description=f"{page} of {settings.NEWSROOM_SITE_NAME}."
        )
        return with_breadcrumbs(self.request, context, (str(page), page.get_absolute_url()))
