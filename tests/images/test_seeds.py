import io

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage

from images.models import Image
from images.seeds import LOGO_TITLE, SEED_PICTURES, draw, seed_images, seed_picture

pytestmark = pytest.mark.django_db


def test_seed_pictures_are_drawn_the_same_every_time_and_are_not_flat():
    first = draw(SEED_PICTURES[0], 320, 200)
    assert first.tobytes() == draw(SEED_PICTURES[0], 320, 200).tobytes()
    assert len(first.getcolors(maxcolors=100_000) or []) > 100


def test_seed_pictures_and_logo_are_added_once_with_alt_text_and_credit():
    assert seed_images() == {"created": len(SEED_PICTURES) + 1, "skipped": 0}
    assert seed_images() == {"created": 0, "skipped": len(SEED_PICTURES) + 1}
    for image in Image.objects.exclude(title=LOGO_TITLE):
        assert image.alt_text.startswith("Abstract illustration:")
        assert image.credit == "Newsroom (generated illustration)"
        assert (image.width, image.height, image.format) == (2400, 1600, "JPEG")
    logo = Image.objects.get(title=LOGO_TITLE)
    assert logo.alt_text.startswith("Logo:")
    assert (logo.width, logo.height, logo.format) == (600, 600, "PNG")
    assert seed_picture("logo") == logo
    assert seed_picture("teal-grid").title == "Illustration: teal grid"


def test_every_crop_of_a_seed_picture_is_wide_enough_for_search_engines():
    seed_images()
    image = seed_picture("amber-dusk")
    for ratio in ("16:9", "4:3", "1:1"):
        assert max(spec.width for spec in image.rendition_specs([ratio])) >= 1200, ratio


def test_dry_run_adds_nothing(capsys):
    call_command("make_seed_images", "--dry-run")
    assert "Would add 5 seed pictures" in capsys.readouterr().out
    assert not Image.objects.exists()


def test_command_can_write_the_files(tmp_path, capsys):
    call_command("make_seed_images", "--out", tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{s.slug}.jpg" for s in SEED_PICTURES)
    with PillowImage.open(io.BytesIO((tmp_path / written[0]).read_bytes())) as picture:
        assert picture.size == (2400, 1600)


def test_make_renditions_fills_what_is_missing_and_says_so(capsys):
    seed_images()
    call_command("make_renditions", "--dry-run")
    assert "Would make 288 renditions for 5 images." in capsys.readouterr().out
    call_command("make_renditions")
    assert "Made 288 renditions" in capsys.readouterr().out
    call_command("make_renditions")
    assert "Made 0 renditions for 0 images." in capsys.readouterr().out
