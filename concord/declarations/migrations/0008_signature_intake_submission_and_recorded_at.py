import hashlib
import json

from django.db import migrations, models


def key_existing_rows(apps, schema_editor):
    """Rows waiting or kept get the key their content gives (as intake.submission_key did
    when this was written); a second row of the same content keeps its own key, so nothing
    accepted is lost."""
    SignatureIntake = apps.get_model("declarations", "SignatureIntake")
    seen = set()
    for row in SignatureIntake.objects.order_by("pk").iterator():
        content = json.dumps(
            [row.declaration_id, "content", row.payload.get("data", {})],
            sort_keys=True,
            separators=(",", ":"),
        )
        key = hashlib.sha256(content.encode()).hexdigest()
        if key in seen:
            key = hashlib.sha256(f"existing row {row.pk}".encode()).hexdigest()
        seen.add(key)
        SignatureIntake.objects.filter(pk=row.pk).update(submission=key)


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0007_export_content_key_and_random_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="signatureintake",
            name="recorded_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="signatureintake",
            name="submission",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(key_existing_rows, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="signatureintake",
            constraint=models.UniqueConstraint(
                fields=("submission",), name="one_intake_row_per_submission"
            ),
        ),
        migrations.AddIndex(
            model_name="signatureintake",
            index=models.Index(
                condition=models.Q(("error", ""), ("recorded_at__isnull", True)),
                fields=["id"],
                name="signature_intake_waiting",
            ),
        ),
    ]
