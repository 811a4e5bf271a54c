"""The periodic jobs of events (the schedule reads PERIODIC_JOBS). Events have no other task:
participants' emails go through core.emails, which delivers them in the background."""

from datetime import timedelta

from django_tasks import task

from concord.events.services.messages import send_reminders


@task()
def send_event_reminders() -> int:
    """Remind confirmed participants a day ahead (each once per start time: the email key)."""
    return send_reminders()


PERIODIC_JOBS = [("send-event-reminders", timedelta(minutes=15), send_event_reminders)]
