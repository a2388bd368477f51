"""Shaded table cells: one colour scale, and text that meets WCAG AA contrast on every shade."""

import pytest

from leaguetable.charts.shading import SCALE, colour_at, contrast, shaded


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("#000000", "#ffffff", 21), ("#ffffff", "#ffffff", 1), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_is_wcags_ratio(first, second, ratio):
    assert contrast(first, second) == pytest.approx(ratio, abs=0.01)


def test_the_scale_runs_from_its_first_colour_to_its_last_through_its_middle():
    assert [colour_at(0), colour_at(0.5), colour_at(1)] == [colour for _, colour in SCALE]
    assert colour_at(0.25) == "#b1d4ea"  # halfway from #f7fbff to #6baed6, each channel


def test_every_shade_from_0_to_100_percent_has_text_of_at_least_4_5_to_1():
    for tenth in range(1001):
        cell = shaded(tenth / 10, 100, "x")
        assert contrast(cell.background, cell.ink) >= 4.5, cell


def test_pale_cells_have_black_text_and_dark_cells_white():
    assert shaded(0, 100, "0%").ink == "#000000"
    assert shaded(100, 100, "100%").ink == "#ffffff"
    assert shaded(100, 100, "100%").style == "background-color: #08306b; color: #ffffff"


def test_a_cell_without_a_value_is_left_unshaded():
    cell = shaded(None, 100, "–")
    assert (cell.text, cell.background, cell.style) == ("–", None, "")
