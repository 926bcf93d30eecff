import io

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage

from images.models import Image
from images.seeds import SEED_PICTURES, draw, seed_images

pytestmark = pytest.mark.django_db


def test_seed_pictures_are_drawn_the_same_every_time_and_are_not_flat():
    first = draw(SEED_PICTURES[0], 320, 200)
    assert first.tobytes() == draw(SEED_PICTURES[0], 320, 200).tobytes()
    assert len(first.getcolors(maxcolors=100_000) or []) > 100


def test_seed_pictures_are_added_once_with_alt_text_and_credit():
    assert seed_images() == {"created": len(SEED_PICTURES), "skipped": 0}
    assert seed_images() == {"created": 0, "skipped": len(SEED_PICTURES)}
    for image in Image.objects.all():
        assert image.alt_text.startswith("Abstract illustration:")
        assert image.credit == "Newsroom (generated illustration)"
        assert (image.width, image.height, image.format) == (1600, 1000, "JPEG")


def test_dry_run_adds_nothing(capsys):
    call_command("make_seed_images", "--dry-run")
    assert "Would add 4 seed pictures" in capsys.readouterr().out
    assert not Image.objects.exists()


def test_command_can_write_the_files(tmp_path, capsys):
    call_command("make_seed_images", "--out", tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{s.slug}.jpg" for s in SEED_PICTURES)
    with PillowImage.open(io.BytesIO((tmp_path / written[0]).read_bytes())) as picture:
        assert picture.size == (1600, 1000)


def test_make_renditions_fills_what_is_missing_and_says_so(capsys):
    seed_images()
    call_command("make_renditions", "--dry-run")
    assert "Would make 204 renditions for 4 images." in capsys.readouterr().out
    call_command("make_renditions")
    assert "Made 204 renditions" in capsys.readouterr().out
    call_command("make_renditions")
    assert "Made 0 renditions for 0 images." in capsys.readouterr().out
