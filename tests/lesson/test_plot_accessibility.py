"""The figures for readers who do not see them as drawn: the palette survives simulated colour-vision
deficiencies, no legend tells two lines apart by colour alone, and a figure shown as HTML keeps its
description."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

import xorlib
from xorlib.plots import (
    CLASS_COLOURS,
    CLASS_STYLE,
    PALETTE,
    SERIES,
    display_figure,
    figure_html,
    plot_bce,
    plot_loss_curve,
)

colorspacious = pytest.importorskip("colorspacious")

#: Full dichromacy (severity 100) of each kind, as Machado, Oliveira and Fernandes (2009) model it.
DEFICIENCIES = ("deuteranomaly", "protanomaly", "tritanomaly")
#: CAM02-UCS colour differences: the two classes and the regions of a multi-class plot, which colour
#: alone may tell apart at a glance, stay further apart than the lines, which also differ in marker
#: and line style.
APART = 15
LINES_APART = 11


def seen(colour: str, deficiency: str | None) -> np.ndarray:
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(colour))
    if deficiency is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(colorspacious.cspace_convert(rgb, space, "sRGB1"), 0, 1)


def closest_pair(colours: list[str]) -> tuple[float, str, str, str]:
    """The smallest colour difference over every pair, in normal vision and under each deficiency."""
    return min((colorspacious.deltaE(seen(a, kind), seen(b, kind), input_space="sRGB1"), a, b, str(kind))
               for a, b in itertools.combinations(colours, 2) for kind in (None, *DEFICIENCIES))


def test_the_class_colours_and_the_first_five_series_stay_apart_under_colour_blindness():
    classes = [style["color"] for style in CLASS_STYLE.values()]
    distance, a, b, kind = closest_pair(classes)
    assert distance > 40, (a, b, kind, distance)
    distance, a, b, kind = closest_pair([style["color"] for style in SERIES[:5]])
    assert distance >= LINES_APART, f"{a} and {b} only {distance:.1f} apart under {kind}"


def test_every_line_colour_stands_out_from_the_white_background():
    """WCAG 2.1's 1.4.11: the parts of a graph needed to read it have at least 3:1 contrast."""
    from matplotlib.colors import to_rgb

    def luminance(colour):
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    contrast = {style["color"]: 1.05 / (luminance(style["color"]) + 0.05) for style in SERIES}
    assert min(contrast.values()) >= 3, contrast
    assert 1.05 / (luminance(PALETTE["sky blue"]) + 0.05) < 3, "the check tells a pale colour"


def test_the_first_three_colours_of_a_multi_class_plot_stay_apart_under_colour_blindness():
    distance, a, b, kind = closest_pair(list(CLASS_COLOURS[:3]))
    assert distance >= APART, f"{a} and {b} only {distance:.1f} apart under {kind}"


def test_the_check_can_tell_colours_that_a_colour_blind_reader_confuses():
    """matplotlib's default green and red, far apart in normal vision, nearly merge under deuteranopia."""
    assert colorspacious.deltaE(seen("tab:green", None), seen("tab:red", None), input_space="sRGB1") > 50
    distance, *_ = closest_pair(["tab:green", "tab:red"])
    assert distance < 6


def test_no_two_series_share_a_marker_and_the_first_four_differ_in_everything():
    assert len({style["marker"] for style in SERIES}) == len(SERIES) == 8
    for key in ("color", "linestyle"):
        assert len({style[key] for style in SERIES[:4]}) == 4, key


def test_loss_curves_on_one_axes_take_the_series_in_turn():
    X, y = xorlib.xor_data()
    runs = [xorlib.train(xorlib.init_params(0), X, y, lr=lr, epochs=20) for lr in (0.1, 0.9)]
    ax = None
    for run in runs:
        ax = plot_loss_curve(run, ax=ax)
    lines = ax.get_lines()
    assert [(line.get_color(), line.get_linestyle(), line.get_marker()) for line in lines] == [
        (SERIES[0]["color"], "-", "o"), (SERIES[1]["color"], "--", "s")]
    plt.close(ax.figure)


def test_the_two_loss_curves_of_plot_bce_differ_in_line_style():
    ax = plot_bce()
    styles = [line.get_linestyle() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(styles) == len(set(styles)) == 3
    plt.close(ax.figure)


def test_display_figure_refuses_lines_told_apart_by_colour_alone():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], color="tab:green", label="runs that end solved")
    ax.plot([0, 1], [1, 0], color="tab:red", label="runs that fail")
    with pytest.raises(ValueError, match="'runs that end solved' and 'runs that fail' differ only in colour"):
        display_figure(fig, "two lines crossing, one rising from 0 to 1 and one falling from 1 to 0")
    plt.close(fig)


def test_display_figure_accepts_the_same_lines_in_two_series(capsys):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="runs that end solved", **SERIES[0])
    ax.plot([0, 1], [1, 0], label="runs that fail", **SERIES[1])
    ax.plot([0, 1], [0.5, 0.5], color="grey", label="a grey reference line, no marker")
    display_figure(fig, "two lines crossing, one rising from 0 to 1 and one falling from 1 to 0")
    assert not plt.fignum_exists(fig.number), "shown and closed"


def test_figure_html_carries_the_description_in_the_img_tag():
    """For live views in JupyterLab, which ignores the alt text in a PNG output's metadata."""
    fig = plot_bce().figure
    shown = figure_html(fig, 'two loss curves of one example, "y = 1" & "y = 0"')
    assert shown.startswith('<img alt="two loss curves of one example, &quot;y = 1&quot; &amp; &quot;y = 0&quot;" '
                            'src="data:image/png;base64,iVBOR')
    assert not plt.fignum_exists(fig.number)
    with pytest.raises(ValueError, match="alt must describe the figure in words"):
        figure_html(plot_bce().figure, "a plot")
