"""Projects, their results framework and updates, made through the results services."""

from datetime import date

import factory

from concord.results.models import Indicator, Period, Project, Result, Update
from concord.results.services import framework, projects, updates
from tests.factories.organisations import OrganisationFactory, someone_acting_for

# A full project as a page or the API sends it; ProjectFactory's fields override it.
PROJECT = {
    "title": "Mangrove belts for Saloum villages",
    "summary": "Restoring mangroves and warning villages of storms.",
    "status": "2",
    "planned_start": "2025-01-01",
    "planned_end": "2026-12-31",
    "budget": "120000.50",
    "currency": "XOF",
    "organisation_iati_ref": "SN-NINEA-0012345",
    "iati_identifier": "SN-NINEA-0012345-MB01",
    "countries": [{"country": "SN", "percentage": "60"}, {"country": "GM", "percentage": "40"}],
    "partners": [{"name": "Green Fund", "role": "1", "iati_ref": "XM-DAC-47001"}],
    "sdgs": [13, 15],
    "themes": ["adaptation", "oceans-coasts"],
    "sdg_targets": ["13.1", "15.3"],
    "adaptation": "2",
    "mitigation": "1",
}


class ProjectFactory(factory.django.DjangoModelFactory):
    """The PROJECT above, created through the service by `user` (else one of the
    organisation's people) for `organisation`; any field of PROJECT may be given."""

    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    user = None

    @classmethod
    def _create(cls, model_class, organisation, user=None, **overrides):
        user = user or someone_acting_for(organisation)
        return projects.create_project(user, organisation, {**PROJECT, **overrides})


class ResultFactory(factory.django.DjangoModelFactory):
    """An outcome of the project, added through the service by `user`."""

    class Meta:
        model = Result

    project = factory.SubFactory(ProjectFactory)
    user = None
    kind = "2"
    title = "Coast protected"

    @classmethod
    def _create(cls, model_class, project, user=None, **data):
        user = user or someone_acting_for(project.organisation)
        return framework.add_result(user, project, data)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator of hectares restored (a shared indicator), baseline 0 in 2024, on a new
    result; `with_periods()` adds its yearly periods too."""

    class Meta:
        model = Indicator

    result = factory.SubFactory(ResultFactory)
    user = None
    shared = "hectares-restored"
    cumulative = False
    baseline_year = 2024
    baseline_value = "0"

    @classmethod
    def _create(cls, model_class, result, user=None, **data):
        user = user or someone_acting_for(result.project.organisation)
        return framework.add_indicator(user, result, data)

    @classmethod
    def with_periods(cls, user, project, *, periods: int = 2, **fields):
        """(indicator, its periods): a new result of the project with one indicator and a
        period per year from 2025, each with a target of 100."""
        result = ResultFactory(user=user, project=project)
        indicator = cls(user=user, result=result, **fields)
        made = [
            PeriodFactory(
                user=user,
                indicator=indicator,
                start=date(2025 + n, 1, 1),
                end=date(2025 + n, 12, 31),
            )
            for n in range(periods)
        ]
        return indicator, made


class PeriodFactory(factory.django.DjangoModelFactory):
    """The year 2025 with a target of 100, added through the service by `user`."""

    class Meta:
        model = Period

    indicator = factory.SubFactory(IndicatorFactory)
    user = None
    start = date(2025, 1, 1)
    end = date(2025, 12, 31)
    target = "100"

    @classmethod
    def _create(cls, model_class, indicator, user=None, **data):
        user = user or someone_acting_for(indicator.result.project.organisation)
        return framework.add_period(user, indicator, data)


class UpdateFactory(factory.django.DjangoModelFactory):
    """A draft update of a period's value, saved through the service by `user`;
    `approved_by=reviewer` submits it and has that reviewer approve it."""

    class Meta:
        model = Update

    period = factory.SubFactory(PeriodFactory)
    user = None
    value = "10"
    approved_by = None

    @classmethod
    def _create(cls, model_class, period, user=None, approved_by=None, **data):
        user = user or someone_acting_for(period.indicator.result.project.organisation)
        if approved_by is None:
            return updates.save_update(user, period, data)
        update = updates.save_update(user, period, {"submit": True, **data})
        return updates.approve_update(approved_by, update)
