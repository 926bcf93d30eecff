from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .models import Correction


class CorrectionsFeed(Feed):
    title = f"{settings.SITE_NAME}: corrections and updates"
    link = reverse_lazy("articles:corrections")
    description = "Every correction and update to our published articles, newest first."

    def items(self):
        return Correction.objects.published().select_related("article")[:30]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return item.article.get_absolute_url() + "#corrections"

    def item_guid(self, item):
        return f"{item.article.get_absolute_url()}#correction-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at
