from django.urls import path

from concord.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("tokens/", views.create_token, name="create_token"),
    path("bounces/reset/", views.reset_bounces, name="reset_bounces"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
