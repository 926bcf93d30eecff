from urllib.parse import quote

import pytest
from django.test import override_settings

from images.models import Rendition
from newsletter.emails import EditionEmail, confirmation_message, unsubscribe_url
from newsletter.models import Subscriber
from tests.factories import make_article, make_edition, make_subscriber
from tests.images.factories import make_image, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


@pytest.fixture
def site_url(settings):
    settings.NEWSROOM_SITE_URL = "https://news.example"


def test_confirmation_email_is_multipart_with_an_absolute_signed_link():
    subscriber = make_subscriber(name="Ana", status=Subscriber.Status.PENDING)
    message = confirmation_message(subscriber)
    link = f"https://news.example/newsletter/confirm/{subscriber.confirmation_token()}/"
    assert message.to == [subscriber.email]
    assert link in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert f'href="{link}"' in message.alternatives[0].content


def test_confirmation_email_greets_nobody_by_a_name_the_address_has_not_confirmed():
    """Security finding 13.7: whoever signs an address up chooses the name, so the email to
    that address must not carry it."""
    subscriber = make_subscriber(
        name="Ana URGENT: your account is locked, call +1 555 0100",
        status=Subscriber.Status.PENDING,
    )
    message = confirmation_message(subscriber)
    assert message.body.startswith("Hello,\n")
    for body in (message.body, message.alternatives[0].content):
        assert "URGENT" not in body and "555 0100" not in body


def test_edition_email_lists_articles_in_order_with_absolute_links():
    first = make_article(headline="First story", standfirst="Why it matters.")
    second = make_article(headline="Second story")
    email = EditionEmail(make_edition(subject="Weekly", articles=[first, second]))
    message = email.message("ana@example.com", "https://news.example/u/")
    assert message.subject == "Weekly"
    assert message.body.index("First story") < message.body.index("Second story")
    assert f"https://news.example{first.get_absolute_url()}" in message.body
    html = message.alternatives[0].content
    assert f'href="https://news.example{first.get_absolute_url()}"' in html
    assert "Why it matters." in html


def test_edition_email_has_one_click_unsubscribe_headers_and_links():
    subscriber = make_subscriber()
    url = unsubscribe_url(subscriber.pk)
    message = EditionEmail(make_edition(articles=[make_article()])).message(subscriber.email, url)
    assert url.startswith("https://news.example/newsletter/unsubscribe/")
    mailto = f"mailto:newsroom@localhost?subject=unsubscribe&body={quote(url, safe='')}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>, <{mailto}>"
    assert message.extra_headers["List-Id"] == '"Newsroom newsletter" <newsletter.news.example>'
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0].content


def test_edition_email_is_multipart_alternative_on_the_wire():
    message = EditionEmail(make_edition(articles=[make_article()])).message(
        "ana@example.com", "https://news.example/u/"
    )
    wire = message.message()
    assert wire.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in wire.iter_parts()] == ["text/plain", "text/html"]
    assert wire["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_long_unsubscribe_header_stays_readable_on_the_wire(settings):
    settings.NEWSROOM_SITE_URL = "https://www.a-rather-long-newsroom-domain.example"
    subscriber = make_subscriber()
    url = unsubscribe_url(subscriber.pk)
    assert len(url) > 100
    message = EditionEmail(make_edition(articles=[make_article()])).message(subscriber.email, url)
    raw = message.message().as_bytes()
    assert f"\nList-Unsubscribe: <{url}>,\n <mailto:".encode() in raw
    assert b"=?utf-8?" not in raw


def test_edition_text_is_escaped_in_html_but_not_in_plain_text():
    article = make_article(headline="Oil & <gas>")
    message = EditionEmail(make_edition(intro="Tom & Jerry", articles=[article])).message(
        "ana@example.com", "https://news.example/u/?a=1&b=2"
    )
    assert "Oil & <gas>" in message.body and "Tom & Jerry" in message.body
    html = message.alternatives[0].content
    assert "Oil &amp; &lt;gas&gt;" in html and "<gas>" not in html
    assert 'href="https://news.example/u/?a=1&amp;b=2"' in html


@override_settings(DEFAULT_FROM_EMAIL="Desk <desk@news.example>")
def test_emails_come_from_the_configured_sender():
    subscriber = make_subscriber()
    assert confirmation_message(subscriber).from_email == "Desk <desk@news.example>"
    email = EditionEmail(make_edition(articles=[make_article()]))
    assert email.message(subscriber.email, "https://x/").from_email == "Desk <desk@news.example>"


def test_test_email_is_marked_and_carries_no_list_headers():
    email = EditionEmail(make_edition(subject="Weekly"), test=True)
    message = email.message("editor@example.com", "https://news.example/", list_headers=False)
    assert message.subject == "[Test] Weekly"
    assert "List-Unsubscribe" not in message.extra_headers


def test_edition_shows_each_lead_image_by_its_absolute_address():
    picture = make_image(upload_file=upload(width=1600, height=900), alt_text="Cranes at the quay")
    email = EditionEmail(make_edition(articles=[make_article(lead_image=picture),
                                                make_article(headline="No picture")]))  # fmt: skip
    rendition = Rendition.objects.get(image=picture, ratio="16:9", format="jpeg", width=1280)
    assert (
        f'<img src="https://news.example{rendition.url}" alt="Cranes at the quay" '
        'width="560" height="315"'
    ) in email.html
    assert email.html.count("<img ") == 1


def test_edition_keeps_a_media_hosts_own_address(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage",
                    "OPTIONS": {"base_url": "https://media.example/"}},
    }  # fmt: skip
    picture = make_image(alt_text="Cranes at the quay")
    email = EditionEmail(make_edition(articles=[make_article(lead_image=picture)]))
    assert '<img src="https://media.example/images/renditions/' in email.html


@override_settings(NEWSROOM_NEWSLETTER_UNSUBSCRIBE_EMAIL="leave@news.example")
def test_unsubscribe_mail_goes_to_the_mailbox_named_for_it():
    message = EditionEmail(make_edition()).message("ana@example.com", "https://news.example/u/")
    mailto = "mailto:leave@news.example?subject=unsubscribe&body=https%3A%2F%2Fnews.example%2Fu%2F"
    assert f"<{mailto}>" in message.extra_headers["List-Unsubscribe"]


@pytest.mark.parametrize(
    ("site_url", "site_name", "expected"),
    [
        ("http://127.0.0.1:8000", "Newsroom", '"Newsroom newsletter" <newsletter.localhost>'),
        ("https://news.example", 'A "B"', r'"A \"B\" newsletter" <newsletter.news.example>'),
        ("https://news.example", "Le Quotidien été", "<newsletter.news.example>"),
    ],
)
def test_list_id_names_the_site_and_its_domain(settings, site_url, site_name, expected):
    settings.NEWSROOM_SITE_URL, settings.NEWSROOM_SITE_NAME = site_url, site_name
    message = EditionEmail(make_edition()).message("ana@example.com", "https://news.example/u/")
    assert message.extra_headers["List-Id"] == expected
    assert f"List-Id: {expected}\n".encode() in message.message().as_bytes()


def test_edition_labels_paid_content_and_kinds_other_than_news():
    paid = make_article(headline="Brought to you", kind="sponsored")
    view = make_article(headline="Our view", kind="opinion")
    news = make_article(headline="Plain news")
    email = EditionEmail(make_edition(articles=[paid, view, news]))
    message = email.message("ana@example.com", "https://news.example/u/")
    assert "[Sponsored · Paid content] Brought to you" in message.body
    assert "[Opinion] Our view" in message.body
    assert "] Plain news" not in message.body
    html = message.alternatives[0].content
    assert ">Sponsored · Paid content</p>" in html and ">Opinion</p>" in html
