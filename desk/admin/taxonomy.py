from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count

from articles.models import Author, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "user", "pairings"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "title"]
    autocomplete_fields = ["paired_with"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("paired_with")

    @admin.display(description="Paired with")
    def pairings(self, obj):
        return ", ".join(author.name for author in obj.paired_with.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # A plain list of staff accounts: an autocomplete would need the permission to view
            # every user account, which editors do not hold.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
