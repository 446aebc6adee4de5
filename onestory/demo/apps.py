from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional demo council: its generator, its marker record and `seed_demo`.

    Last in the dependency order (docs/architecture.md): it may use every other app's models,
    and no other app's models use it.
    """

    name = "onestory.demo"
    verbose_name = "Demo council"
