from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "concord.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_save

        from concord.organisations.models import Organisation

        def embed_after_save(sender, instance: Organisation, raw=False, **kwargs) -> None:
            # Matching compares organisation descriptions; embed them once the save commits.
            if raw or not instance.description:
                return
            from concord.partnerships.tasks import embed_organisation

            transaction.on_commit(lambda: embed_organisation.enqueue(instance.pk))

        post_save.connect(
            embed_after_save,
            sender=Organisation,
            weak=False,  # a local function: only the signal holds it
            dispatch_uid="partnerships-embed-organisation",
        )
