from django.conf import settings
from django.db import migrations, models


def keep_one_signature_per_user(apps, schema_editor):
    """Until now a signed-in person was recorded on every signature they sent, whatever the
    address. Keep the person on the one made with their own address (else the first) and
    leave the others to their addresses, so the constraint can hold."""
    Signature = apps.get_model("declarations", "Signature")
    seen: set[tuple[int, int]] = set()
    rows = (
        Signature.objects.filter(user__isnull=False)
        .select_related("user")
        .order_by("declaration_id", "user_id", "pk")
    )
    own_first = sorted(rows, key=lambda s: (s.declaration_id, s.user_id, s.email != s.user.email))
    for signature in own_first:
        pair = (signature.declaration_id, signature.user_id)
        if pair in seen:
            Signature.objects.filter(pk=signature.pk).update(user=None)
        seen.add(pair)


class Migration(migrations.Migration):
    dependencies = [
        ("countries", "0002_reference_data"),
        ("declarations", "0003_signature_intake"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep_one_signature_per_user, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="signature",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("declaration", "user"),
                name="one_signature_per_user",
            ),
        ),
    ]
