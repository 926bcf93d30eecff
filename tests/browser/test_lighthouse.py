"""Lighthouse on a phone: the article page with its lead image scores at least 95 in each
category, and its largest paint comes within 2.5 s (the median of three runs)."""

import pytest

from images.services import renditions_make
from tests.browser.conftest import LIGHTHOUSE_CATEGORIES
from tests.browser.test_article_page import seed_article  # noqa: F401 -- fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.lighthouse]

RUNS = 3


def test_article_with_a_lead_image_scores_95_in_every_category_on_a_phone(
    live_server, lighthouse, seed_article  # noqa: F811
):
    # What the upload's task does (make run runs it at once): the page itself is made afresh.
    renditions_make(image=seed_article.lead_image)
    url = live_server.url + seed_article.get_absolute_url()
    # Lighthouse's own advice on variability: run it several times and judge the median run.
    # Its simulated slow phone multiplies the main thread's time, which a busy machine inflates.
    runs = sorted(
        (lighthouse(url, f"article-{n}") for n in range(1, RUNS + 1)),
        key=lambda run: run["categories"]["performance"]["score"] or 0,
    )
    report = runs[RUNS // 2]
    assert report["finalDisplayedUrl"] == url
    assert report["configSettings"]["formFactor"] == "mobile"
    scores = {name: report["categories"][name]["score"] for name in LIGHTHOUSE_CATEGORIES}
    failing = {
        name: [
            f"{ref['id']}: {report['audits'][ref['id']]['title']}"
            for ref in report["categories"][name]["auditRefs"]
            if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
        ]
        for name, score in scores.items()
        if score is None or score < 0.95
    }
    assert not failing, (scores, failing)
    largest_paint = report["audits"]["largest-contentful-paint"]["numericValue"]
    assert largest_paint < 2500, f"largest contentful paint {largest_paint:.0f} ms"
    # The picture was part of the page Lighthouse measured, not left out.
    requested = {item["url"] for item in report["audits"]["network-requests"]["details"]["items"]}
    assert any("/media/images/renditions/" in address for address in requested)
