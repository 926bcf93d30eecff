"""
The live side of the article form: the body rendered as readers will see it, its length, and
the pre-publish checklist over what the form holds now, none of it saved.

The preview goes through the site's own renderer (articles.rendering, then images.body for
pictures and embeds) and its templates; the checklist through the same `submitted_draft` and
rules a save applies (desk/admin/forms.py, desk/checklist.py).
"""

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from articles.rendering import count_words, reading_time_minutes, render_markdown
from images.body import expand_media

from . import checklist

MAX_BODY_CHARACTERS = 500_000


def figures(words, minutes):
    """“1,204 words · 6 min read”."""
    return f"{words:,} {'word' if words == 1 else 'words'} · {minutes} min read"


def checklist_html(report):
    """The checklist's findings as the change form lists them: ✔ for a check passed, ✖ for a
    failure that blocks going live, ⚠ for a warning."""
    rows = []
    for check in report.checks:
        if not check.findings:
            rows.append(("ok", "✔", check.title))
        for finding in check.findings:
            mark = "✖" if finding.level == checklist.FAILURE else "⚠"
            rows.append((finding.level, mark, f"{check.title}: {finding.message}"))
    return format_html(
        '<ul class="prepublish-checklist">{}</ul>',
        format_html_join(
            "", '<li class="checklist-{}"><span aria-hidden="true">{}</span> {}</li>', rows
        ),
    )


def preview(form):
    """What the bound admin `form` (with the inline rows it was sent with) would show readers,
    its length, and the checklist's findings; a dict for the browser. The body is rendered
    once, as the form cleans it (as it would be saved), for the preview and the checklist."""
    form.is_valid()  # for cleaned_data: errors show when the form is saved, not here
    # clean() has run the checklist when the form takes the article live: its report stands.
    report = form.checklist_report
    if report is None:
        draft = form.submitted_draft(form.cleaned_data)
        rendered = render_markdown(draft.body if draft else form.cleaned_data.get("body", ""))
        report = checklist.run(draft, rendered=rendered) if draft else None
    else:
        draft, rendered = report.draft, report.rendered
    words = count_words(rendered.html)
    minutes = reading_time_minutes(words)
    length = figures(words, minutes)
    html = render_to_string(
        "desk/writing/preview.html",
        {
            "headline": form.data.get("headline", ""),
            "standfirst": form.data.get("standfirst", ""),
            "dateline": form.data.get("dateline", ""),
            "reporting_notes": form.data.get("reporting_notes", ""),
            "body_html": expand_media(rendered.html),
            "faq": [{"question": q, "answer": a} for q, a in draft.faq] if draft else [],
            "figures": length,
        },
    )
    return {
        "html": html,
        "words": words,
        "reading_time": minutes,
        "figures": length,
        # None when some inline rows are invalid: the save will say which.
        "checklist": str(checklist_html(report)) if report else None,
    }
