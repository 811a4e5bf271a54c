"""What the declarations app needs to let only an event's participants sign a declaration
adopted there: the labels of the two eligibility rules, the check, and the form field.

Kept here (not in concord/declarations) so that the rule about events, and its wording,
lives with the events app; the declarations app calls it from its eligibility check. Events
never import the declarations app: a declaration reaches these functions as an argument.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concord.events.queries import event_choices, takes_part

REGISTERED_LABEL = gettext_lazy("Registered participants of the event it was adopted at")
ATTENDED_LABEL = gettext_lazy("Participants checked in at the event it was adopted at")
NEEDS_EVENT = gettext_lazy("Choose the event whose participants may sign.")


def refusal(declaration, *, email: str, user=None, present: bool = False) -> str | None:
    """None when the signer took part; otherwise the message that says why they may not sign."""
    if takes_part(declaration, email=email, user=user, present=present):
        return None
    if present:
        return _("Only people checked in at the event where it was adopted may sign.")
    return _("Only people registered for the event where it was adopted may sign.")


def event_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy("Adopted at the event"),
        required=False,
        choices=[("", "—"), *event_choices()],
        help_text=gettext_lazy("Needed when only the event's participants may sign."),
    )
