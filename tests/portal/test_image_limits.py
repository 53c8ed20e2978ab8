"""Images editors upload: oversized (> 10 MB), truncated and decompression-bomb (> 40 Mpx)
files are refused with a clear message and nothing is stored; a normal image is accepted.
Through the Wagtail admin's upload form, as an editor uses it."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.conftest import login
from tests.factories import UserFactory
from ttdn.accounts.models import Role

pytestmark = pytest.mark.django_db
ADD = "/quang-ba/quan-tri/images/add/"


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "#3f7d3a").save(buffer, "PNG")
    return buffer.getvalue()


def _bomb_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring width x height pixels, with a tiny compressed body
    (what a decompression bomb looks like to a server that trusts the header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * width
    body = zlib.compress(row * 16, 9)  # only the first rows; the header says the rest
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def _upload(client: Client, name: str, content: bytes) -> tuple[int, str]:
    response = client.post(
        ADD,
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    return response.status_code, response.content.decode()


@pytest.fixture
def editor_client(portal, client: Client) -> Client:  # type: ignore[no-untyped-def]
    login(client, UserFactory(role=Role.PORTAL_EDITOR))
    client.cookies["django_language"] = "en"  # the staff interface in English
    return client


def test_a_normal_image_is_accepted(editor_client: Client) -> None:
    Image = get_image_model()
    before = Image.objects.count()
    status, _html = _upload(editor_client, "cay-che.png", _png(400, 300))
    assert status == 302
    assert Image.objects.count() == before + 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("to.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (10 * 1024 * 1024 + 1), "This file is too big"),
        ("cut.png", _png(400, 300)[:200], "corrupted image"),
        ("bomb.png", _bomb_png(8000, 6000), "too many pixels"),
    ],
    ids=["oversized-10MB", "truncated", "decompression-bomb-48Mpx"],
)
def test_bad_images_are_refused_with_a_clear_error(
    editor_client: Client, name: str, content: bytes, message: str
) -> None:
    Image = get_image_model()
    before = Image.objects.count()
    status, html = _upload(editor_client, name, content)
    assert status == 200  # the form again, with the error, not a crash
    assert "error-message" in html or "w-field__errors" in html
    errors = re.findall(r'<p class="error-message">(.*?)</p>', html, re.S)
    assert any(message in error for error in errors), errors
    assert Image.objects.count() == before  # nothing stored
