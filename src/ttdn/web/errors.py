"""Error pages (404, 403, 400, 500) in the platform's layout and the reader's language.

Why own handlers instead of Django's 404.html/500.html: Django renders 500.html without the
request, so the layout (navigation, language switcher, who is logged in) could not be drawn.
A 500 page that itself fails falls back to a plain page, never to a second traceback.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    context = {"error_code": status, "error_title": title, "error_text": text}
    return render(request, "web/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        _("Yêu cầu không hợp lệ"),
        _("Máy chủ không hiểu yêu cầu này. Hãy quay lại và thử lại."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("Không có quyền truy cập"),
        _(
            "Vai trò của bạn không được xem hoặc thay đổi nội dung này. Nếu cần, hãy liên hệ "
            "quản trị viên của đơn vị."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Không tìm thấy trang"),
        _(
            "Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ, hoặc đi "
            "tiếp từ một trong các trang dưới đây."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    title = _("Đã có lỗi ở máy chủ")
    text = _("Lỗi đã được ghi lại để quản trị viên xử lý. Hãy thử lại sau ít phút.")
    try:
        return _error(request, 500, title, text)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        logger.exception("the 500 page could not be rendered")
        return HttpResponseServerError(
            f"<!DOCTYPE html><meta charset=utf-8><title>{title}</title>"
            f"<h1>{title}</h1><p>{text}</p><p><a href='/'>TTĐN</a></p>"
        )
