"""A post's images and PDFs: checked as uploads are (an image re-encoded, a PDF clean), the
whole post refused when one file is not; shown on the thread as links with their sizes,
served to those who may read the post and to nobody else."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.groups.models import Attachment, Post
from concord.groups.services import moderation, posting
from tests.security.calls import pdf, png


def _thread(members, people):
    return posting.start_thread(people["fatou"], members, "Photos", "From the field visit").thread


def test_a_reply_with_an_image_and_a_pdf_by_the_web_form(client, members, people):
    thread = _thread(members, people)
    client.force_login(people["colleague"])
    url = f"/groups/{members.slug}/threads/{thread.pk}/"
    answer = client.post(url, {"body": "The dyke and the report", "files": [png(), pdf()]})
    assert answer.status_code == 302
    post = thread.posts.order_by("pk").last()
    kinds = sorted(post.attachments.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/webp"]
    page = client.get(url).content.decode()
    image = post.attachments.get(content_type="image/webp")
    document = post.attachments.get(content_type="application/pdf")
    assert image.name == "logo.webp" and "register.pdf" in page
    # A member gets both, the PDF as a download; the stored names are random.
    served = client.get(f"/media/{document.file.name}")
    assert served.status_code == 200 and served["Content-Disposition"].startswith("attachment")
    assert client.get(f"/media/{image.file.name}")["Content-Type"] == "image/webp"
    assert "register" not in document.file.name
    # The group is members-only: an outsider and a visitor are told nothing.
    client.force_login(people["outsider"])
    assert client.get(f"/media/{document.file.name}").status_code == 404
    client.logout()
    assert client.get(f"/media/{image.file.name}").status_code == 404


def test_a_file_that_is_not_an_image_or_a_pdf_refuses_the_whole_post(client, members, people):
    thread = _thread(members, people)
    client.force_login(people["colleague"])
    disguised = SimpleUploadedFile("minutes.pdf", b"<html><script>alert(1)</script></html>")
    answer = client.post(
        f"/groups/{members.slug}/threads/{thread.pk}/",
        {"body": "Minutes attached", "files": [png(), disguised]},
    )
    assert answer.status_code == 422
    assert "minutes.pdf is not a PDF or an image" in answer.content.decode()
    assert thread.posts.count() == 1 and not Attachment.objects.exists()


def test_at_most_so_many_files_each_within_the_size_limit(members, people, settings):
    thread = _thread(members, people)
    settings.GROUP_ATTACHMENTS = 2
    with pytest.raises(ValidationError) as refused:
        posting.reply(people["colleague"], thread, "Three", files=[png(), png(), pdf()])
    assert "Attach at most 2 files." in str(refused.value)
    settings.GROUP_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        posting.reply(people["colleague"], thread, "Big", files=[png()])
    assert "is too large" in str(refused.value)
    assert thread.posts.count() == 1 and not Attachment.objects.exists()


def test_a_new_thread_takes_files_too(client, members, people):
    client.force_login(people["fatou"])
    form = client.get(f"/groups/{members.slug}/threads/new/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    answer = client.post(
        f"/groups/{members.slug}/threads/new/",
        {"title": "Rain gauges", "body": "Where we put them", "files": [png()]},
    )
    assert answer.status_code == 302
    assert Post.objects.get().attachments.count() == 1


def test_a_hidden_posts_files_are_for_moderators_only(client, members, people):
    thread = _thread(members, people)
    post = posting.reply(people["colleague"], thread, "Look", files=[pdf()])
    moderation.hide(people["moderator"], post, "Off topic")
    name = post.attachments.get().file.name
    client.force_login(people["fatou"])
    assert client.get(f"/media/{name}").status_code == 404
    assert (
        "register.pdf"
        not in client.get(f"/groups/{members.slug}/threads/{thread.pk}/").content.decode()
    )
    client.force_login(people["moderator"])
    assert client.get(f"/media/{name}").status_code == 200
