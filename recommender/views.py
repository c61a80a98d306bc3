"""The what-matters question pages, results, staff feedback and saved plans.

Answers live only in the session until the person presses "Save this plan". No
view logs an answer: postcodes and needs are personal data.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cms.workflows.roles import COUNCIL_STAFF_ROLES, is_council_staff, staff_role
from directory.models import ServicePage
from directory.ratelimits import rate_limit
from recommender import flow
from recommender.artefacts import get_artefacts
from recommender.forms import FeedbackForm, InterestsForm, NeedsForm, QuestionForm
from recommender.models import SavedPlan, SuggestionFeedback, answers_to_keep
from recommender.needs import specs_from_db
from recommender.recommend import Suggestion, suggest
from recommender.reranker import load_reranker

logger = logging.getLogger(__name__)


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(flow.SESSION_KEY, {})
    return answers


def _step_url(step: flow.Step, changing: bool = False) -> str:
    url = reverse("what_matters:question", args=[step.slug])
    return f"{url}?change=1" if changing else url


def _choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    needs, interests = specs_from_db()
    return [(n.code, n.label) for n in needs], [(i.code, i.label) for i in interests]


def _form(step: flow.Step, answers: dict[str, Any], data: Any = None) -> QuestionForm:
    kwargs: dict[str, Any] = {"they": flow.asks_about_them(answers)}
    if step.form in (NeedsForm, InterestsForm):
        needs, interests = _choices()
        kwargs["choices"] = needs if step.form is NeedsForm else interests
    if data is not None:
        return step.form(data, **kwargs)
    return step.form(initial=flow.initial_for(step, answers), **kwargs)


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "recommender/start.html", {"first_step": flow.STEPS[0]})


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    step = flow.STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such question")
    answers = _answers(request)
    missing = flow.first_incomplete(answers)
    if missing is not None and flow.STEPS.index(missing) < flow.STEPS.index(step):
        return redirect(_step_url(missing))
    changing = request.GET.get("change") == "1"
    if not step.applies(answers):
        following = flow.next_step(step, answers)
        return redirect(_step_url(following) if following else reverse("what_matters:check"))
    form = _form(step, answers, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers.update(form.answers())
        if "in_person" not in answers.get("modes", ["in_person"]):
            answers.pop("distance", None)
        request.session[flow.SESSION_KEY] = answers
        # Changing one answer can make another question apply (travel, after "in person").
        following = flow.first_incomplete(answers) if changing else flow.next_step(step, answers)
        if following is None:
            return redirect("what_matters:check")
        return redirect(_step_url(following, changing))
    previous = flow.previous_step(step, answers)
    if changing:
        back = reverse("what_matters:check")
    elif previous is not None:
        back = _step_url(previous)
    else:
        back = reverse("what_matters:start")
    they = flow.asks_about_them(answers)
    fields = flow.field_views(form, step, they)
    # A choice question's first option has the field's id, so each message links to its input.
    errors = [
        {"href": f"#{f['id_for_label']}", "message": f["errors"][0]} for f in fields if f["errors"]
    ]
    context = {
        "step": step,
        "heading": step.heading(they),
        "fields": fields,
        "errors": errors,
        "back_url": back,
        "action": _step_url(step, changing),
        "number": flow.applicable(answers).index(step) + 1,
        "total": len(flow.applicable(answers)),
    }
    return render(request, "recommender/question.html", context, status=400 if errors else 200)


@never_cache
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = flow.first_incomplete(answers)
    if missing is not None:
        return redirect(_step_url(missing))
    needs, interests = _choices()
    rows = flow.summary_rows(answers, needs, interests)
    for row in rows:
        row["change_url"] = _step_url(flow.STEP_BY_SLUG[row["slug"]], changing=True)
    last = flow.applicable(answers)[-1]
    return render(request, "recommender/check.html", {"rows": rows, "back_url": _step_url(last)})


OTHERS_HEADING = "Other things near you"


def suggestions_for(request: HttpRequest, answers: dict[str, Any]) -> dict[str, Any]:
    """Suggestions with their pages: grouped under the needs they serve (and all of
    those as ``suggested``), then the others near the person, and all of them in
    order as ``results`` (listings
    withdrawn since the build, or no longer active, drop out)."""
    needs, interests = specs_from_db()
    found = suggest(
        get_artefacts(), flow.to_query(answers), needs, interests, reranker=load_reranker()
    )
    everything = [*found.suggestions, *found.others]
    pages = ServicePage.objects.active().in_bulk([s.listing_id for s in everything])

    def shown(suggestions: list[Suggestion], heading: str) -> list[dict[str, Any]]:
        rows = []
        for suggestion in suggestions:
            page = pages.get(suggestion.listing_id)  # type: ignore[call-overload]
            if page is not None:
                url = page.get_url(request)
                rows.append({"suggestion": suggestion, "page": page, "url": url, "group": heading})
        return rows

    groups = [
        {"label": group.label, "note": group.note, "results": shown(group.suggestions, group.label)}
        for group in found.groups()
    ]
    others = shown(found.others, OTHERS_HEADING)
    suggested = [row for group in groups for row in group["results"]]
    return {
        "groups": groups,
        "others": others,
        "suggested": suggested,
        "results": suggested + others,
    }


@never_cache
def results(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = flow.first_incomplete(answers)
    if missing is not None:
        return redirect(_step_url(missing))
    context = {
        **suggestions_for(request, answers),
        "others_heading": OTHERS_HEADING,
        "they": flow.asks_about_them(answers),
        "can_give_feedback": is_council_staff(request.user),
        "location": (answers.get("location") or {}).get("label", ""),
    }
    return render(request, "recommender/results.html", context)


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    if not is_council_staff(request.user):
        raise PermissionDenied("Only council staff can give feedback on suggestions.")
    form = FeedbackForm(request.POST)
    answers = _answers(request)
    if not form.is_valid() or flow.first_incomplete(answers) is not None:
        return HttpResponseBadRequest("Feedback needs a suggestion from this session.")
    listing_id = form.cleaned_data["listing_id"]
    # The features come from re-running the recommendation, never from the browser;
    # "other things near you" serve no need and have no scorer features to learn from.
    shown: dict[Any, Suggestion] = {
        r["suggestion"].listing_id: r["suggestion"]
        for r in suggestions_for(request, answers)["suggested"]
    }
    if listing_id not in shown:
        return HttpResponseBadRequest("That listing is not among the current suggestions.")
    SuggestionFeedback.objects.create(
        listing_id=listing_id,
        features=shown[listing_id].features,
        label=form.cleaned_data["label"],
        # Feedback has always recorded the most senior role, and "Administrator" for a superuser.
        role=staff_role(request.user, COUNCIL_STAFF_ROLES, superuser_label="Administrator"),
    )
    messages.success(request, f"Thank you. Your feedback on {shown[listing_id].title} is saved.")
    return redirect("what_matters:results")


@require_POST
@rate_limit("plans-save")
def save_plan(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if flow.first_incomplete(answers) is not None:
        return redirect("what_matters:check")
    saved = [
        {**r["suggestion"].as_dict(), "url": r["url"], "summary": r["page"].summary,
         "group": r["group"]}
        for r in suggestions_for(request, answers)["results"]
    ]  # fmt: skip
    plan = SavedPlan.objects.create(answers=answers_to_keep(answers), suggestions=saved)
    return redirect("what_matters:plan", token=plan.token)


def _summary(answers: dict[str, Any]) -> list[dict[str, str]]:
    needs, interests = _choices()
    return flow.summary_rows(answers, needs, interests)


def _current_plan(request: HttpRequest, token: str) -> SavedPlan | HttpResponse:
    """The plan, or a 404 page that says it may have expired (or been deleted)."""
    saved = SavedPlan.objects.current().filter(token=token).first()
    if saved is None:
        return render(request, "recommender/plan_gone.html", status=404)
    return saved


@never_cache
def plan(request: HttpRequest, token: str) -> HttpResponse:
    saved = _current_plan(request, token)
    if isinstance(saved, HttpResponse):
        return saved
    context = {"plan": saved, "rows": _summary(saved.answers), "others_heading": OTHERS_HEADING}
    response = render(request, "recommender/plan.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to listing sites
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def delete_plan(request: HttpRequest, token: str) -> HttpResponse:
    saved = _current_plan(request, token)
    if isinstance(saved, HttpResponse):
        return saved
    if request.method == "POST":
        saved.delete()
        return render(request, "recommender/plan_deleted.html")
    return render(request, "recommender/plan_delete.html", {"plan": saved})


@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    request.session.pop(flow.SESSION_KEY, None)
    return redirect("what_matters:start")
