"""{% picture %} and {% figure %}: responsive markup, no layout shift, one query for N images."""

import re

import pytest
from django.template import Context, Template

from images.models import Image, Rendition
from images.services import image_save, renditions_make
from tests.images.factories import make_image, upload

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load images %}" + source).render(Context(context))


def test_picture_has_avif_and_webp_sources_and_a_sized_lazy_jpeg():
    image = make_image(upload_file=upload(width=1400, height=1000), alt_text="Boats & nets")
    html = render('{% picture image ratio="16:9" sizes="(min-width: 60rem) 60rem, 100vw" %}',
                  image=image)  # fmt: skip
    sources = re.findall(r'<source type="([^"]+)" srcset="([^"]+)" sizes="([^"]+)">', html)
    assert [s[0] for s in sources] == ["image/avif", "image/webp"]
    assert all(s[2] == "(min-width: 60rem) 60rem, 100vw" for s in sources)
    assert re.findall(r" (\d+)w", sources[0][1]) == ["320", "640", "960", "1280"]
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="1280" height="720"' in img
    assert 'alt="Boats &amp; nets"' in img
    assert 'loading="lazy" decoding="async"' in img
    assert "fetchpriority" not in img
    assert re.search(r'src="/media/images/renditions/\d+/[\w-]+-16x9-960\.\w{16}\.jpg"', img)


def test_lead_picture_loads_at_once_with_high_priority():
    html = render("{% picture image lead=True %}", image=make_image())
    assert 'fetchpriority="high"' in html
    assert "loading=" not in html and "decoding=" not in html


def test_decorative_picture_has_an_empty_alt():
    html = render("{% picture image %}", image=make_image(alt_text="", decorative=True))
    assert ' alt=""' in html


def test_figure_shows_caption_and_credit_and_may_replace_the_caption():
    image = make_image(caption="Boats at dawn", credit="Ana Silva / Newsroom")
    html = render("{% figure image %}", image=image)
    assert html.startswith('<figure class="figure"><picture')
    assert html.endswith(
        '<figcaption>Boats at dawn <small class="figure-credit">Ana Silva / Newsroom</small>'
        "</figcaption></figure>"
    )
    assert "For this story" in render('{% figure image caption="For this story" %}', image=image)


def test_figure_without_caption_or_credit_has_no_empty_figcaption():
    assert "figcaption" not in render("{% figure image %}", image=make_image())


def test_no_image_shows_nothing():
    assert render("{% picture None %}{% figure None %}") == ""


def test_missing_renditions_are_made_on_first_show_and_never_again(django_assert_num_queries):
    image = make_image(upload_file=upload(width=700, height=500))
    assert not Rendition.objects.exists()
    render('{% picture image ratio="1:1" %}', image=image)
    assert set(Rendition.objects.values_list("ratio", flat=True)) == {"1:1"}
    image = Image.objects.with_renditions().get()
    with django_assert_num_queries(0):
        render('{% picture image ratio="1:1" %}', image=image)


def test_any_number_of_pictures_costs_one_query_for_their_renditions(
    django_assert_num_queries,
):
    for _ in range(4):
        renditions_make(image=make_image(), ratios=["original"])
    with django_assert_num_queries(2):  # the images, and all their renditions
        html = render(
            "{% for image in images %}{% picture image %}{% endfor %}",
            images=Image.objects.with_renditions(),
        )
    assert html.count("<picture") == 4


def test_unknown_ratio_is_an_error_naming_the_choices():
    with pytest.raises(ValueError, match="original, 16:9"):
        render('{% picture image ratio="2:1" %}', image=make_image())


def test_picture_shown_again_after_its_text_or_file_changed_shows_the_change():
    image = make_image(upload_file=upload(width=800, height=600), alt_text="Boats")
    first = render("{% picture image %}", image=image)
    assert render("{% picture image %}", image=image) == first  # kept, not rendered again
    image.alt_text = "Nets"
    image.save()
    assert 'alt="Nets"' in render("{% picture image %}", image=Image.objects.get(pk=image.pk))
    image_save(image=image, upload=upload(width=900, height=600))
    changed = render("{% picture image %}", image=Image.objects.get(pk=image.pk))
    assert changed != first and 'alt="Nets"' in changed


def test_picture_shown_again_is_not_rendered_again_nor_are_its_addresses_worked_out(
    monkeypatch,
):
    image = Image.objects.with_renditions().get(pk=make_image().pk)
    first = render("{% picture image %}", image=image)
    looked_up = []
    monkeypatch.setattr(Rendition, "url", property(lambda self: looked_up.append(1) or "/x"))
    again = [render("{% picture image %}", image=image) for _ in range(3)]
    assert again == [first] * 3
    assert looked_up == []
