from __future__ import annotations

from django.db import models

from onestory.accounts.models import User


class DemoCouncil(models.Model):
    """Marks a database as holding the fictional demo council, and how it was made.

    Its shared password is kept here so the sign-in page can show it, but only in demo mode,
    which the deploy check refuses; real councils never have a row here.
    """

    password = models.CharField(max_length=128)
    scale = models.CharField(max_length=20)
    seed = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Demo council ({self.scale}, seed {self.seed})"

    @property
    def accounts(self) -> models.QuerySet[User]:
        return User.objects.filter(is_demo=True).order_by("username")
