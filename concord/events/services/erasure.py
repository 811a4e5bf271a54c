"""Forgetting a person who deletes their account: their registrations.

An event that has ended keeps an anonymous row (country, status, check-in), so its
attendance figures and the organisers' reports stay true; for an event still to come the
registration is deleted and its seat goes to the waiting list at once.
"""

from django.db import transaction
from django.utils import timezone

from concord.accounts.models import User
from concord.core.audit import log_event
from concord.events.models import Event, Registration
from concord.events.services.registration import promote_waiting


def forget_person(user: User) -> None:
    now = timezone.now()
    with transaction.atomic():
        for event_id in sorted(
            Registration.objects.filter(user=user).values_list("event_id", flat=True)
        ):
            event = Event.objects.select_for_update().get(pk=event_id)
            registration = Registration.objects.select_for_update().get(event=event, user=user)
            if event.ends_at <= now:
                registration.user = None
                registration.name = registration.email = ""
                registration.organisation = None
                registration.answers = {}
                registration.listed = False
                registration.badge_nonce = ""
                registration.save()
                log_event("event.registration_anonymised", event, registration=registration.pk)
            else:
                log_event("event.registration_erased", event, registration=registration.pk)
                registration.delete()
                promote_waiting(event)
