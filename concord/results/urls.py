from django.urls import path

from concord.results.views import projects, updates

app_name = "results"
urlpatterns = [
    path("", projects.dashboard, name="dashboard"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/results/new/", projects.result_add, name="result_add"),
    path("projects/<int:pk>/results.csv", projects.project_csv, name="project_csv"),
    path("projects/<int:pk>/report.pdf", projects.project_pdf, name="project_pdf"),
    path("projects/<int:pk>/report/", projects.project_report, name="project_report"),
    path("projects/<int:pk>/iati.xml", projects.project_xml, name="project_xml"),
    path("results/<int:pk>/indicators/new/", projects.indicator_add, name="indicator_add"),
    path("indicators/<int:pk>/periods/new/", projects.period_add, name="period_add"),
    path("periods/<int:pk>/updates/new/", updates.update_add, name="update_add"),
    path("updates/<int:pk>/", updates.update_detail, name="update"),
    path("updates/<int:pk>/edit/", updates.update_edit, name="update_edit"),
    path("updates/<int:pk>/<str:action>/", updates.update_action, name="update_action"),
    path("review/", updates.review, name="review"),
    path("organisations/<int:pk>/", projects.organisation_dashboard, name="organisation"),
    path("organisations/<int:pk>/import/", updates.import_updates, name="import"),
]
