"""The demo council: a fictional children's service generated from a seed.

The generator works month by month from January 2014 to the given day, like a stock-and-flow
model. Each month it first ends what is due to end, then starts just enough new child protection
plans and care episodes for the counts on the first of the next month to follow the council's
trajectory (`calibration`, from docs/domain.md), and starts the care applications the
quarter needs. Because the counts are steered at month boundaries, the figures on 1 October 2015
and 1 January 2019 land on target by construction, and a test checks them from the records.

Everything random comes from `random.Random(seed)` (and, for review conferences and for the
details the statutory returns need, generators of their own derived from the seed), so one seed
and one day give the same council. The records are made as the DfE's rules for the SSDA903
return and the CIN census ask (decision 0023), with real postcodes (`postcodes`). Rows are plain
dicts keyed by model field names, with ids we assign; `onestory.demo.load` writes them with COPY.

The stages, in the order `build.Council` runs them:

- `staff`: the pods and the people who held each post over time (`demo_posts`: the demo
  accounts' own posts);
- `month`, each month: `protection` (CP plans), `care` (care episodes), `proceedings`,
  `short_breaks` and `referrals`, all opening families through `people` and CIN episodes
  through `children_in_need`;
- `protection.conferences_on_working_days`, then `protection.cp_reviews`, once every plan's
  end is final;
- `allocations`: each child's workers;
- `closing` and `restrictions`: families closed, restricted families named.

`state` holds what passes between them: the rows (`Table`), the generators and the open cases.
"""

from onestory.demo.council.build import Council
from onestory.demo.council.calibration import MODEL_STARTED, NO_AGENCY_FROM, PODS, SCALES, START
from onestory.demo.council.demo_posts import DEMO_POSITIONS
from onestory.demo.council.state import DemoUser, Table

__all__ = [
    "DEMO_POSITIONS",
    "MODEL_STARTED",
    "NO_AGENCY_FROM",
    "PODS",
    "SCALES",
    "START",
    "Council",
    "DemoUser",
    "Table",
]
