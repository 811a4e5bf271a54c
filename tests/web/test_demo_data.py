"""The demo a funder is shown must be believable: every member works where its subject exists
(no mangroves in a landlocked country), every case study, adaptation, project and request is
told by a member of the place it is about, working on that subject, and the demo speaks the
nine languages of the interface."""

import re

import pytest
from django.conf import settings
from django.db import transaction

from concord.countries.models import CountryGroup
from concord.declarations import counting
from concord.declarations.demo import BROUGHT_BY
from concord.declarations.log import queries as log_queries
from concord.declarations.log import verifier
from concord.declarations.models import Declaration, Signature
from concord.declarations.queries import declaration_stats, signatures_by_channel
from concord.knowledge.models import Adaptation, Practice, Translation
from concord.organisations import demo as organisations_demo
from concord.organisations.models import Organisation, Representative
from concord.partnerships.models import PartnershipRequest
from concord.results.models import Project
from concord.web.demo import build_demo
from tests.conftest import ensure_reference_data

# Words for the sea's ecosystems in the languages the demo writes in.
SEA_WORDS = re.compile(
    r"mangrov|mangue|manglar|mangai|mangal|palétuv|récif|arrecife|recife|coral|corail|reef|"
    r"mikoko|matumbawe|мангр|коралл|红树|珊瑚|مانغروف|المرجان|الشعاب",
    re.IGNORECASE,
)
GENERIC = {"adaptation", "mitigation"}
# Practices store Chinese as "zh" (the interface says "zh-hans").
TEXT_LANGUAGES = {code.split("-")[0] for code, _name in settings.LANGUAGES}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One demo for the module (it takes a while), rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()  # an earlier transactional test may have flushed it
        build_demo(size=130)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def landlocked(db):
    return set(CountryGroup.objects.get(slug="lldc").members.values_list("code", flat=True))


def themes_of(item) -> set[str]:
    return {theme.slug for theme in item.themes.all()}


def cities_of(code: str) -> set[str]:
    places = organisations_demo.places()[code]
    return {p.city for p in places} | {p.other_script for p in places if p.other_script}


def test_no_member_in_a_landlocked_country_works_on_the_sea(demo, landlocked):
    inland = Organisation.objects.filter(country__in=landlocked).prefetch_related("themes")
    assert inland.count() >= 10  # the demo has landlocked members, so the check means something
    offenders = [
        organisation.name
        for organisation in inland
        if "oceans-coasts" in themes_of(organisation)
        or SEA_WORDS.search(organisation.name + " " + organisation.description)
    ]
    assert offenders == []
    assert not Practice.objects.filter(countries__in=landlocked, themes="oceans-coasts").exists()
    assert not Project.objects.filter(
        organisation__country__in=landlocked, themes="oceans-coasts"
    ).exists()
    assert not Adaptation.objects.filter(
        country__in=landlocked, practice__themes="oceans-coasts"
    ).exists()


def test_every_member_is_in_a_city_of_its_country(demo):
    misplaced = [
        (organisation.name, organisation.country_id, organisation.city)
        for organisation in Organisation.objects.all()
        if organisation.city not in cities_of(organisation.country_id)
    ]
    assert misplaced == []


def test_case_studies_are_told_by_a_member_of_their_country_on_their_subject(demo):
    practices = Practice.objects.select_related("organisation").prefetch_related(
        "countries", "themes", "organisation__themes"
    )
    assert practices.count() >= 40
    for practice in practices:
        owner = practice.organisation
        assert {c.code for c in practice.countries.all()} == {owner.country_id}, practice.title
        assert themes_of(practice) - GENERIC <= themes_of(owner), practice.title


def test_adaptations_are_by_members_that_work_on_the_subject_in_their_own_city(demo):
    adaptations = Adaptation.objects.select_related("practice", "organisation")
    assert adaptations.count() >= 15
    for adaptation in adaptations:
        adapter = adaptation.organisation
        assert adaptation.country_id == adapter.country_id
        assert adaptation.place == adapter.city
        assert adaptation.place in cities_of(adaptation.country_id)
        subject = themes_of(adaptation.practice) - GENERIC
        assert subject and subject <= themes_of(adapter), adaptation.practice.title
        assert adapter.country_id not in {c.code for c in adaptation.practice.countries.all()}


def test_projects_and_requests_are_about_what_their_member_works_on(demo):
    projects = Project.objects.select_related("organisation")
    assert projects.count() >= 10
    for project in projects:
        assert themes_of(project) - GENERIC <= themes_of(project.organisation), project.title
        assert project.organisation.country_id in {c.country_id for c in project.countries.all()}
    requests = PartnershipRequest.objects.select_related("organisation")
    assert requests.count() >= 8
    for posted in requests:
        assert themes_of(posted) & themes_of(posted.organisation), posted.title


def test_the_demo_speaks_the_nine_languages(demo):
    published = Practice.objects.filter(status=Practice.Status.PUBLISHED)
    assert set(published.values_list("language", flat=True)) == TEXT_LANGUAGES
    assert Translation.objects.filter(practice__in=published).exists()
    baku = Declaration.objects.get(slug="baku-call")
    assert {text.language for text in baku.texts.all()} == TEXT_LANGUAGES
    people = set(Representative.objects.values_list("user__language", flat=True))
    assert people == {code for code, _name in settings.LANGUAGES}


def test_some_signatures_were_brought_by_members_of_the_places_they_came_from(demo):
    for declaration in Declaration.objects.exclude(status="draft"):
        brought = declaration_stats(declaration, fresh=True).brought_by
        assert 2 <= len(brought) <= len(BROUGHT_BY), declaration.slug
        countries = {Organisation.objects.get(pk=row.organisation).country_id for row in brought}
        assert countries <= set(BROUGHT_BY)
        assert counting.tallied_attributions(declaration) == counting.true_attributions(declaration)


def test_a_declaration_signed_at_forums_shows_kiosk_and_sent_later_signatures(demo):
    counts = {
        row.channel: row.confirmed
        for row in signatures_by_channel(Declaration.objects.get(slug="water-and-cities"))
    }
    assert all(counts[channel] > 0 for channel in ("online", "kiosk", "synced", "paper")), counts
    later = Signature.objects.filter(source="synced")
    assert later.exists() and not later.filter(signed_on_device_at__isnull=True).exists()


def test_the_demo_logs_verify_with_heads_along_the_way(demo):
    """`make run` shows a log that grew with its signatures: several signed heads, the last
    of the closed declaration naming its final list, and a copy any reader's verifier passes."""
    for declaration in Declaration.objects.exclude(status=Declaration.Status.DRAFT):
        copy = log_queries.copy(declaration, log_queries.published_counts(declaration))
        assert verifier.verify_copy(copy) == [], declaration.slug
        assert len(copy["heads"]) >= 2, declaration.slug
        if declaration.status != Declaration.Status.OPEN:
            assert copy["heads"][-1]["final_list_sha256"] == declaration.final_export_sha256


def test_each_working_group_opens_with_notes_as_a_clean_pdf(demo):
    from concord.core.files import is_clean_pdf
    from concord.groups.models import Attachment, Group

    files = list(Attachment.objects.select_related("post__thread__group"))
    assert {f.post.thread.group_id for f in files} == set(
        Group.objects.values_list("pk", flat=True)
    )
    assert all(f.content_type == "application/pdf" and is_clean_pdf(f.file.read()) for f in files)
