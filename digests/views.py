import calendar
import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from digests.models import Digest, Item, PreviewLink, Section

ARCHIVE_PAGE_SIZE = 20


def home(request):
    """The latest published digest with its contents, and the ones before it."""
    recent = list(Digest.objects.published().prefetch_related("sections")[:8])
    return render(
        request,
        "digests/home.html",
        {"latest": recent[0] if recent else None, "recent": recent[1:]},
    )


def archive(request, year=None, month=None):
    """Published digests, newest first, paginated; optionally of one year or month."""
    digests = Digest.objects.published()
    period = None
    if year is not None:
        if not 1900 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
            raise Http404("No such period.")
        digests = digests.filter(date__year=year)
        period = str(year)
        if month is not None:
            digests = digests.filter(date__month=month)
            period = f"{calendar.month_name[month]} {year}"
    page = Paginator(digests, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    years = [d.year for d in Digest.objects.published().dates("date", "year", order="DESC")]
    months = []
    if year is not None:
        months = [
            datetime.date(year, d.month, 1)
            for d in Digest.objects.published().filter(date__year=year).dates("date", "month")
        ]
    return render(
        request,
        "digests/archive.html",
        {
            "nav": "digests",
            "page": page,
            "period": period,
            "year": year,
            "years": years,
            "months": months,
        },
    )


def _with_contents(digests):
    items = Item.objects.order_by("order", "pk")
    sections = Section.objects.order_by("order", "pk").prefetch_related(
        Prefetch("items", queryset=items)
    )
    return digests.prefetch_related(Prefetch("sections", queryset=sections), "tags", "metrics")


def digest_detail(request, slug):
    """One digest with its sections and items. Staff may preview drafts, marked as such."""
    visible = Digest.objects.visible_to(request.user)
    digest = _with_contents(visible).filter(slug=slug).first()
    if digest is None:
        # An old address of a digest the visitor may see answers with a 301; nothing else.
        moved = visible.filter(redirects__old_slug=slug).first()
        if moved is None:
            raise Http404("No such digest.")
        return redirect(moved, permanent=True)
    response = render(request, "digests/digest_detail.html", {"digest": digest, "nav": "digests"})
    if not digest.is_public:
        add_never_cache_headers(response)
    return response


def preview(request, token):
    """A draft shown to an outside reviewer through a signed, expiring, revocable link.
    Never cached, never indexed; a bad, expired or revoked link is a plain 404."""
    link = PreviewLink.from_token(token)
    if link is None:
        raise Http404("This preview link is not valid.")
    digest = _with_contents(Digest.objects.all()).get(pk=link.digest_id)
    response = render(
        request,
        "digests/digest_detail.html",
        {"digest": digest, "nav": "digests", "preview_link": link},
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def privacy(request):
    """What the site does, and does not, keep about readers."""
    return render(request, "privacy.html", {"onion_location": settings.ONION_LOCATION})


def robots(request):
    """Crawlers may read the public site; staff pages and preview links are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /editor/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
