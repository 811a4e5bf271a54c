"""What a member organisation's share link brought to a declaration, for its representatives.

The page shows the confirmed signatures credited to the organisation (`Signature.via`) and
their countries, read from the attribution tallies, never who signed: the public list says
that for those who chose to be listed. It gives the share link to copy, too.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from concord.declarations import permissions, queries
from concord.declarations.views.shared import reader_text, visible_or_404
from concord.organisations import permissions as organisation_permissions
from concord.organisations.models import Organisation


@login_required
def brought(request, slug: str, organisation: int):
    declaration = visible_or_404(request, slug)
    found = Organisation.objects.filter(pk=organisation).first()
    # An application is seen only by its people and the secretariat: to others, no such page.
    if found is None or not organisation_permissions.can_view(request.user, found):
        raise Http404
    if not permissions.can_see_brought(request.user, found):
        raise PermissionDenied
    page = reverse("declarations:detail", args=[declaration.slug])
    return render(
        request,
        "declarations/brought.html",
        {
            "declaration": declaration,
            "text": reader_text(declaration),
            "organisation": found,
            "brought": queries.brought_by_organisation(declaration, found.pk),
            "share_link": request.build_absolute_uri(f"{page}?via={found.pk}"),
        },
    )
