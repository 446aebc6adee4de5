from __future__ import annotations

import pytest

from onestory.audits.tests.helpers import World, make_world
from onestory.test import Cast


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)
