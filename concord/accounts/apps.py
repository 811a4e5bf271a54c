from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "concord.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Imported here: both need the app registry, which is only ready now.
        from concord.accounts.queries import language_of_address, languages_of_addresses
        from concord.core import emails

        # An email to an address follows the language its account asked for (core/emails.py).
        emails.register_account_language(language_of_address, languages_of_addresses)
