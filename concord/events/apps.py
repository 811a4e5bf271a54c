from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "concord.events"
    label = "events"
    verbose_name = "Events"
