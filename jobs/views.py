from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from jobrec.api.pagination import COUNT_CAP, CappedCountPaginator
from jobrec.cache import cached
from jobs.cache import DETAIL_TIMEOUT_S, LISTING_TIMEOUT_S, job_detail_key, listing_key
from jobs.forms import JobSearchForm
from jobs.models import Job
from jobs.selectors import JobFilters, job_facets, job_get, job_list, job_repost_count

PAGE_SIZE = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def job_search(request: HtmxHttpRequest) -> HttpResponse:
    form = JobSearchForm(request.GET or None)
    filters = form.filters() if form.is_valid() else JobFilters()
    paginator = CappedCountPaginator(job_list(filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    facets = cached(
        name="job_facets",
        key=listing_key(kind="facets", params=filters.cache_params()),
        timeout=LISTING_TIMEOUT_S,
        compute=lambda: job_facets(filters=filters),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "facets": facets,
        "querystring": query.urlencode(),
        "count": min(paginator.count, COUNT_CAP),
        "count_capped": paginator.count_capped,
    }
    # htmx asks for the results only; the address bar keeps the full state (hx-push-url).
    template = "jobs/_results.html" if request.htmx else "jobs/search.html"
    return render(request, template, context)


@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = job_get(job_id=job_id)
    except Job.DoesNotExist:
        raise Http404("No such job") from None
    if job.pk != job_id:
        return redirect("jobs:detail", job_id=job.pk, permanent=True)
    body = cached(
        name="job_detail",
        key=job_detail_key(job.pk, variant="html"),
        timeout=DETAIL_TIMEOUT_S,
        compute=lambda: render_to_string(
            "jobs/_detail_body.html", {"job": job, "reposts": job_repost_count(job=job)}
        ),
    )
    return render(request, "jobs/detail.html", {"job": job, "body": body})
