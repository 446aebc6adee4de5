"""The demo accounts' posts: the front-line accounts hold theirs in the first two pods on the
demo's day, whatever that day is, and the service-wide accounts hold theirs throughout."""

from __future__ import annotations

from datetime import date

# Each front-line demo account's post, where it is the current holder:
# username -> (pod index, role, which of the pod's posts in that role).
DEMO_POSITIONS = {
    "demo-pod-manager": (0, "pod_manager", 0),
    "demo-senior-social-worker": (0, "senior_social_worker", 0),
    "demo-social-worker": (0, "social_worker", 0),
    "demo-social-worker-in-training": (0, "social_worker_in_training", 0),
    "demo-business-support": (0, "business_support", 0),
    "demo-other-pod-social-worker": (1, "social_worker", 0),
}
# A front-line demo account holds its post from this day at the earliest.
DEMO_POSTS_FROM = date(2019, 1, 7)

# The service-wide demo accounts, outside any pod, in post since SERVICE_POSTS_FROM.
SERVICE_POSTS = (
    ("demo-head-of-service", "head_of_service"),
    ("demo-practice-lead", "practice_lead"),
    ("demo-quality-lead", "quality_lead"),
    ("demo-performance-analyst", "performance_analyst"),
    ("demo-information-governance", "information_governance"),
    ("demo-complaints-officer", "complaints_officer"),
)
SERVICE_POSTS_FROM = date(2012, 9, 3)


def demo_holder(pod_index: int, role: str, number: int) -> str | None:
    """The demo account that holds this post today, if any."""
    return next(
        (
            u
            for u, (p, r, n) in DEMO_POSITIONS.items()
            if p == pod_index and r == role and n == number
        ),
        None,
    )
