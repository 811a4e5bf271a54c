from django import template

from concord.groups import text
from concord.groups.models import Group

register = template.Library()


@register.filter
def post_html(body: str):
    return text.html(body)


@register.filter
def name_in(group: Group, language: str) -> str:
    return group.name_for(language)
