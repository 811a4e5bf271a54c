"""Logos are checked by content, size-limited, re-encoded and stripped of metadata."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from concord.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def image_file(name="logo.png", size=(800, 600), fmt="PNG", exif=False):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (11, 110, 79))
    if exif:
        data = Image.Exif()
        data[0x8825] = {2: (14.0, 41.0, 0.0)}  # GPS latitude
        image.save(buffer, format=fmt, exif=data)
    else:
        image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def post_edit(client, owner, organisation, logo):
    client.force_login(owner)
    return client.post(
        reverse("organisations:edit", args=[organisation.pk]),
        {"name": organisation.name, "country": "SN", "kind": "ngo", "logo": logo},
    )


def test_logo_is_resized_and_reencoded_without_location(client, owner, member_org):
    response = post_edit(
        client, owner, member_org, image_file("photo.jpg", (2000, 1000), "JPEG", exif=True)
    )
    assert response.status_code == 302
    member_org.refresh_from_db()
    with Image.open(member_org.logo.path) as stored:
        assert stored.format == "WEBP"
        assert max(stored.size) == 400
        assert not stored.getexif()


def test_a_script_named_png_is_refused(client, owner, member_org):
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = post_edit(client, owner, member_org, fake)
    assert response.status_code == 200
    assert "not an image we can read" in response.text
    assert not Organisation.objects.get(pk=member_org.pk).logo


def test_an_oversized_file_is_refused(client, owner, member_org, settings):
    settings.LOGO_MAX_BYTES = 1024
    response = post_edit(client, owner, member_org, image_file(size=(600, 600)))
    assert "too large" in response.text
    assert not Organisation.objects.get(pk=member_org.pk).logo


def claimed_size_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims the given size (a decompression bomb's disguise)."""
    data = bytearray(image_file(size=(1, 1)).read())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


def test_a_decompression_bomb_is_refused(client, owner, member_org):
    bomb = SimpleUploadedFile("logo.png", claimed_size_png(30000, 30000), content_type="image/png")
    response = post_edit(client, owner, member_org, bomb)
    assert response.status_code == 200
    assert not Organisation.objects.get(pk=member_org.pk).logo


def test_an_svg_is_refused(client, owner, member_org):
    svg = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    )
    response = post_edit(client, owner, member_org, svg)
    assert response.status_code == 200
    assert not Organisation.objects.get(pk=member_org.pk).logo
