"""The tile-grid world map: every UN member and observer State drawn, safe to inline."""

import gzip
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from concord.countries import maps
from concord.countries.maps import NO_DATA, RAMP, class_breaks, tile_positions, world_map_svg
from concord.countries.models import Country

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def states() -> set[str]:
    return set(Country.objects.filter(un_member=True).values_list("code", flat=True)) | set(
        Country.objects.filter(un_observer=True).values_list("code", flat=True)
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def shapes(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}path") if el.find(f"{SVG}title") is not None]


def tooltip(root: ET.Element, name: str) -> ET.Element:
    found = [el for el in shapes(root) if el.find(f"{SVG}title").text.startswith(f"{name}:")]
    assert len(found) == 1, name
    return found[0]


def test_every_member_and_observer_state_has_its_own_tile():
    tiles = tile_positions()
    assert len(states()) == 195
    assert set(tiles) == states()
    assert len(set(tiles.values())) == 195


def test_svg_is_namespaced_xml_with_one_titled_shape_per_state():
    values = {code: i for i, code in enumerate(sorted(states()))}
    root = parse(world_map_svg(values, title="Signatures", legend_title="Organisations"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text == "Signatures"
    assert root.find(f"{SVG}desc").text == "194 countries with signatures out of 195 shown."
    assert len(shapes(root)) == 195
    assert tooltip(root, "France").find(f"{SVG}title").text == (
        f"France: {sorted(states()).index('FR')}"
    )
    texts = "".join(root.itertext())
    assert "Organisations" in texts


def test_map_with_every_state_valued_fits_the_size_budget():
    values = dict.fromkeys(states(), 123_456)
    values.update({code: i * 37 for i, code in enumerate(sorted(states()))})
    svg = world_map_svg(values, title="Signatures", legend_title="Organisations")
    assert len(gzip.compress(svg.encode())) <= 60 * 1024


def test_zero_is_grey_and_the_maximum_is_the_darkest_class():
    values = {"FR": 0, "SN": 3, "BR": 40, "IN": 900, "FJ": 2, "KE": 15, "TV": 1}
    root = parse(world_map_svg(values, title="Signatures"))
    assert tooltip(root, "France").get("fill") == NO_DATA
    assert tooltip(root, "Germany").get("fill") == NO_DATA  # absent counts as zero
    assert tooltip(root, "India").get("fill") == RAMP[-1]
    assert tooltip(root, "Tuvalu").get("fill") == RAMP[0]
    assert tooltip(root, "India").find(f"{SVG}title").text == "India: 900"


def test_a_single_value_uses_the_darkest_class():
    root = parse(world_map_svg({"TV": 1}, title="Signatures"))
    assert tooltip(root, "Tuvalu").get("fill") == RAMP[-1]
    assert root.find(f"{SVG}desc").text == "1 country with signatures out of 195 shown."


def test_class_breaks_are_readable_non_empty_and_cover_the_values():
    values = [1, 1, 2, 3, 4, 7, 12, 18, 33, 70, 140, 260, 1_234]
    ranges = class_breaks(values)
    assert 1 < len(ranges) <= len(RAMP)
    assert ranges[0][0] == 1 and ranges[-1][1] == 1_234
    for (_low, high), (next_low, _high) in itertools.pairwise(ranges):
        assert next_low == high + 1
    for low, high in ranges:
        assert any(low <= v <= high for v in values)
    assert class_breaks([0, 0]) == []
    assert class_breaks([5, 5, 5]) == [(5, 5)]


def test_numbers_follow_the_language():
    before = translation.get_language()
    values = {"FR": 12_345}
    english = parse(world_map_svg(values, title="Signatures", language="en"))
    assert tooltip(english, "France").find(f"{SVG}title").text == "France: 12,345"
    french = parse(world_map_svg(values, title="Signatures", language="fr"))
    assert (
        tooltip(french, "France")
        .find(f"{SVG}title")
        .text.replace("\u202f", " ")
        .replace("\xa0", " ")
        == "France: 12 345"
    )
    assert translation.get_language() == before


def test_output_is_inline_safe_under_a_strict_csp():
    values = dict.fromkeys(states(), 5)
    svg = world_map_svg(values, title="Signatures", legend_title="Organisations")
    without_namespace = svg.replace('xmlns="http://www.w3.org/2000/svg"', "", 1)
    assert "http" not in without_namespace
    assert "style" not in svg.lower()
    assert "<script" not in svg.lower()
    assert "href" not in svg
    assert not re.search(r"\son\w+=", svg)  # no event handler attributes


def test_names_and_titles_are_escaped(monkeypatch):
    root = parse(world_map_svg({"CI": 4}, title="Ivory & Coast <map>"))
    assert root.find(f"{SVG}title").text == "Ivory & Coast <map>"
    assert tooltip(root, "C\u00f4te d\u2019Ivoire").find(f"{SVG}title").text == (
        "C\u00f4te d\u2019Ivoire: 4"
    )

    monkeypatch.setattr(maps, "localised_name", lambda code, fallback="": f"<b>&{code}")
    svg = world_map_svg({"FR": 1}, title="T", legend_title="Legend <i>")
    assert "<b>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;&amp;FR: 1" in svg
    assert len(shapes(parse(svg))) == 195


def test_labels_replace_the_localised_names():
    root = parse(world_map_svg({"TR": 2}, title="T", labels={"TR": "Türkiye"}))
    assert tooltip(root, "Türkiye").find(f"{SVG}title").text == "Türkiye: 2"


def test_output_is_deterministic():
    values = {"SN": 3, "BD": 8, "NO": 1}
    first = world_map_svg(values, title="Signatures", legend_title="Organisations")
    second = world_map_svg(
        dict(reversed(values.items())), title="Signatures", legend_title="Organisations"
    )
    assert first == second
