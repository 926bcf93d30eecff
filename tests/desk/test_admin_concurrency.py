"""Editors saving the same article at the same moment (PostgreSQL): the first save wins, every
other editor who opened the same version is told who saved it and when, and each save that went
through keeps a revision. Nothing is overwritten unseen."""

from django.test import Client
from reversion.models import Version

from articles.models import Article
from tests.admin_forms import change_url, errors_of, form_data
from tests.concurrency import at_once, races_on_postgres
from tests.factories import make_ready_article, make_staff

pytestmark = races_on_postgres("saving")

EDITORS = 6


def test_concurrent_saves_of_one_version_let_one_through_and_refuse_the_rest():
    article = make_ready_article()
    url = change_url(article)
    clients, forms = [], []
    for n in range(EDITORS):
        client = Client()
        client.force_login(make_staff("editor", first_name=f"Editor{n}"))
        data = form_data(client.get(url))
        data["headline"] = f"Headline by editor {n}"
        clients.append(client)
        forms.append(data)

    def save(n):
        response = clients[n].post(url, forms[n])
        return response.status_code, errors_of(response)

    results = at_once(*(lambda n=n: save(n) for n in range(EDITORS)))
    saved = [n for n, (status, _) in enumerate(results) if status == 302]
    refused = [n for n, (_, message) in enumerate(results) if "after you opened it" in message]
    assert len(saved) == 1, results
    assert sorted(saved + refused) == list(range(EDITORS)), results
    winner = saved[0]
    article.refresh_from_db()
    assert article.headline == f"Headline by editor {winner}"
    assert all(f"Editor{winner}" in results[n][1] for n in refused)
    assert Version.objects.get_for_object(article).count() == 1
    assert Article.objects.count() == 1
