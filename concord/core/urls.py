from django.urls import path

from concord.core import mail_pages

app_name = "core"

urlpatterns = [
    path("preferences/<str:token>/", mail_pages.mail_preferences, name="mail_preferences"),
]
