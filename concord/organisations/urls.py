from django.urls import path

from concord.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("apply/", views.apply, name="apply"),
    path("applications/", views.review, name="review"),
    path("invitations/<str:token>/", views.accept, name="accept"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review_action, name="review_action"),
    path("<int:pk>/identity/<str:action>/", views.review_identity, name="review_identity"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/representatives/", views.invite, name="invite"),
    path(
        "<int:pk>/representatives/<int:user_id>/remove/",
        views.remove_representative,
        name="remove_representative",
    ),
]
