from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from newsletter.models import (
    CONFIRM_MAX_AGE,
    UNSUBSCRIBE_MAX_AGE,
    Delivery,
    Edition,
    EditionArticle,
    Subscriber,
)
from tests.factories import make_article, make_edition, make_subscriber

pytestmark = pytest.mark.django_db


def test_email_is_stored_in_lower_case_so_case_variants_are_one_subscriber():
    make_subscriber(email="  Ana@Example.COM ")
    assert Subscriber.objects.get().email == "ana@example.com"
    with pytest.raises(IntegrityError), transaction.atomic():
        make_subscriber(email="ANA@example.com")


def test_database_refuses_a_mixed_case_email_written_around_the_model():
    subscriber = make_subscriber()
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(email="Mixed@Example.com")


def test_confirmed_subscriber_needs_a_confirmation_time():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.CONFIRMED)


@pytest.mark.parametrize(
    ("status", "stamp"),
    [("confirmed", "confirmed_at"), ("unsubscribed", "unsubscribed_at"), ("bounced", "bounced_at")],
)
def test_saving_a_status_fills_in_its_timestamp(status, stamp):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    subscriber.status = status
    subscriber.save()
    assert getattr(subscriber, stamp) is not None


def test_one_delivery_per_subscriber_and_edition():
    edition, subscriber = make_edition(), make_subscriber()
    Delivery.objects.create(edition=edition, subscriber=subscriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(edition=edition, subscriber=subscriber)


def test_confirmation_token_names_its_subscriber():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    assert Subscriber.from_confirmation_token(subscriber.confirmation_token()) == subscriber


def test_tampered_token_names_nobody():
    subscriber = make_subscriber()
    other = make_subscriber()
    token = subscriber.unsubscribe_token()
    forged = token.replace(str(subscriber.pk), str(other.pk), 1)
    assert Subscriber.from_unsubscribe_token(forged) is None
    assert Subscriber.from_unsubscribe_token(token[:-2]) is None
    assert Subscriber.from_unsubscribe_token("nonsense") is None


def test_confirmation_token_is_not_an_unsubscribe_token_and_vice_versa():
    subscriber = make_subscriber()
    assert Subscriber.from_unsubscribe_token(subscriber.confirmation_token()) is None
    assert Subscriber.from_confirmation_token(subscriber.unsubscribe_token()) is None


def test_tokens_expire():
    subscriber = make_subscriber()
    with time_machine.travel(timezone.now() - CONFIRM_MAX_AGE - timedelta(minutes=1)):
        old_confirm = subscriber.confirmation_token()
    with time_machine.travel(timezone.now() - UNSUBSCRIBE_MAX_AGE - timedelta(minutes=1)):
        old_unsubscribe = subscriber.unsubscribe_token()
    assert Subscriber.from_confirmation_token(old_confirm) is None
    assert Subscriber.from_unsubscribe_token(old_unsubscribe) is None


def test_unsubscribe_links_outlive_confirmation_links():
    subscriber = make_subscriber()
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        month_old = subscriber.unsubscribe_token()
    assert Subscriber.from_unsubscribe_token(month_old) == subscriber


def test_suggested_articles_are_those_published_since_the_previous_send():
    now = timezone.now()
    make_article(headline="Old", published_at=now - timedelta(days=9))
    Edition.objects.create(
        subject="Last week", status=Edition.Status.SENT, queued_at=now - timedelta(days=7),
        sent_at=now - timedelta(days=7),
    )  # fmt: skip
    newer = make_article(headline="Newer")
    make_article(headline="Draft", status=Article.Status.DRAFT)
    make_edition(subject="An unsent draft does not count as a previous edition")
    assert list(Edition.suggested_articles()) == [newer]


def test_first_edition_suggests_the_latest_published_articles():
    articles = [make_article() for _ in range(3)]
    assert list(Edition.suggested_articles(limit=2)) == articles[::-1][:2]


def test_edition_leaves_out_articles_unpublished_after_being_chosen():
    kept, pulled = make_article(headline="Kept"), make_article(headline="Pulled")
    edition = make_edition(articles=[pulled, kept])
    Article.objects.filter(pk=pulled.pk).update(status=Article.Status.DRAFT)
    assert edition.ordered_articles() == [kept]


def test_only_published_articles_can_go_in_an_edition():
    draft = make_article(status=Article.Status.DRAFT)
    item = EditionArticle(edition=make_edition(), article=draft)
    with pytest.raises(ValidationError, match="Only published articles"):
        item.full_clean()
