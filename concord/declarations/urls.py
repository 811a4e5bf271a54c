from django.urls import path

from concord.declarations.views import (
    brought,
    drafting,
    embed,
    images,
    log,
    manage,
    public,
    signers,
    watchers,
)

app_name = "declarations"
urlpatterns = [
    path("", public.declaration_list, name="list"),
    path("new/", manage.create, name="create"),
    path("outcomes/<slug:event>/", manage.link_outcome, name="link_outcome"),
    path("signatures/mine/", signers.mine, name="mine"),
    path("log/verifier.py", log.verifier_file, name="verifier"),
    path("signatures/mine/<int:pk>/withdraw/", signers.withdraw_mine, name="withdraw_mine"),
    path("signatures/mine/<int:pk>/hide/", signers.hide_name, name="hide_name"),
    path("<slug:slug>/", public.detail, name="detail"),
    path("<slug:slug>/map.svg", watchers.world_map, name="map"),
    path("<slug:slug>/sign/", public.sign, name="sign"),
    path("<slug:slug>/embed/", embed.embed, name="embed"),
    path("<slug:slug>/badge.svg", images.badge, name="badge"),
    path("<slug:slug>/share.png", images.share_image, name="share_image"),
    path("<slug:slug>/signed/", public.signed, name="signed"),
    path("<slug:slug>/confirm/<str:token>/", public.confirm, name="confirm"),
    path("<slug:slug>/resend/", public.resend, name="resend"),
    path("<slug:slug>/withdraw/<str:token>/", signers.withdraw, name="withdraw"),
    path("<slug:slug>/signatories/", public.signatories, name="signatories"),
    path("<slug:slug>/pdf/", public.pdf, name="pdf"),
    path("<slug:slug>/log/", log.log_page, name="log"),
    path("<slug:slug>/verify/", log.verify, name="verify"),
    path("<slug:slug>/receipt/<str:token>/", log.receipt_page, name="receipt"),
    path("<slug:slug>/brought/<int:organisation>/", brought.brought, name="brought"),
    path("<slug:slug>/manage/", manage.manage, name="manage"),
    path("<slug:slug>/drafting/", drafting.drafting_page, name="drafting"),
    path("<slug:slug>/drafting/compare/", drafting.compare, name="drafting_compare"),
    path("<slug:slug>/drafting/manage/", drafting.manage, name="drafting_manage"),
    path(
        "<slug:slug>/drafting/comments/<int:pk>/", drafting.edit_comment, name="edit_comment"
    ),
    path("<slug:slug>/review/", manage.review_signatures, name="review"),
    path("<slug:slug>/import/", manage.import_signatures, name="import"),
    path("<slug:slug>/import/<int:pk>/", manage.import_job, name="import_job"),
]
