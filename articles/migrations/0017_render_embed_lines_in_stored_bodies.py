"""Bodies saved before pictures and embeds keep an address on a line of its own as plain text;
render those again, so that they show the click-to-load embed (or a link) as new saves do.
Bodies without such a line render as before and are left alone."""

from django.db import migrations

from articles.rendering import render_markdown

# An http(s) address alone on a line (what images.embeds turns into an embed or a link).
URL_LINE = r"(^|\n)[ \t]*https?://[^ \t\r\n]+[ \t]*(\r?\n|$)"


def render_embed_lines(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    for article in articles.filter(body__regex=URL_LINE).only("pk", "body").iterator():
        rendered = render_markdown(article.body)
        articles.filter(pk=article.pk).update(body_html=rendered.html)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0016_add_lead_image_body_images_and_publisher"),
    ]

    operations = [
        migrations.RunPython(render_embed_lines, migrations.RunPython.noop),
    ]
