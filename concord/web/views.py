from django.shortcuts import render

from concord.organisations import queries


def home(request):
    members = queries.members()
    return render(
        request,
        "web/home.html",
        {
            "member_count": members.count(),
            "coverage": queries.members_coverage(members),
            "recent": members.exclude(member_since=None).order_by("-member_since", "pk")[:6],
        },
    )
