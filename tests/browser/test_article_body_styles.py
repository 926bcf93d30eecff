"""Tables, lists, block quotes and pull quotes in an article body, as readers see them on a
phone and a laptop: styled, and never wider than the page."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

WIDE_ROW = "| " + " | ".join(f"Port number {n} capacity" for n in range(12)) + " |"
BODY = "\n".join([
    "The port figures.", "",
    WIDE_ROW, "|" + "---|" * 12, WIDE_ROW.replace("Port", "Quay"), "",
    "- first point", "- second point", "",
    "> A quotation from the report.", "",
    "Pull quote: We will rebuild the harbour.", "— Ana Silva, mayor", "",
    "# A heading typed with one hash", "",
    "The end.",
])  # fmt: skip


@pytest.mark.parametrize("width", [390, 1280])
def test_body_tables_lists_and_quotes_are_styled_and_fit_the_page(live_server, open_page, width):
    article = make_article(headline="Harbour figures", body=BODY)
    page = open_page(live_server.url + article.get_absolute_url(), width=width)
    body = page.locator(".article-body")

    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
    table = body.locator("table")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # it scrolls within the column
    assert table.bounding_box()["width"] <= body.bounding_box()["width"] + 1
    header = body.locator("th").first
    assert header.evaluate("th => getComputedStyle(th).borderBottomStyle") == "solid"

    item = body.locator("li").first
    marker = item.evaluate("li => getComputedStyle(li, '::marker').color")
    assert marker != item.evaluate("li => getComputedStyle(li).color")  # the accent colour
    quote = body.locator("blockquote").first
    assert quote.evaluate("q => getComputedStyle(q).borderLeftStyle") == "solid"

    pull = body.locator(".pull-quote")
    size = pull.locator("blockquote p").evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    text_size = body.locator("> p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert size > text_size * 1.2
    assert pull.locator(".pull-quote-source").inner_text() == "Ana Silva, mayor"

    heading = body.locator("h2#a-heading-typed-with-one-hash")
    assert heading.inner_text() == "A heading typed with one hash"
    toc = page.locator(".toc")
    assert toc.get_by_role("link", name="A heading typed with one hash").count() == 1
