from django.apps import AppConfig


class PodsConfig(AppConfig):
    name = "onestory.pods"
    verbose_name = "Pods and staff"
