from django.urls import path

from concord.countries import views

app_name = "countries"
urlpatterns = [
    path("", views.about, name="about"),
    path("countries/", views.country_table, name="table"),
]
