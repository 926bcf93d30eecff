"""A `# Title` line (or a title underlined with `===`) was dropped by the sanitiser, leaving its
text as a stray line; it is now a section heading. A paragraph starting with `Pull quote:` is now
a pull quote. Bodies with either render again, as new saves do; others are left alone."""

from django.db import migrations, models

from articles.rendering import render_markdown

TOP_HEADING_OR_PULL_QUOTE = r"(^|\n)([ \t]{0,3}#([^#]|$)|[ \t]*pull quote:|[ \t]{0,3}=+[ \t]*(\r?\n|$))"


def render_again(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    matching = articles.filter(body__iregex=TOP_HEADING_OR_PULL_QUOTE).only("pk", "body")
    for article in matching.iterator():
        rendered = render_markdown(article.body)
        articles.filter(pk=article.pk).update(body_html=rendered.html, headings=rendered.headings)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0024_author_pairings_and_staff_byline_profiles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="body",
            field=models.TextField(
                blank=True,
                help_text="Markdown. Start a paragraph with “Pro Tip:”, “Did you know?” or “Note:” "
                "to show it as a labelled box, and with “Pull quote:” to set a quotation large. "
                "Use “## ” before a line for a section heading, [text](https://…) for a link. On "
                "a line of its own, ![[image:42]] places picture 42 of the library "
                "(![[image:42|16:9|A caption]] crops it and gives a caption), and a YouTube, "
                "Vimeo, X, Bluesky, Mastodon, Datawrapper or Flourish address shows the post, "
                "video or chart when a reader asks.",
            ),
        ),
        migrations.RunPython(render_again, migrations.RunPython.noop),
    ]
