from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "concord.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        # Models can be imported only once the app registry is ready, that is here.
        from django.db.models.signals import post_save

        from concord.organisations.models import Organisation
        from concord.partnerships import vectors
        from concord.partnerships.models import TextVector

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
