"""What templates/includes/pagination.html needs from a Django ``Page`` that a
template cannot ask for itself."""

from django import template
from django.template.defaulttags import querystring

register = template.Library()


@register.filter
def elided_page_range(page):
    """The page numbers GOV.UK shows: the first, the last, the current page and its
    neighbours, with ``Paginator.ELLIPSIS`` in each gap."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


@register.simple_tag(takes_context=True)
def page_querystring(context, param: str, number: int) -> str:
    """``{% querystring %}`` for a parameter named at run time, so a page can show two
    lists paginated under two names; the other parameters (filters) are kept."""
    return querystring(context, **{param: number})
