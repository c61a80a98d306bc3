"""The moderators' screens: the queue, the review screen (the change beside the live
listing, with Approve and Request changes), and Wagtail's own workflow views for
listings with a message required to send a change back.

Every decision goes through ``Task.on_action``, the path Wagtail's own buttons take, so
Wagtail's signals (``task_rejected``, ``workflow_approved``…) and its publish fire as
usual.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.revisions import RevisionsCompareView
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from cms.workflows.roles import is_council_manager
from lifecycle.moderation import (
    REJECT,
    form_for_action,
    moderation_queue,
    organisation_of,
    page_in_moderation,
    rejection_problem,
)


def may_see_queue(user: Any) -> bool:
    return is_council_manager(user)


def queue(request: HttpRequest) -> HttpResponse:
    if not may_see_queue(request.user):
        raise PermissionDenied
    waiting = moderation_queue()
    return render(
        request,
        "lifecycle/admin/moderation_queue.html",
        {
            "page_title": "Awaiting approval",
            "header_title": "Awaiting approval",
            "waiting": waiting,
            "now": timezone.now(),
        },
    )


class ReviewView(RevisionsCompareView):
    """Wagtail's "compare with live" for the revision awaiting approval, with the
    decision on the same screen."""

    template_name = "lifecycle/admin/moderation_review.html"
    page_title = "Review changes"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        task_state = page_in_moderation(page)
        task = task_state.task.specific if task_state else None
        # Council managers see every review; anyone else only one they may decide.
        may_decide = task is not None and bool(task.get_actions(page, request.user))
        if not (may_see_queue(request.user) or may_decide):
            raise PermissionDenied
        self.decided_title = ""
        if task_state is None or task is None:
            # Decided meanwhile (by another moderator, or before this email was
            # opened): say so rather than show an error.
            self.request, self.args, self.kwargs = request, args, kwargs
            self.decided_title = page.get_admin_display_title()
            return
        self.task_state = task_state
        self.task = task
        self.is_new = not page.live
        # A listing never published has no live version: its revision is all new.
        super().setup(
            request,
            pk=page.pk,
            revision_id_a="live",
            revision_id_b=str(task_state.revision_id),
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.decided_title:
            messages.info(request, f"'{self.decided_title}' is not awaiting approval any more.")
            return redirect("moderation_queue")
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    @property
    def actions(self) -> list[tuple[str, str, bool]]:
        return list(self.task.get_actions(self.object, self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.is_new:
            context["comparison"] = []
        reject_form = kwargs.get("reject_form") or form_for_action(self.task, REJECT)
        context.update(
            {
                "task_state": self.task_state,
                "is_new": self.is_new,
                "organisation": organisation_of(self.object),
                "can_decide": bool(self.actions),
                "reject_form": reject_form() if isinstance(reject_form, type) else reject_form,
                "submitted_at": self.task_state.started_at,
                "waiting": timezone.now() - self.task_state.started_at,
            }
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in {name for name, _, _ in self.actions}:
            raise PermissionDenied
        form_class = form_for_action(self.task, action)
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            return self.render_to_response(self.get_context_data(reject_form=form))
        data = form.cleaned_data if form is not None else {}
        self.task.on_action(self.task_state, request.user, action, **data)
        title = self.object.get_admin_display_title()
        if action == REJECT:
            messages.success(request, f"Changes requested on '{title}'. Its editors are emailed.")
        else:
            messages.success(request, f"'{title}' approved. Its editors are emailed.")
        return redirect("moderation_queue")


review = ReviewView.as_view()


# --- Wagtail's own workflow screens, for listings --------------------------------------


class MessageRequiredWorkflowActionView(WorkflowActionView):
    """The dashboard's and the modal's "Request changes": the message is required."""

    def get_form_class(self) -> Any:
        return form_for_action(self.task, self.action_name)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        problem = rejection_problem(self.task, self.action_name, request.POST.dict())
        if problem and request.headers.get("x-requested-with") != "XMLHttpRequest":
            messages.error(request, problem)
            return redirect(self.redirect_url)
        return super().post(request, *args, **kwargs)


class MessageRequiredCollectDataView(CollectWorkflowActionDataView):
    """The editor's footer "Request changes" modal: the message is required."""

    def get_form_class(self) -> Any:
        return form_for_action(self.task, self.action_name)


class MessageRequiredEditView(EditView):
    """The editor's form posts the modal's data again: check it here too, so a
    rejection without a message is refused however it is sent."""

    def perform_workflow_action(self) -> HttpResponse:
        task = self.page.current_workflow_task
        try:
            data = json.loads(self.request.POST.get("workflow-action-extra-data", "{}"))
        except ValueError:
            data = {}
        problem = rejection_problem(
            task, self.workflow_action, data if isinstance(data, dict) else {}
        )
        if problem:
            messages.error(self.request, problem)
            return self.redirect_and_remain()
        response: HttpResponse = super().perform_workflow_action()
        return response


class ListingPageViewSet(PageViewSet):
    """Wagtail's page views for a listing type, with the message required on a
    rejection. The explorer's listings are left as Wagtail has them."""

    workflow_action_view_class = MessageRequiredWorkflowActionView
    collect_workflow_action_data_view_class = MessageRequiredCollectDataView
    edit_view_class = MessageRequiredEditView
    parent_models: list[type[Page]] = []
