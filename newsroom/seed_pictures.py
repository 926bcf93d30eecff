"""Pictures for a fresh site (`make run`): the generated seed pictures (images/seeds.py) become
the lead images of the seed and demo articles, and the generated logo the publisher's."""

from dataclasses import dataclass

from django.db import transaction

from articles.models import Article, Publisher
from articles.services import publisher_logo_set
from images.seeds import SEED_PICTURES, seed_images, seed_picture

# Each seed file (its article's import key, ingest.ImportRecord) and the picture it leads with.
SEED_LEAD_IMAGES = {
    "text:000_87246ce5c90d18ca.txt": "amber-dusk",
    "text:demo_1_reading.txt": "teal-grid",
    "text:demo_2_scheduling.txt": "red-arcs",
    "text:demo_3_sharing.txt": "violet-bands",
}


@dataclass
class IllustrationCounts:
    pictures: int = 0  # pictures added to the library
    articles: int = 0  # seed and demo articles given their lead image
    logo: int = 0  # 1 when the logo became the publisher's


@transaction.atomic
def illustrate_seeds(*, dry_run=False):
    """Add the seed pictures to the library and, when they were not there yet, give the seed and
    demo articles without a lead image theirs, and the publisher the logo when it has none.
    Once the pictures are in the library nothing changes: an editor's choices stay as made."""
    counts = IllustrationCounts()
    if all(seed_picture(seed.slug) for seed in SEED_PICTURES) and seed_picture("logo"):
        return counts
    counts.pictures = seed_images(dry_run=dry_run)["created"]
    articles = Article.objects.filter(
        import_record__key__in=SEED_LEAD_IMAGES, lead_image__isnull=True
    ).select_related("import_record")
    for article in articles:
        counts.articles += 1
        if not dry_run:
            article.lead_image = seed_picture(SEED_LEAD_IMAGES[article.import_record.key])
            article.save(update_fields=["lead_image"])
    if not Publisher.objects.exists():
        counts.logo = 1
        if not dry_run:
            publisher_logo_set(logo=seed_picture("logo"))
    return counts
