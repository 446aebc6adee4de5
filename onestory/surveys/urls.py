"""Your Voice, the staff survey: waves, questions, anonymous responses and results (issue 14)."""

from django.urls import URLPattern, URLResolver, path

from onestory.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("waves/<int:pk>/answer/", views.answer, name="answer"),
    path("waves/open/", views.open_new_wave, name="open_wave"),
    path("waves/<int:pk>/close/", views.close, name="close_wave"),
    path("questions/", views.questions, name="questions"),
    path("results/", views.results, name="results"),
    path("results/your-voice.csv", views.results_csv, name="results_csv"),
    path("results/<int:pk>/", views.wave_detail, name="wave_results"),
    path("results/<int:pk>/your-voice.csv", views.wave_csv, name="wave_csv"),
    path("results/<int:pk>/free-text/", views.free_text, name="free_text"),
]
