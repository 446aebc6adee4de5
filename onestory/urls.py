from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from onestory.accounts import views as account_views
from onestory.core import views as core_views

admin.site.site_header = f"One Story administration ({settings.COUNCIL_NAME})"
admin.site.site_title = "One Story administration"

urlpatterns = [
    path("", include("onestory.core.urls")),
    path("", include("onestory.families.urls")),
    path("", include("onestory.families.access_urls")),
    path("", include("onestory.stories.urls")),
    path("pods/", include("onestory.pods.urls")),
    path("supervision/", include("onestory.supervision.urls")),
    path("audits/", include("onestory.audits.urls")),
    path("your-voice/", include("onestory.surveys.urls")),
    path("complaints/", include("onestory.feedback.urls")),
    path("pre-proceedings/", include("onestory.preproceedings.urls")),
    path("outcomes/", include("onestory.outcomes.urls")),
    path("returns/", include("onestory.returns.urls")),
    path("retention/", include("onestory.retention.urls")),
    path("exports/", include("onestory.exports.urls")),
    # Public: families send a compliment or a complaint without signing in.
    path("feedback/", include("onestory.feedback.public_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    # Before the admin's own: its sign-in page would take a password alone (docs/security.md,
    # promise 14).
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

handler403 = "onestory.core.views.forbidden"
handler404 = "onestory.core.views.not_found"
handler500 = "onestory.core.views.server_error"
