from django.urls import path

from concord.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("requests/new/", views.post_request, name="post"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/interest/", views.express_interest, name="express_interest"),
    path("requests/<int:pk>/close/", views.close_request, name="close"),
    path(
        "interests/<int:pk>/<str:action>/",
        views.answer_interest,
        name="answer_interest",
    ),
    path("active/", views.partnership_list, name="partnerships"),
    path("active/<int:pk>/", views.partnership_detail, name="partnership"),
    path(
        "active/<int:pk>/partners/<int:organisation>/<str:action>/",
        views.answer_partnership,
        name="answer_partnership",
    ),
    path("active/<int:pk>/deliverables/", views.add_deliverable, name="add_deliverable"),
    path("active/<int:pk>/reports/", views.file_report, name="file_report"),
    path("funding/", views.funding_calls, name="calls"),
    path("funding/new/", views.new_call, name="new_call"),
    path("funding/<int:pk>/", views.call_detail, name="call"),
    path("funding/<int:pk>/track/", views.track, name="track"),
    path("organisations/<int:pk>/funding/", views.funding_matches, name="funding_matches"),
    path("organisations/<int:pk>/languages/", views.working_languages, name="working_languages"),
    path("digest/", views.digest_settings, name="digest"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
