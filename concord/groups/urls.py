from django.urls import path

from concord.groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.create, name="new"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/delivery/", views.delivery, name="delivery"),
    path("<slug:slug>/members/<int:pk>/approve/", views.approve, name="approve"),
    path("<slug:slug>/members/<int:pk>/remove/", views.remove, name="remove"),
    path("<slug:slug>/threads/new/", views.new_thread, name="new_thread"),
    path("<slug:slug>/threads/<int:pk>/", views.thread, name="thread"),
    path("<slug:slug>/threads/<int:pk>/state/", views.thread_state, name="thread_state"),
    path("<slug:slug>/threads/<int:pk>/close/", views.close, name="close"),
    path("<slug:slug>/threads/<int:pk>/poll/", views.new_poll, name="new_poll"),
    path("<slug:slug>/polls/<int:pk>/vote/", views.vote, name="vote"),
    path("<slug:slug>/posts/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("<slug:slug>/posts/<int:pk>/report/", views.report, name="report"),
    path("<slug:slug>/posts/<int:pk>/hide/", views.hide, name="hide"),
]
