from django.apps import AppConfig


class MailingsConfig(AppConfig):
    name = "concord.mailings"
    label = "mailings"
    verbose_name = "Mailings"
