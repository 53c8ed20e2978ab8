"""The image upload form of the portal's editors (WAGTAILIMAGES_IMAGE_FORM_BASE).

WHY: Wagtail checks an upload's size (10 MB) and pixel count (40 Mpx, which also stops
decompression bombs from the header) but Pillow only notices a truncated or corrupt file
when it reads the image data, and Wagtail 8 lets that OSError through: the editor got a
server error instead of a message. Here it becomes the form's "not a valid image" error,
and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f: Any) -> None:
        try:
            super().check_image_pixel_size(f)
        except OSError as exc:  # truncated or corrupt image data
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc


class PortalImageForm(BaseImageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the file field Wagtail built (with its limits and help text) gets our check; a
        # declared field would come back in Wagtail's edit form that excludes "file"
        field = self.fields.get("file")
        if type(field) is WagtailImageField:
            field.__class__ = CheckedImageField
