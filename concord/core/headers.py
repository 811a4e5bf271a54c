"""The site's middleware for languages, messages and the Content-Security-Policy, each doing
only the work that changes an answer.

Django's and django-csp's own classes, less what they work out on every request and then drop
or rebuild identically: profiled on the public signing call (a surge's request), these three
took a third of the time spent outside the view (bench/profile_signing.py). Every answer
carries the same headers as with the originals.
"""

from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, PolicyParts
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware as BaseMessageMiddleware
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as BaseLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import language_code_prefix_re

API_PREFIX = "/api/"


@lru_cache(maxsize=256)
def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_from_path(path: str) -> str | None:
    """`translation.get_language_from_path`, kept per first path segment: Django keeps the
    languages it finds but not the misses, so every /api/ path looked "api" up again."""
    match = language_code_prefix_re.match(path)
    return _supported(match[1]) if match else None


class LocaleMiddleware(BaseLocaleMiddleware):
    """Django's, without reading the visitor's preferred language where it is then replaced
    by the default: with `prefix_default_language=False` a path without a language prefix
    (the API's, English pages) is in LANGUAGE_CODE whatever the visitor asks."""

    def process_request(self, request: HttpRequest) -> None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        if i18n_patterns_used and not prefixed_default_language:
            language = language_from_path(request.path_info) or settings.LANGUAGE_CODE
        else:
            language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        if prefixed_default_language:  # a 404 may be redirected to a language's path
            return super().process_response(request, response)
        if not (i18n_patterns_used and language_from_path(request.path_info)):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class MessageMiddleware(BaseMessageMiddleware):
    """The API answers JSON and never shows a message: its requests get no message storage
    (which builds a cookie signer per request). `get_messages` reads none there."""

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(API_PREFIX):
            super().process_request(request)


# The policy texts built from the settings alone, by report_only.
_policies: dict[bool, str] = {}


def _forget(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE"}:
        _supported.cache_clear()


setting_changed.connect(_forget)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's (4.0) `process_response`, with the policy built from the settings alone
    (no nonce asked for, no decorator's change on the response) kept per process: it rebuilt
    the same text, from deep copies of the settings, twice per answer."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if response.status_code in (500, 404) and settings.DEBUG:  # the debug pages
            return response
        for report_only, header, exempt in (
            (False, HEADER, "_csp_exempt"),
            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro"),
        ):
            parts = self.get_policy_parts(request, response, report_only=report_only)
            policy = self._policy(parts, report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            name = "CONTENT_SECURITY_POLICY" + ("_REPORT_ONLY" if report_only else "")
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response

    @staticmethod
    def _policy(parts: PolicyParts, report_only: bool) -> str:
        if parts != PolicyParts():
            return build_policy(
                parts.config, parts.update, parts.replace, parts.nonce, report_only=report_only
            )
        policy = _policies.get(report_only)
        if policy is None:
            policy = _policies[report_only] = build_policy(report_only=report_only)
        return policy
