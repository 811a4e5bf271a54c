from django.urls import path

from concord.declarations import views

app_name = "declarations"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/sign/", views.sign, name="sign"),
    path("<slug:slug>/signed/", views.signed, name="signed"),
    path("<slug:slug>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/resend/", views.resend, name="resend"),
    path("<slug:slug>/signatories/", views.signatories, name="signatories"),
    path("<slug:slug>/pdf/", views.pdf, name="pdf"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/review/", views.review, name="review"),
    path("<slug:slug>/import/", views.import_signatures, name="import"),
    path("<slug:slug>/import/<int:pk>/", views.import_job, name="import_job"),
]
