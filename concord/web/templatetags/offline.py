"""What the forum-mode script (web/static/web/offline.js) shows, in the page's language."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from concord.core.plurals import plural_texts

register = template.Library()


@register.simple_tag
def outbox_words() -> SafeString:
    """The data- attributes of #outbox: "N waiting to send" in each plural form."""
    texts = plural_texts(
        lambda n: (
            ngettext("%(count)s waiting to send", "%(count)s waiting to send", n)
            % {"count": "{count}"}
        )
    )
    return format_html_join(" ", 'data-{}="{}"', sorted(texts.items()))
