from django.urls import path

from concord.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review, name="review"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review_action, name="review_action"),
    path("<int:pk>/review/media/", views.review_media, name="review_media"),
    path("<int:pk>/translate/", views.translate, name="translate"),
    path("<int:pk>/media/", views.media, name="media"),
    path("<int:pk>/adaptations/", views.adapt, name="adapt"),
    path("<int:pk>/contact/", views.contact, name="contact"),
]
