import io

import pytest
from django.core.management import CommandError, call_command

from newsletter.models import Subscriber
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db


def run(*args, stdin="", **options):
    out = io.StringIO()
    call_command("mark_bounced", *args, stdout=out, stdin=io.StringIO(stdin), **options)
    return out.getvalue()


def statuses():
    return dict(Subscriber.objects.values_list("email", "status"))


def test_addresses_from_a_file_are_marked_bounced(tmp_path):
    make_subscriber(email="a@example.com"), make_subscriber(email="b@example.com")
    bounces = tmp_path / "bounces.txt"
    bounces.write_text(
        "# from the mail server\nA@Example.com,550 mailbox unknown\n\nx@example.com\n"
    )
    out = run(str(bounces))
    assert "1 marked bounced, 0 already bounced, 1 not subscribers." in out
    assert statuses() == {"a@example.com": "bounced", "b@example.com": "confirmed"}


def test_addresses_from_stdin():
    make_subscriber(email="a@example.com")
    out = run("-", stdin="a@example.com\n")
    assert "1 marked bounced" in out
    assert statuses() == {"a@example.com": "bounced"}


def test_dry_run_changes_nothing(tmp_path):
    make_subscriber(email="a@example.com")
    bounces = tmp_path / "bounces.txt"
    bounces.write_text("a@example.com\n")
    assert "Dry run, nothing changed: 1 marked bounced" in run(str(bounces), "--dry-run")
    assert statuses() == {"a@example.com": "confirmed"}


def test_missing_file_is_an_error():
    with pytest.raises(CommandError, match="No such file"):
        run("/nonexistent/bounces.txt")
