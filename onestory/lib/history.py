from __future__ import annotations

import pghistory


def history() -> tuple[pghistory.Tracker, ...]:
    """Every change to case data is kept, deletes included (SECURITY 10).

    A fresh set of trackers for each model: pghistory binds a tracker to the model it tracks.
    """
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
