"""Demo mailings: saved audiences (members in SIDS, admins of members in LDCs, the open
declaration's signers who asked to be kept informed), a public mailing sent after the Baku
Call in four languages (in the news archive) and a draft about a funding window. Part of the
open declaration's confirmed signers ticked "keep me informed". Rows are written directly,
so the demo sends no email."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone, translation

from concord.declarations.models import Declaration, Signature
from concord.declarations.services.signing import KEEP_INFORMED
from concord.mailings.models import Audience, Mailing, MailingText

DATA = Path(__file__).parent / "data" / "demo_mailings.json"


def _keep_informed(rng: random.Random, declaration: Declaration) -> int:
    signatures = list(
        Signature.objects.filter(declaration=declaration, status=Signature.Status.CONFIRMED)
    )
    chosen = [s for s in signatures if rng.random() < 0.4]
    now = timezone.now()
    for signature in chosen:
        signature.keep_informed, signature.keep_informed_at = True, signature.confirmed_at or now
        with translation.override(signature.language):
            signature.keep_informed_text = str(KEEP_INFORMED)
    Signature.objects.bulk_update(
        chosen, ["keep_informed", "keep_informed_at", "keep_informed_text"], batch_size=500
    )
    return len(chosen)


def build(rng: random.Random, *, secretariat) -> dict[str, int]:
    declaration = Declaration.objects.filter(status=Declaration.Status.OPEN).first()
    informed = _keep_informed(rng, declaration) if declaration else 0
    audiences = {
        "sids": Audience.objects.create(
            name="Members in SIDS", kind="representatives", filters={"groups": ["sids"]},
            created_by=secretariat,
        ),
        "ldc_admins": Audience.objects.create(
            name="Admins of members in LDCs", kind="representatives",
            filters={"groups": ["ldc"], "role": "admins"}, created_by=secretariat,
        ),
    }  # fmt: skip
    if declaration:
        audiences["informed"] = Audience.objects.create(
            name=f"Kept informed: {declaration.slug}",
            kind="signatories",
            filters={"declaration": declaration.pk},
            created_by=secretariat,
        )
    now = timezone.now()
    mailings = json.loads(DATA.read_text(encoding="utf-8"))["mailings"]
    for data in mailings:
        sent = data["status"] == Mailing.Status.SENT
        when = now - timedelta(days=data.get("days_ago", 0))
        mailing = Mailing.objects.create(
            topic=data["topic"],
            sender_name="Coalition secretariat",
            original_language=data["original_language"],
            public=data["public"],
            status=data["status"],
            send_at=when if sent else None,
            sent_at=when if sent else None,
            prepared=sent,
            created_by=secretariat,
        )
        mailing.audiences.set([audiences[name] for name in data["audiences"] if name in audiences])
        MailingText.objects.bulk_create(
            MailingText(mailing=mailing, language=code, **text)
            for code, text in data["texts"].items()
        )
    return {"audiences": len(audiences), "mailings": len(mailings), "kept_informed": informed}
