"""The live side of the article form: its figures and checklist, the same as on save."""

from django.test import SimpleTestCase

from desk import checklist
from desk.writing import checklist_html, figures


class FiguresTests(SimpleTestCase):
    def test_figures_give_words_and_minutes(self):
        self.assertEqual(figures(1204, 6), "1,204 words · 6 min read")
        self.assertEqual(figures(1, 1), "1 word · 1 min read")


class ChecklistTests(SimpleTestCase):
    def test_checklist_marks_passes_failures_and_warnings(self):
        draft = checklist.Draft(headline="H" * 80, standfirst="Short.", section=object())
        html = str(checklist_html(checklist.run(draft)))
        self.assertIn(
            '<li class="checklist-ok"><span aria-hidden="true">✔</span> Section</li>', html
        )
        self.assertIn(
            '<li class="checklist-failure"><span aria-hidden="true">✖</span> Byline: Add at least '
            "one author to the byline.</li>",
            html,
        )
        self.assertIn(
            '<li class="checklist-warning"><span aria-hidden="true">⚠</span> Headline:', html
        )

    def test_checklist_text_is_escaped(self):
        draft = checklist.Draft(body="[<b>x</b>](http://exa mple.com)")
        self.assertNotIn("<b>x</b>", str(checklist_html(checklist.run(draft))))
