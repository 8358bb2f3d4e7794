"""Page links that keep the rest of the address (`{% querystring %}` for a page parameter
whose name is given at render time, as when one page has two paginated lists)."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.simple_tag(takes_context=True)
def page_querystring(context, param, number):
    """The current query string with `param` set to `number`, every other parameter kept."""
    return querystring(context, **{param: number})
