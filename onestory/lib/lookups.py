"""`field__any_of=[ids]`: the list as one PostgreSQL array, `field = ANY(%s)`.

Django writes `field__in=[...]` as one placeholder per value. A pod's pages ask about its five
hundred children in several queries, and binding and splitting those thousands of placeholders
cost the home more Python time than the queries took to run. One array parameter says the same
thing to the planner (an `= ANY` over a constant array is planned like an IN list).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup


class AnyOf(Lookup[Any]):
    lookup_name = "any_of"
    # The values are ids, passed as they are: not one by one through the field's preparation.
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


for field in (models.ForeignKey, models.AutoField, models.BigAutoField, models.IntegerField):
    field.register_lookup(AnyOf)
