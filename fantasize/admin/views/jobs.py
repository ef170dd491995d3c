"""Staff pages for background jobs: the ones that failed, with their error and a retry button.

- ``/admin/jobs``: jobs in RQ's failed registries (after their last retry) and the messages
  that did not go out (refused by the mail server or the push service, or out of retries)
- ``POST /admin/jobs/<job_id>/retry`` and ``/discard``; ``POST /admin/jobs/deliveries/<id>/retry``
"""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.wrappers import Response

from fantasize import jobs
from fantasize.accounts.permissions import permission_required
from fantasize.connections import redis_connection
from fantasize.errors import NotFound
from fantasize.notifications import services as notifications
from fantasize.notifications.kinds import KINDS
from fantasize.web.forms import flash_and_redirect

bp = Blueprint("admin_jobs", __name__, url_prefix="/admin/jobs")


@bp.get("")
@permission_required("jobs.manage")
def failed() -> str:
    return render_template(
        "admin/jobs/failed.html",
        failed_jobs=jobs.failed_jobs(),
        failed_deliveries=notifications.failed_deliveries(),
        inline=redis_connection() is None,
        kinds=KINDS,
    )


@bp.post("/<job_id>/retry")
@permission_required("jobs.manage")
def retry(job_id: str) -> Response:
    if not jobs.retry_failed_job(job_id):
        raise NotFound("This job is not in the failed list any more.")
    return flash_and_redirect(f"Job {job_id} is back on its queue.", url_for("admin_jobs.failed"))


@bp.post("/<job_id>/discard")
@permission_required("jobs.manage")
def discard(job_id: str) -> Response:
    if not jobs.discard_failed_job(job_id):
        raise NotFound("This job is not in the failed list any more.")
    return flash_and_redirect(f"Job {job_id} was discarded.", url_for("admin_jobs.failed"))


@bp.post("/deliveries/<int:delivery_id>/retry")
@permission_required("jobs.manage")
def retry_delivery(delivery_id: int) -> Response:
    delivery = notifications.retry_delivery(delivery_id)
    return flash_and_redirect(
        f"The {delivery.channel} message #{delivery.id} will be sent again.", url_for("admin_jobs.failed")
    )
