from __future__ import annotations

from collections.abc import Iterator

import pytest

from onestory.exports.tests import helpers


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    helpers.register_test_kinds()
    helpers.REFUSED.clear()
    helpers.STEPS.clear()
    yield
    helpers.REFUSED.clear()
