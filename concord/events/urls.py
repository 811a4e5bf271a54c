from django.urls import path

from concord.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.create, name="create"),
    path("timezone/", views.set_time_zone, name="time_zone"),
    path("feed.ics", views.feed, name="feed"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/event.ics", views.ics, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registration/", views.registration, name="registration"),
    path("<slug:slug>/badge/", views.badge, name="badge"),
    path("<slug:slug>/certificate/", views.certificate, name="certificate"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/badges/", views.badges, name="badges"),
    path("<slug:slug>/checkin/", views.checkin, name="checkin"),
    path("<slug:slug>/checkin/count/", views.checkin_count, name="checkin_count"),
]
