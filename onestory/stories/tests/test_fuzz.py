"""Whatever is posted to the entry form, the answer is a page or a redirect, never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestory.pods.models import Pod
from onestory.stories.forms import EntryForm
from onestory.test import LONG_AGO, make_family

fields = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(st.text(max_size=30), st.integers(-5, 10**6).map(str))
        for name in (
            "kind",
            "occurred_on_day",
            "occurred_on_month",
            "occurred_on_year",
            "occurred_time",
            "concerns",
            "seen",
            "seen_alone",
            "story",
            "not_for_sharing",
        )
    },
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=fields)
def test_the_entry_form_never_raises(db: None, data: dict[str, str]) -> None:
    pod = Pod.objects.get_or_create(name="Pod Fuzz", defaults={"formed": LONG_AGO})[0]
    family = make_family("Fuzz", pod)
    form = EntryForm({k: v.replace("\x00", "") for k, v in data.items()}, family=family)
    if form.is_valid():
        assert form.values()["story"]
    else:
        assert form.errors
