"""A fresh site's seed and demo articles lead with the generated pictures (make run)."""

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article, Publisher
from images.models import Image
from images.seeds import SEED_PICTURES, seed_picture
from newsroom.seed_pictures import SEED_LEAD_IMAGES, illustrate_seeds

pytestmark = pytest.mark.django_db

SEEDS = settings.BASE_DIR / "seeds"


@pytest.fixture
def seeded():
    """The seeds imported as `make run` imports them."""
    call_command("import_article", "--publish", "--section", "World", SEEDS / "demo", SEEDS,
                 verbosity=0)  # fmt: skip
    assert Article.objects.count() == len(SEED_LEAD_IMAGES)


def test_every_seed_file_has_a_picture_of_its_own():
    names = {path.name for path in [*SEEDS.glob("*.txt"), *(SEEDS / "demo").glob("*.txt")]}
    assert set(SEED_LEAD_IMAGES) == {f"text:{name}" for name in names}
    assert sorted(SEED_LEAD_IMAGES.values()) == sorted(seed.slug for seed in SEED_PICTURES)


def test_seed_and_demo_articles_lead_with_their_pictures_and_the_logo_is_the_publishers(
    seeded, capsys
):
    call_command("illustrate_seeds")
    assert "Added 5 pictures; 4 articles given a lead image; publisher logo set." in (
        capsys.readouterr().out
    )
    for key, slug in SEED_LEAD_IMAGES.items():
        assert Article.objects.get(import_record__key=key).lead_image == seed_picture(slug)
    assert Publisher.objects.get().logo == seed_picture("logo")


def test_once_the_pictures_are_there_an_editors_choices_stay(seeded):
    illustrate_seeds()
    article = Article.objects.get(import_record__key="text:demo_1_reading.txt")
    article.lead_image = None
    article.save()
    again = illustrate_seeds()
    assert (again.pictures, again.articles, again.logo) == (0, 0, 0)
    article.refresh_from_db()
    assert article.lead_image is None


def test_dry_run_changes_nothing(seeded, capsys):
    call_command("illustrate_seeds", "--dry-run")
    assert "Would add 5 pictures; 4 articles given a lead image" in capsys.readouterr().out
    assert not Image.objects.exists()
    assert not Publisher.objects.exists()
    assert not Article.objects.filter(lead_image__isnull=False).exists()
