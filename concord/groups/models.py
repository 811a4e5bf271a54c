"""Working groups, their members, threads, posts, reports and polls."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.models import AttachedFile

NAME_MAX = 120
TITLE_MAX = 200
BODY_MAX = 20000


class Group(models.Model):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Thematic")
        REGIONAL = "regional", _("Regional")
        TASK_FORCE = "task_force", _("Task force")

    class Admission(models.TextChoices):
        OPEN = "open", _("Open to every member organisation's representatives")
        REQUEST = "request", _("By request, approved by a moderator")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members only")

    slug = models.SlugField(max_length=60, unique=True)
    # The name and purpose per language ({"fr": {"name": ..., "purpose": ...}}), the
    # original in `language`.
    language = models.CharField(max_length=10, default="en")
    texts = models.JSONField(default=dict)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.THEMATIC)
    admission = models.CharField(max_length=8, choices=Admission.choices, default=Admission.OPEN)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_for(self.language)

    def text_for(self, language: str) -> dict:
        return self.texts.get(language) or self.texts.get(self.language) or {}

    def name_for(self, language: str) -> str:
        return self.text_for(language).get("name", self.slug)

    def purpose_for(self, language: str) -> str:
        return self.text_for(language).get("purpose", "")

    @property
    def is_members_only(self) -> bool:
        return self.visibility == self.Visibility.MEMBERS


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Asked to join")
        ACTIVE = "active", _("Member")

    class Delivery(models.TextChoices):
        EVERY = "every", _("Every post by email")
        DIGEST = "digest", _("A daily digest")
        WEB = "web", _("On the web only")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EVERY)
    created_at = models.DateTimeField(auto_now_add=True)
    digest_sent_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == self.Role.MODERATOR


class Thread(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=TITLE_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    conclusion = models.TextField(blank=True, max_length=BODY_MAX)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pinned", "-last_post_at"]
        indexes = [models.Index(fields=["group", "last_post_at"], name="thread_group_recent")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def accepts_posts(self) -> bool:
        return not (self.locked or self.is_closed)


class Post(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web")
        EMAIL = "email", _("Email")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=BODY_MAX)
    language = models.CharField(max_length=10, blank=True)
    source = models.CharField(max_length=6, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="post_thread_order")]

    def __str__(self) -> str:
        return f"post {self.pk} in {self.thread_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_editable(self) -> bool:
        return not self.is_hidden and self.thread.accepts_posts


class PostRevision(models.Model):
    """A post's earlier body, kept when it is edited."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replaced_at", "pk"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class Attachment(AttachedFile):
    """An image or PDF sent with a post (on the web or by email), checked as uploads are
    (core/attachments.py); served by core/files.py to those who may read the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="groups/attachments/")

    class Meta:
        ordering = ["pk"]


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"report on post {self.post_id}"


class Poll(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=TITLE_MAX)
    multiple = models.BooleanField(default=False)
    per_organisation = models.BooleanField(default=False)
    closes_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.question

    def is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at and not self.thread.is_closed


class Choice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """One vote: `voter` is "user:<id>" or, for a poll of one vote per organisation,
    "organisation:<id>", so the database itself keeps it to one."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    voter = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    choices = models.ManyToManyField(Choice, related_name="ballots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="one_ballot")]

    def __str__(self) -> str:
        return f"{self.voter} in poll {self.poll_id}"
