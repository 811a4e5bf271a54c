from django.urls import path

from concord.events.views import manage, offline, organisers, public, registration

app_name = "events"
urlpatterns = [
    path("", public.event_list, name="list"),
    path("new/", manage.create, name="create"),
    path("timezone/", public.set_time_zone, name="time_zone"),
    path("feed.ics", public.feed, name="feed"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/event.ics", public.ics, name="ics"),
    path("<slug:slug>/register/", registration.register, name="register"),
    path("<slug:slug>/registration/", registration.registration, name="registration"),
    path("<slug:slug>/badge/", registration.badge, name="badge"),
    path("<slug:slug>/certificate/", registration.certificate, name="certificate"),
    path("<slug:slug>/participants/", public.participants, name="participants"),
    path("<slug:slug>/manage/", manage.manage, name="manage"),
    path("<slug:slug>/edit/", manage.edit, name="edit"),
    path("<slug:slug>/registrations/", organisers.registrations, name="registrations"),
    path("<slug:slug>/badges/", organisers.badges, name="badges"),
    path("<slug:slug>/checkin/", organisers.checkin, name="checkin"),
    path("<slug:slug>/checkin/count/", organisers.checkin_count, name="checkin_count"),
    path("<slug:slug>/checkin/kit/", offline.checkin_kit, name="checkin_kit"),
    path("<slug:slug>/checkin/kit/revoke/", offline.checkin_kit_revoke, name="checkin_kit_revoke"),
    path("<slug:slug>/checkin/sync/", offline.checkin_sync, name="checkin_sync"),
]
