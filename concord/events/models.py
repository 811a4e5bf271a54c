"""Events (forums, conferences, side events, workshops, webinars), their programme, the
registrations with their waiting list, and check-ins at the door.

Times are stored in UTC; each event keeps its venue's IANA time zone, in which pages show
them (and in the visitor's zone too). The capacity rule is enforced under a row lock on the
event (see services.registration.register); one check-in per registration is a unique constraint, so two
doors scanning the same badge at once record one check-in.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        CONFERENCE = "conference", _("Conference")
        SIDE_EVENT = "side_event", _("Side event")
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Approval(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MODERATED = "moderated", _("Moderated by the organisers")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone of the venue"), max_length=64, default="UTC")
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "countries.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    languages = models.JSONField(_("languages of the event"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.AUTOMATIC
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="events_organised"
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="events_managed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)


class Session(models.Model):
    """One item of the programme."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    link = models.URLField(_("online link"), max_length=500, blank=True)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    speaker_organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+"
    )
    topics = models.ManyToManyField("core.Theme", blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A custom question asked at registration."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    # Empty only on the anonymous row an ended event keeps of a person who deleted their
    # account (services/erasure.py): the event's counts stay true, the person is gone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )
    # Normalised copy of the person's address when they registered (declaration eligibility).
    email = models.EmailField(max_length=254)
    # The person's name when they registered; empty when the account has none (never the
    # address: the participants list and badges show `display_name`).
    name = models.CharField(max_length=150, blank=True)
    country = models.ForeignKey("countries.Country", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    answers = models.JSONField(default=dict, blank=True)
    listed = models.BooleanField(default=False)  # consents to the public participant list
    language = models.CharField(max_length=10, default="en")
    # Part of the badge's signed code: a new one makes older printed badges invalid.
    badge_nonce = models.CharField(max_length=16)
    waiting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One registration per person per event; cancelling and registering again
            # reuses the row, so parallel clicks cannot make two.
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["event", "status", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.event_id})"

    @property
    def display_name(self) -> str:
        """How the participant is shown: their name, never their email address."""
        return self.name or str(_("Name not given"))

    @property
    def is_active(self) -> bool:
        """Still a registration: not cancelled by the person nor declined by the organisers.
        Only an active one can change; an inactive one may register again (unless declined)."""
        return self.status not in (self.Status.CANCELLED, self.Status.DECLINED)

    @property
    def takes_a_seat(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.PENDING)


class CheckIn(models.Model):
    """A participant seen at the door. One per registration (a database constraint)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="checkin"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkins")
    checked_in_at = models.DateTimeField(auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    door = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return f"{self.registration_id} at {self.checked_in_at:%H:%M}"


class Outcome(models.Model):
    """A declaration adopted at an event (a declaration is adopted at one event at most)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    declaration = models.OneToOneField(
        "declarations.Declaration", on_delete=models.CASCADE, related_name="event_outcome"
    )

    def __str__(self) -> str:
        return f"{self.declaration_id} at {self.event_id}"


class CheckInKit(models.Model):
    """What an organiser's phone downloads to check badges in without network: a random key
    under which the kit lists each valid badge code's HMAC with its holder's name (never an
    address). It expires, and can be revoked (a phone lost); a revoked kit syncs nothing."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkin_kits")
    key = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"kit {self.pk} of {self.event_id}"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and now < self.expires_at


class CheckInScan(models.Model):
    """One reading of a badge at a door, as the device saw it: however many doors scan one
    badge, the participant has one CheckIn and every scan is kept here. `client_id` is the
    device's own id for the scan, so a scan sent twice is kept once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkin_scans")
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="scans")
    kit = models.ForeignKey(CheckInKit, null=True, on_delete=models.SET_NULL, related_name="+")
    client_id = models.CharField(max_length=64)
    device = models.CharField(max_length=64, blank=True)
    door = models.CharField(max_length=50, blank=True)
    scanned_at = models.DateTimeField()  # the device's time
    received_at = models.DateTimeField(auto_now_add=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "client_id"], name="one_scan_per_client_id")
        ]

    def __str__(self) -> str:
        return f"scan {self.client_id} of {self.checkin_id}"
