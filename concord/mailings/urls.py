from django.urls import path

from concord.mailings import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="list"),
    path("new/", views.compose, name="new"),
    path("audiences/", views.audiences, name="audiences"),
    path("news/", views.news, name="news"),
    path("news/feed/", views.feed, name="feed"),
    path("news/<int:pk>/", views.public, name="public"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.compose, name="edit"),
    path("<int:pk>/test/", views.send_test, name="test"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/pause/", views.pause, name="pause"),
    path("<int:pk>/resume/", views.resume, name="resume"),
]
