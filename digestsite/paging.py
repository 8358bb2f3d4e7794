"""Pages of a list as Django's generic list views number them."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def page_or_404(object_list, per_page: int, number):
    """Page `number` of `object_list`: none given is the first page, "last" the last one;
    a number past the end or anything that is not a page number is a 404, never an empty
    page that answers 200."""
    paginator = Paginator(object_list, per_page)
    if number in (None, ""):
        number = 1
    elif number == "last":
        number = paginator.num_pages
    try:
        return paginator.page(number)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc
