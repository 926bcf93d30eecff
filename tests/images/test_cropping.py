"""The crop and width rules, as pure functions: no files, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from images.cropping import RATIOS, crop_box, get_ratio, scaled_height, widths_for


def test_original_ratio_keeps_the_whole_picture():
    assert crop_box(6000, 4000, "original", 0.1, 0.9) == (0, 0, 6000, 4000)


def test_wide_crop_of_a_3_by_2_photo_keeps_full_width_centred_on_the_focal_point():
    # 6000 x 4000 at 16:9 is 6000 x 3375; a focal point at the middle leaves 312.5 above.
    assert crop_box(6000, 4000, "16:9", 0.5, 0.5) == (0, 312, 6000, 3687)


def test_square_crop_follows_a_focal_point_on_the_right():
    # A 4000-pixel square centred at x = 4500 spans 2500..6500, moved back to end at 6000.
    assert crop_box(6000, 4000, "1:1", 0.75, 0.5) == (2000, 0, 6000, 4000)
    assert crop_box(6000, 4000, "1:1", 0.6, 0.5) == (1600, 0, 5600, 4000)


def test_crop_stops_at_the_edge_when_the_focal_point_is_near_it():
    assert crop_box(6000, 4000, "1:1", 0.99, 0.5) == (2000, 0, 6000, 4000)
    assert crop_box(6000, 4000, "1:1", 0.0, 0.5) == (0, 0, 4000, 4000)


def test_portrait_picture_is_cropped_in_height_for_a_wide_ratio():
    assert crop_box(3000, 4000, "16:9", 0.5, 0.1) == (0, 0, 3000, 1688)


def test_picture_already_of_the_ratio_is_not_cropped():
    assert crop_box(1600, 900, "16:9", 0.2, 0.2) == (0, 0, 1600, 900)


def test_ratio_may_be_written_with_x_as_in_file_names():
    assert get_ratio("16x9") is RATIOS["16:9"]
    assert RATIOS["16:9"].slug == "16x9"


@pytest.mark.parametrize("bad", ["2:1", "", "16/9", None])
def test_unknown_ratio_is_refused_with_the_list_of_known_ones(bad):
    with pytest.raises(ValueError, match="original, 16:9, 4:3, 1:1"):
        get_ratio(bad)


def test_focal_point_outside_the_picture_is_refused():
    with pytest.raises(ValueError, match="within the picture"):
        crop_box(100, 100, "1:1", 1.5, 0.5)


def test_widths_never_upscale_the_source():
    assert widths_for(6000) == [320, 640, 960, 1280, 1600, 2000]
    assert widths_for(1000) == [320, 640, 960]
    assert widths_for(1280) == [320, 640, 960, 1280]


def test_picture_narrower_than_every_width_gets_its_own_width():
    assert widths_for(200) == [200]


def test_scaled_height_keeps_the_crop_shape():
    assert scaled_height(6000, 3375, 640) == 360
    assert scaled_height(3000, 1, 320) == 1


@given(
    width=st.integers(1, 10_000),
    height=st.integers(1, 10_000),
    ratio=st.sampled_from(list(RATIOS)),
    x=st.floats(0, 1),
    y=st.floats(0, 1),
)
def test_every_crop_lies_inside_the_picture_and_has_the_ratio(width, height, ratio, x, y):
    left, top, right, bottom = crop_box(width, height, ratio, x, y)
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    value = RATIOS[ratio].value
    if value is not None:
        # Rounding to whole pixels may cost at most one pixel of the ratio.
        assert abs((right - left) - (bottom - top) * value) <= max(1, value)
        assert right - left == width or bottom - top == height
