"""Uploaded images: checked by content (not by name), size-limited and re-encoded.

Re-encoding drops everything but the pixels (EXIF location, comments, scripts hidden in
the file) and bounds the size; the pixel limit defuses decompression bombs.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from concord.core.numbers import figure

ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000


def reencode_image(upload, *, max_bytes: int, max_side: int) -> ContentFile:
    """Return a clean WebP copy of `upload`, or raise ValidationError saying what is wrong."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large (%(size)s KB); the limit is %(limit)s KB.")
            % {"size": figure(upload.size // 1024), "limit": figure(max_bytes // 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Upload a PNG, JPEG, WebP or GIF image."), code="format"
                    )
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(_("The image has too many pixels."), code="pixels")
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as original:
                image = ImageOps.exif_transpose(original) or original
                image.thumbnail((max_side, max_side))
                if image.mode not in ("RGB", "RGBA"):
                    image = image.convert("RGBA")
                out = io.BytesIO()
                image.save(out, format="WEBP", quality=85)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The file is not an image we can read."), code="invalid") from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image file is damaged."), code="invalid") from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp")
