from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "concord.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        # Models can be imported only once the app registry is ready, that is here.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from concord.organisations.models import Organisation
        from concord.partnerships import suggestions, vectors
        from concord.partnerships.models import (
            OrganisationLanguages,
            PartnershipRequest,
            TextVector,
        )

        def embed_after_save(sender, instance: Organisation, raw=False, **kwargs) -> None:
            # Matching compares organisation descriptions; embed them once the save commits.
            if raw or not instance.description:
                return
            vectors.embed_after_commit(TextVector.Subject.ORGANISATION, instance.pk)

        post_save.connect(
            embed_after_save,
            sender=Organisation,
            weak=False,  # a local function: only the signal holds it
            dispatch_uid="partnerships-embed-organisation",
        )
        # Kept suggestions are stale once a candidate changes (partnerships/suggestions.py).
        for model in (Organisation, PartnershipRequest, OrganisationLanguages, TextVector):
            for signal in (post_save, post_delete):
                signal.connect(
                    suggestions.candidates_changed,
                    sender=model,
                    dispatch_uid=f"partnerships-matches-{model.__name__}-{signal is post_save}",
                )
        links = [
            *(getattr(PartnershipRequest, name).through for name in ("themes", "sdgs")),
            *(getattr(PartnershipRequest, name).through for name in ("countries", "regions")),
            Organisation.themes.through,
            Organisation.sdgs.through,
        ]
        for through in links:
            m2m_changed.connect(
                suggestions.candidates_changed,
                sender=through,
                dispatch_uid=f"partnerships-matches-{through.__name__}",
            )
