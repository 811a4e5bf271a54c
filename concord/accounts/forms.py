from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Language for emails"), choices=settings.LANGUAGES)


class SignupForm(forms.Form):
    """The extra field of allauth's sign-up form (`ACCOUNT_SIGNUP_FORM_CLASS`): a name, so
    public pages can show the person without their email address."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={
            "required": _("Please give your name: public pages show it, never your email address.")
        },
    )

    def signup(self, request, user) -> None:
        """Nothing left to do: `AccountAdapter.save_user` stores the name with the account."""


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Say what it is for, e.g. “CRM sync”."),
    )
