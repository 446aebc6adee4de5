from __future__ import annotations

import pytest

from onestory.pods.tests.fixtures import Harbour, make_harbour
from onestory.test import Cast


@pytest.fixture
def harbour(cast: Cast) -> Harbour:
    return make_harbour(cast)
