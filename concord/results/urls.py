from django.urls import path

from concord.results import views

app_name = "results"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/results/new/", views.result_add, name="result_add"),
    path("projects/<int:pk>/results.csv", views.project_csv, name="project_csv"),
    path("projects/<int:pk>/report.pdf", views.project_pdf, name="project_pdf"),
    path("projects/<int:pk>/iati.xml", views.project_xml, name="project_xml"),
    path("results/<int:pk>/indicators/new/", views.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/periods/new/", views.period_add, name="period_add"),
    path("periods/<int:pk>/updates/new/", views.update_add, name="update_add"),
    path("updates/<int:pk>/", views.update_detail, name="update"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update_edit"),
    path("updates/<int:pk>/<str:action>/", views.update_action, name="update_action"),
    path("review/", views.review, name="review"),
    path("organisations/<int:pk>/", views.organisation_dashboard, name="organisation"),
    path("organisations/<int:pk>/import/", views.import_updates, name="import"),
]
