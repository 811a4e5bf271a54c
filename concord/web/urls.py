from django.urls import path

from concord.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("my/", views.mine, name="mine"),
    path("account/my-data/", views.download_data, name="download_data"),
    path("account/delete/", views.delete_account, name="delete_account"),
]
