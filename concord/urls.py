import re
from urllib.parse import urlsplit

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from concord.api.api import api
from concord.core.csrf import csrf_for_sessions
from concord.core.mail_pages import unsubscribe
from concord.core.views import healthz, media
from concord.web.views import service_worker

handler500 = "concord.core.views.server_error"
handler429 = "concord.core.views.too_many_requests"  # allauth's rate limits answer with it

# The back office signs people in through allauth, never through its own form: two-factor
# codes are asked there and failed attempts are throttled by allauth's rate limits.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# Pages carry their language in the path (/fr/..., /ar/...; English has none), so a
# link shared in French opens in French and caches can key on the URL alone.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    # At the root, so the forum mode's service worker covers the pages of every language.
    path("sw.js", service_worker, name="service_worker"),
    # The language menu of pages cached for visitors without a session carries no CSRF
    # token; choosing one's own language needs none unless there is a session to protect.
    # One-click unsubscribe (RFC 8058): posted by mail programs, so without a language.
    path("mail/unsubscribe/<str:token>/<slug:topic>/", unsubscribe, name="mail_unsubscribe"),
    path("i18n/setlang/", csrf_for_sessions(set_language), name="set_language"),
    # Users' files, only through the view that asks the owning app who may see each one, never
    # straight from MEDIA_ROOT. When MEDIA_URL names another host, that host routes here too.
    re_path(rf"^{re.escape(urlsplit(settings.MEDIA_URL).path.lstrip('/'))}(?P<path>.+)$", media),
]
urlpatterns += i18n_patterns(
    path("", include("concord.web.urls")),
    path("data/", include("concord.countries.urls")),
    path("members/", include("concord.organisations.urls")),
    path("declarations/", include("concord.declarations.urls")),
    path("practices/", include("concord.knowledge.urls")),
    path("events/", include("concord.events.urls")),
    path("results/", include("concord.results.urls")),
    path("partnerships/", include("concord.partnerships.urls")),
    path("account/", include("concord.accounts.urls")),
    path("mail/", include("concord.core.urls")),
    path("mailings/", include("concord.mailings.urls")),
    path("groups/", include("concord.groups.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
