"""The editors' side of the admin: articles with their workflow and history, sections,
authors, tags and the publisher's logo. The admin's front page is each person's desk."""

from django.contrib import admin

# Registers the model admins.
from . import accounts, articles, publisher, tags, taxonomy  # noqa: F401

admin.site.index_template = "admin/editorial_index.html"
