"""Joint declarations, their language versions, signatures and the tallies that count them,
one module per topic; the transparency log's rows are in log/models.py. Callers import from
here, so the modules can move.
"""

# The transparency log's, drafting's and addressees' models live beside their code; imported
# here so Django registers them.
from concord.declarations.addressees.models import (  # noqa: F401
    Addressee,
    Delivery,
    Pledge,
    Response,
)
from concord.declarations.drafting.models import (  # noqa: F401
    Amendment,
    Comment,
    CommentPeriod,
    Endorsement,
    Paragraph,
    Support,
    Version,
)
from concord.declarations.log.models import LogEntry, TreeHead  # noqa: F401
from concord.declarations.models.declarations import (  # noqa: F401
    TEXT_MAX,
    TITLE_MAX,
    Declaration,
    DeclarationText,
    Invitee,
)
from concord.declarations.models.jobs import Export, ImportJob, SignatoryFile  # noqa: F401
from concord.declarations.models.signatures import Signature, SignatureIntake  # noqa: F401
from concord.declarations.models.tallies import Attribution, HourlyTally, Tally  # noqa: F401
