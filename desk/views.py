from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from articles.models import Article
from articles.views import ArticleDetailView, with_related

from .forms import BylineProfileForm
from .models import PreviewLink
from .services import author_profile_ensure


class ArticlePreviewView(ArticleDetailView):
    """An unpublished article shown to whoever holds a valid preview link; no account needed."""

    template_name = "desk/article_preview.html"

    def get(self, request, *args, **kwargs):
        key = PreviewLink.key_from_token(kwargs["token"])
        self.link = get_object_or_404(PreviewLink.objects.select_related("article"), key=key or "")
        if not self.link.is_active():
            response = render(
                request, "desk/preview_expired.html", {"link": self.link}, status=410
            )
        else:
            response = super().get(request, *args, **kwargs)
        # Drafts shared with a lawyer or a source: never cached, never indexed.
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_object(self, queryset=None):
        article = get_object_or_404(Article, pk=self.link.article_id)
        return with_related(article, list(Article.objects.related_to(article)))

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview_link=self.link, **kwargs)


@require_http_methods(["GET", "POST"])
def my_byline(request, site_context):
    """The logged-in staff member's own byline profile: name, job title and biography
    (DeskAdminSite wraps it in the admin's login and context)."""
    author, _ = author_profile_ensure(user=request.user)
    form = BylineProfileForm(request.POST or None, instance=author)
    if form.is_valid():
        form.save()
        messages.success(request, "Your byline is saved.")
        return redirect("admin:my_byline")
    context = {**site_context, "title": "My byline", "form": form, "author": author}
    return render(request, "admin/desk/my_byline.html", context)
