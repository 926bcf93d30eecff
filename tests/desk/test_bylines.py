"""Bylines belong to people: every staff account has a profile, writers byline themselves and
their paired co-authors, editors anyone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from articles.models import ArticleAuthor, Author
from desk import bylines
from desk.services import staff_account_create
from tests.admin_forms import change_url, errors_of, form_data
from tests.factories import make_author, make_ready_article

pytestmark = pytest.mark.django_db

User = get_user_model()


# Profiles, whichever way the account is made.


def test_create_staff_account_links_an_unclaimed_author_of_the_same_name():
    existing = make_author(name="Ana Silva")
    account = staff_account_create(name="Ana Silva", role="writer", title="Reporter")
    assert account.author == existing and not account.author_created
    existing.refresh_from_db()
    assert existing.user == account.user and existing.title == "Reporter"
    assert Author.objects.count() == 1


def test_createsuperuser_gets_a_byline_profile(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-passphrase")
    call_command("createsuperuser", "--noinput", username="chief", email="c@example.com")
    assert User.objects.get(username="chief").author.name == "chief"


def test_ensure_superuser_gets_a_byline_profile(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "desk")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-passphrase")
    call_command("ensure_superuser")
    assert User.objects.get(username="desk").author.slug == "desk"


def test_an_account_made_staff_in_the_admin_gets_a_profile_named_after_the_person(
    editor_client,
):
    response = editor_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "bo.lee",
            "usable_password": "true",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 302, errors_of(response)
    user = User.objects.get(username="bo.lee")
    assert not Author.objects.filter(user=user).exists()  # not staff yet: no byline
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(editor_client.get(url), "user_form")
    data.update(first_name="Bo", last_name="Lee", is_staff="on")
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert Author.objects.get(user=user).name == "Bo Lee"


def test_readers_accounts_get_no_byline():
    User.objects.create_user("reader")
    assert not Author.objects.exists()


def test_staff_edit_their_own_byline_but_not_its_address(writer, writer_client):
    url = reverse("admin:my_byline")
    page = writer_client.get(url)
    assert page.status_code == 200
    assert 'name="slug"' not in page.text and 'name="paired_with"' not in page.text
    response = writer_client.post(
        url, {"name": "Ana Silva", "title": "Energy reporter", "bio": "Covers oil.", "slug": "x"}
    )
    assert response.status_code == 302
    writer.author.refresh_from_db()
    assert (writer.author.name, writer.author.title) == ("Ana Silva", "Energy reporter")
    assert writer.author.slug != "x"
    dashboard = writer_client.get(reverse("admin:index")).text
    assert "Ana Silva" in dashboard and url in dashboard


def test_my_byline_needs_a_staff_login(client):
    response = client.get(reverse("admin:my_byline"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


# Who may be on a byline.


@pytest.fixture
def pair(writer):
    partner = make_author(name="Paired Partner")
    writer.author.paired_with.add(partner)
    return partner


def byline_choices(client, url):
    html = client.get(url).text
    select = re.search(r'<select name="author_links-__prefix__-author".*?</select>', html, re.S)
    return set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group()))


def test_writer_is_offered_themselves_and_their_paired_co_authors(writer, writer_client, pair):
    make_author(name="Someone Else")
    paired_elsewhere = make_author(name="Other Pair")
    paired_elsewhere.paired_with.add(make_author(name="Third"))
    choices = byline_choices(writer_client, reverse("admin:articles_article_add"))
    assert choices == {writer.author.name, "Paired Partner"}
    assert set(bylines.bylineable_authors(writer)) == {writer.author, pair}


def test_a_pairing_goes_both_ways(writer, pair):
    assert writer.author in pair.paired_with.all()


def test_editor_may_byline_anyone(desk_editor):
    make_author(name="Someone Else")
    assert set(bylines.bylineable_authors(desk_editor)) == set(Author.objects.all())


def byline_post(client, article, *authors):
    data = form_data(client.get(change_url(article)))
    data.update(
        {
            "author_links-TOTAL_FORMS": str(len(authors)),
            "author_links-INITIAL_FORMS": "0",
            "headline": "Changed along with the byline",
        }
    )
    for n, author in enumerate(authors):
        data.update({f"author_links-{n}-author": str(author.pk), f"author_links-{n}-order": n})
    return client.post(change_url(article), data)


def test_writer_bylines_a_paired_co_author(writer, writer_client, pair):
    article = make_ready_article(created_by=writer, authors=[])
    response = byline_post(writer_client, article, writer.author, pair)
    assert response.status_code == 302, errors_of(response)
    assert article.ordered_authors == [writer.author, pair]


def test_a_forged_byline_is_refused_with_a_reason_and_nothing_is_saved(writer, writer_client):
    article = make_ready_article(created_by=writer, authors=[], headline="Kept headline")
    stranger = make_author(name="Not Paired")
    response = byline_post(writer_client, article, writer.author, stranger)
    assert response.status_code == 200
    assert "co-authors you are paired with" in errors_of(response)
    article.refresh_from_db()
    assert article.headline == "Kept headline"
    assert not ArticleAuthor.objects.filter(article=article).exists()


def test_names_an_editor_put_on_a_writers_byline_stay_when_the_writer_saves(
    writer, writer_client
):
    guest = make_author(name="Guest Columnist")
    article = make_ready_article(created_by=writer, authors=[writer.author, guest])
    data = form_data(writer_client.get(change_url(article)))
    response = writer_client.post(change_url(article), {**data, "headline": "Edited"})
    assert response.status_code == 302, errors_of(response)
    assert article.ordered_authors == [writer.author, guest]


def test_editor_bylines_anyone(desk_editor_client):
    article = make_ready_article(authors=[])
    anyone = make_author(name="Freelancer")
    response = byline_post(desk_editor_client, article, anyone)
    assert response.status_code == 302, errors_of(response)
    assert article.ordered_authors == [anyone]


def test_editors_set_pairings_in_the_author_admin(desk_editor_client, writer):
    partner = make_author(name="Photographer")
    url = reverse("admin:articles_author_change", args=[writer.author.pk])
    data = form_data(desk_editor_client.get(url), "author_form")
    data["paired_with"] = [str(partner.pk)]
    response = desk_editor_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert list(partner.paired_with.all()) == [writer.author]


def test_writers_cannot_change_pairings(writer, writer_client):
    url = reverse("admin:articles_author_change", args=[writer.author.pk])
    partner = make_author()
    response = writer_client.post(url, {"name": "x", "slug": "x", "paired_with": [partner.pk]})
    assert response.status_code == 403
    assert not writer.author.paired_with.exists()
