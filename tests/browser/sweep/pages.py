"""Every page of the site, from the URL configuration: who opens it and with which demo object.

`ROUTES` has a row for every named route under the language prefix. A row is one of (a row named `route#variant` opens the
route again with another object or person):
- `Page(who, kwargs)`: an HTML page, opened by the browser as `who` (a key of
  `Demo.people`, or `VISITOR` for someone signed out), in every language;
- `Download(who, kwargs)`: a file (PDF, CSV, calendar, XML), fetched and checked for its
  answer only;
- `PostOnly()`: the target of a form, which answers GET with 405 (the test checks it does);
- `Elsewhere(reason)`: a page the sweep cannot reach by a link (say why).
`test_every_route_has_a_row` fails on a route without a row, so a new page joins the sweep.
The pages everyone can open are also opened as each persona (`EVERYONE`), since the menu and
what a page offers depend on who is signed in.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from concord.declarations.services import kiosk
from tests.browser.sweep.world import TOKEN, Demo

VISITOR = "visitor"
PERSONAS = (VISITOR, "outsider", "representative", "admin", "secretariat")
Kwargs = Callable[[Demo], dict[str, Any]]


def none(_demo: Demo) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Page:
    who: str = VISITOR
    kwargs: Kwargs = none


@dataclass(frozen=True)
class Download:
    who: str = VISITOR
    kwargs: Kwargs = none


@dataclass(frozen=True)
class PostOnly:
    pass


@dataclass(frozen=True)
class Elsewhere:
    reason: str


EVERYONE = "everyone"  # each persona, signed out included
SIGNED_IN = "signed-in"  # each persona but the visitor


def pk(name: str) -> Kwargs:
    return lambda demo: {"pk": getattr(demo, name).pk}


def slug(name: str) -> Kwargs:
    return lambda demo: {"slug": getattr(demo, name).slug}


def in_group(name: str) -> Kwargs:
    """A thread or post of the demo's public group: its group's slug and its own id."""
    return lambda demo: {"slug": demo.group.slug, "pk": getattr(demo, name).pk}


ROUTES: dict[str, Page | Download | PostOnly | Elsewhere] = {
    # web and accounts
    "web:home": Page(EVERYONE),
    "web:mine": Page(SIGNED_IN),
    "web:privacy": Page(),
    "web:download_data": Download("admin"),
    "web:delete_account": Page("outsider"),
    "accounts:home": Page(SIGNED_IN),
    "accounts:create_token": PostOnly(),
    "accounts:revoke_token": PostOnly(),
    "accounts:reset_bounces": PostOnly(),
    # mail preferences (core) and mailings
    "core:mail_preferences": Page(kwargs=lambda demo: {"token": demo.preferences_token}),
    "mailings:list": Page("secretariat"),
    "mailings:new": Page("secretariat"),
    "mailings:audiences": Page("secretariat"),
    "mailings:news": Page(EVERYONE),
    "mailings:feed": Download(),
    "mailings:public": Page(kwargs=pk("sent_mailing")),
    "mailings:detail": Page("secretariat", pk("mailing")),
    "mailings:edit": Page("secretariat", pk("mailing")),
    "mailings:test": PostOnly(),
    "mailings:send": PostOnly(),
    "mailings:pause": PostOnly(),
    "mailings:resume": PostOnly(),
    # working groups
    "groups:list": Page(EVERYONE),
    "groups:new": Page("representative"),
    "groups:detail": Page(EVERYONE, slug("group")),
    "groups:detail#members_only": Page("admin", slug("members_group")),
    "groups:members": Page(EVERYONE, slug("group")),
    "groups:join": PostOnly(),
    "groups:leave": PostOnly(),
    "groups:delivery": PostOnly(),
    "groups:approve": PostOnly(),
    "groups:remove": PostOnly(),
    "groups:new_thread": Page("representative", slug("group")),
    "groups:thread": Page(EVERYONE, in_group("group_thread")),
    "groups:thread_state": PostOnly(),
    "groups:close": Page("secretariat", in_group("group_thread")),
    "groups:new_poll": Page("representative", in_group("group_thread")),
    "groups:vote": PostOnly(),
    "groups:edit_post": Page("group_author", in_group("group_post")),
    "groups:report": Page("representative", in_group("group_post")),
    "groups:hide": Page("secretariat", in_group("group_post")),
    # country data
    "countries:about": Page(),
    "countries:table": Page(),
    # declarations
    "declarations:list": Page(EVERYONE),
    "declarations:detail": Page(EVERYONE, slug("open")),
    "declarations:detail#published": Page(VISITOR, slug("published")),
    "declarations:detail#draft": Page("secretariat", slug("draft")),
    "declarations:confirm": Page(VISITOR, lambda d: {"slug": d.open.slug, "token": TOKEN}),
    "declarations:withdraw": Page(VISITOR, lambda d: {"slug": d.open.slug, "token": TOKEN}),
    "declarations:create": Page("secretariat"),
    "declarations:import": Page("secretariat", slug("open")),
    "declarations:import_job": Page(
        "secretariat", lambda d: {"slug": d.import_job.declaration.slug, "pk": d.import_job.pk}
    ),
    "declarations:link_outcome": PostOnly(),
    "declarations:manage": Page("secretariat", slug("open")),
    "declarations:open_kiosk": PostOnly(),
    # The tablet's page, opened with the link its organiser got (no session needed).
    "declarations:kiosk": Page(
        VISITOR,
        lambda d: {"slug": d.open.slug, "token": kiosk.open_kiosk(d.people["secretariat"], d.open)},
    ),
    "declarations:review": Page("secretariat", slug("draft")),
    "declarations:mine": Page("admin"),
    "declarations:map": Download(VISITOR, slug("open")),  # the page's <img> of the map
    "declarations:pdf": Page(VISITOR, slug("published")),
    "declarations:brought": Page(
        "admin", lambda d: {"slug": d.published.slug, "organisation": d.home.pk}
    ),
    "declarations:sign": PostOnly(),
    "declarations:embed": Page(VISITOR, slug("open")),  # framed by members' sites
    "declarations:badge": Download(VISITOR, slug("open")),  # an <img> on members' sites
    "declarations:share_image": Download(VISITOR, slug("open")),  # the page's og:image
    "declarations:resend": PostOnly(),
    "declarations:signatories": Page(VISITOR, slug("published")),
    "declarations:log": Page(VISITOR, slug("published")),
    "declarations:verify": Page(VISITOR, slug("published")),
    "declarations:receipt": Elsewhere(
        "the link in a receipt email: tests/declarations/test_log_pages.py"
    ),
    "declarations:verifier": Download(),
    "declarations:signed": Page(VISITOR, slug("open")),
    "declarations:withdraw_mine": PostOnly(),
    "declarations:hide_name": PostOnly(),
    # drafting together and the answers (the draft is open to members' representatives)
    "declarations:drafting": Page("representative", slug("draft")),
    "declarations:drafting#history": Page(VISITOR, slug("published")),  # its history is public
    "declarations:drafting_compare": Page("secretariat", slug("draft")),
    "declarations:drafting_manage": Page("secretariat", slug("draft")),
    "declarations:edit_comment": Page(
        "commenter", lambda d: {"slug": d.draft.slug, "pk": d.comment.pk}
    ),
    "declarations:addressees": Page("secretariat", slug("published")),
    "declarations:addressee": Page(
        "secretariat", lambda d: {"slug": d.published.slug, "pk": d.addressee.pk}
    ),
    "declarations:responses_map": Download(VISITOR, slug("published")),  # the page's <img>
    # events
    "events:list": Page(EVERYONE),
    "events:detail": Page(EVERYONE, slug("event")),
    "events:participants": Page(VISITOR, slug("event")),
    "events:register": Page("outsider", slug("event")),
    "events:registration": Page("participant", slug("event")),
    "events:badge": Download("participant", slug("event")),
    "events:certificate": Download("participant", slug("event")),
    "events:create": Page("admin"),
    "events:edit": Page("organiser", slug("event")),
    "events:manage": Page("organiser", slug("event")),
    "events:registrations": Page("organiser", slug("event")),
    "events:badges": Download("organiser", slug("event")),
    "events:checkin": Page("organiser", slug("event")),
    "events:checkin_count": Download("organiser", slug("event")),
    "events:checkin_kit": PostOnly(),
    "events:checkin_kit_revoke": PostOnly(),
    "events:checkin_sync": PostOnly(),
    "events:feed": Download(),
    "events:ics": Download(VISITOR, slug("event")),
    "events:time_zone": PostOnly(),
    # case studies
    "knowledge:search": Page(EVERYONE),
    "knowledge:detail": Page(EVERYONE, pk("practice")),
    "knowledge:create": Page("admin"),
    "knowledge:edit": Page("author", pk("practice")),
    "knowledge:media": Page("author", pk("practice")),
    "knowledge:translate": Page("author", pk("practice")),
    "knowledge:mine": Page("author"),
    "knowledge:review": Page("secretariat"),
    "knowledge:review_action": PostOnly(),
    "knowledge:review_media": PostOnly(),
    "knowledge:submit": PostOnly(),
    "knowledge:adapt": PostOnly(),
    "knowledge:contact": PostOnly(),
    # members
    "organisations:directory": Page(EVERYONE),
    "organisations:detail": Page(EVERYONE, pk("home")),
    "organisations:apply": Page(EVERYONE),
    "organisations:edit": Page("admin", pk("home")),
    "organisations:accept": Page("outsider", lambda d: {"token": TOKEN}),
    "organisations:review": Page("secretariat"),
    "organisations:detail#pending": Page("secretariat", pk("pending_org")),
    "organisations:detail#more_info": Page("applicant", pk("more_info_org")),
    "organisations:review_action": PostOnly(),
    "organisations:review_identity": PostOnly(),
    "organisations:resubmit": PostOnly(),
    "organisations:invite": PostOnly(),
    "organisations:remove_representative": PostOnly(),
    # partnerships and funding
    "partnerships:overview": Page(EVERYONE),
    "partnerships:request": Page(EVERYONE, pk("request")),
    "partnerships:request#owner": Page("requester", pk("request")),
    "partnerships:post": Page("admin"),
    "partnerships:calls": Page(EVERYONE),
    "partnerships:call": Page(VISITOR, pk("call")),
    "partnerships:new_call": Page("secretariat"),
    "partnerships:funding_matches": Page("admin", lambda d: {"pk": d.home.pk}),
    "partnerships:partnerships": Page("partner"),
    "partnerships:partnership": Page("partner", pk("partnership")),
    "partnerships:digest": Page("admin"),
    "partnerships:unsubscribe": Page(VISITOR, lambda d: {"token": d.digest_token}),
    "partnerships:express_interest": PostOnly(),
    "partnerships:answer_interest": PostOnly(),
    "partnerships:close": PostOnly(),
    "partnerships:answer_partnership": PostOnly(),
    "partnerships:add_deliverable": PostOnly(),
    "partnerships:file_report": PostOnly(),
    "partnerships:track": PostOnly(),
    "partnerships:working_languages": PostOnly(),
    # results
    "results:dashboard": Page(EVERYONE),
    "results:projects": Page(VISITOR),
    "results:project": Page(EVERYONE, pk("project")),
    "results:project#admin": Page("project_admin", pk("project")),
    "results:organisation": Page(VISITOR, lambda d: {"pk": d.project.organisation_id}),
    "results:project_create": Page("admin"),
    "results:project_edit": Page("project_admin", pk("project")),
    "results:project_report": Page("project_admin", pk("project")),
    "results:project_csv": Download(VISITOR, pk("project")),
    "results:project_pdf": Download(VISITOR, pk("project")),
    "results:project_xml": Download(VISITOR, pk("project")),
    "results:result_add": Page("project_admin", pk("project")),
    "results:indicator_add": Page("project_admin", pk("result")),
    "results:period_add": Page("project_admin", pk("indicator")),
    "results:update_add": Page("project_admin", pk("period")),
    "results:update": Page("project_admin", pk("update")),
    "results:update_edit": Page("update_author", pk("returned_update")),
    "results:review": Page("project_admin"),
    "results:import": Page("project_admin", lambda d: {"pk": d.project.organisation_id}),
    "results:update_action": PostOnly(),
    # signing in (allauth's views in Concord's templates)
    "account_login": Page(),
    "account_signup": Page(),
    "account_reset_password": Page(),
    "account_reset_password_done": Page(),
    "account_reset_password_from_key_done": Page(),
    "account_email_verification_sent": Page(),
    "account_inactive": Page(),
    "account_logout": Page("representative"),
    "account_email": Page("representative"),
    "account_change_password": Page("secretariat"),
    "account_set_password": Page("representative"),
    "account_reauthenticate": Page("secretariat"),
    "mfa_index": Page("secretariat"),
    "mfa_activate_totp": Page("secretariat"),
    "account_confirm_email": Elsewhere("needs a key allauth mails; its page is the login's"),
    "account_reset_password_from_key": Elsewhere("needs a key allauth mails"),
    "account_confirm_login_code": Elsewhere("only inside a login-by-code flow (not enabled)"),
    "mfa_authenticate": Elsewhere("only during a sign-in with two factors"),
    "mfa_reauthenticate": Elsewhere("only for an account with two factors"),
    "mfa_deactivate_totp": Elsewhere("only for an account with two factors"),
    "mfa_generate_recovery_codes": Elsewhere("only for an account with two factors"),
    "mfa_view_recovery_codes": Elsewhere("only for an account with two factors"),
    "mfa_download_recovery_codes": Elsewhere("only for an account with two factors"),
}


def route_names() -> Iterator[str]:
    """The names of the routes under the language prefix, the back office left out (it is
    Django's admin, for the secretariat's staff, in English)."""
    yield from routes()


def routes() -> dict[str, dict[str, str]]:
    """Each route under the language prefix, by name, with its parameters' converters."""
    found: dict[str, dict[str, str]] = {}

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                if inner in {"admin", "api"}:
                    continue
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                converters = getattr(pattern.pattern, "converters", {})
                found[name] = {key: type(value).__name__ for key, value in converters.items()}

    for pattern in get_resolver().url_patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):
            walk(pattern.url_patterns, None)
    return found


def any_url(name: str) -> str:
    """The route's URL with made-up parameters (for a form target, refused before lookup)."""
    made_up = {"IntConverter": 1}
    kwargs = {key: made_up.get(kind, "x") for key, kind in routes()[name].items()}
    return reverse(name, kwargs=kwargs)


def url_of(row_name: str, row: Page | Download, demo: Demo, language: str) -> str:
    """The row's URL in `language` (English has no prefix). A row named `route#variant`
    opens the same route with another object."""
    with translation.override(language):
        return reverse(row_name.split("#")[0], kwargs=row.kwargs(demo))


def visits(demo: Demo, language: str) -> Iterator[tuple[str, str, str]]:
    """(row, who, url) for every page to open in `language`."""
    for name, row in ROUTES.items():
        if not isinstance(row, Page):
            continue
        url = url_of(name, row, demo, language)
        people = {EVERYONE: PERSONAS, SIGNED_IN: PERSONAS[1:]}.get(row.who, (row.who,))
        for who in people:
            yield name, who, url
