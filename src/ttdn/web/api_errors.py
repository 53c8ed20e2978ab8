"""One error format, in one language, for both JSON APIs (staff /api/ and open /api/open/).

Every error is `{"detail": "<one sentence>", "errors": {"<parameter>": ["<message>", …]}}`
(`errors` only when parameters are at fault), in the language of the request (the language
cookie set by the interface, else Vietnamese). Why: the validator (pydantic) speaks English
and answers 422 with a list; a caller should read one shape and one language whatever
failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

try:  # django-ninja >= 1.6 wants Status(...) instead of (code, body) tuples
    from ninja import Status as _Status
except ImportError:  # pragma: no cover - older django-ninja
    _Status = None


class ErrorOut(Schema):
    """The one error shape of every API (documented in each operation's responses)."""

    detail: str
    errors: dict[str, list[str]] | None = None


# every open operation may answer: bad parameters, a wrong key, too many requests
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 429: ErrorOut}


def status(code: int, body: Any) -> Any:
    """An answer with a status other than the operation's first (ninja's own spelling)."""
    return _Status(code, body) if _Status is not None else (code, body)


def error_400(exc: ValidationError) -> Any:
    """A model or service ValidationError as the documented 400: every message in `detail`,
    per field in `errors` (`__all__` for errors not tied to one field)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return status(400, {"detail": " ".join(exc.messages), "errors": errors})


# extra, clearer messages for a parameter (e.g. the open API's page limits)
ParameterMessage = Callable[[str], str | None]


def _message(error: dict[str, Any]) -> str:
    """The validator's error type in words (its own English text is never shown)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Thiếu tham số bắt buộc.")
    if kind.startswith("int_"):
        return _("Phải là một số nguyên.")
    if kind.startswith("float_"):
        return _("Phải là một số.")
    if kind.startswith("bool_"):
        return _("Phải là true hoặc false.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Phải là một ngày có thật, dạng YYYY-MM-DD.")
    if kind in ("literal_error", "enum"):
        return _("Giá trị không được chấp nhận; các giá trị được phép: %(allowed)s.") % {
            "allowed": str(ctx.get("expected", "")).replace("'", "")
        }
    if kind in ("greater_than_equal", "greater_than"):
        return _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("less_than_equal", "less_than"):
        return _("Phải nhỏ hơn hoặc bằng %(n)s.") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind.startswith("string_too_long"):
        return _("Dài quá %(n)s ký tự.") % {"n": ctx.get("max_length", "")}
    if kind.startswith("string_too_short"):
        return _("Không được để trống.")
    if kind in ("json_invalid", "model_attributes_type", "dict_type"):
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    return _("Giá trị không hợp lệ.")


def validation_body(
    errors: list[dict[str, Any]], parameter_message: ParameterMessage | None = None
) -> dict[str, Any]:
    by_name: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        # a filter schema nests its fields one level down (Query[FilterQuery])
        name = loc[-1] if loc else "request"
        text = (parameter_message(name) if parameter_message else None) or _message(error)
        if text not in by_name.setdefault(name, []):
            by_name[name].append(text)
    detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in by_name.items())
    return {"detail": _("Tham số không hợp lệ.") + " " + detail, "errors": by_name}


def install(api: NinjaAPI, *, parameter_message: ParameterMessage | None = None) -> None:
    """Register the shared error handlers on `api` (400 for every invalid parameter)."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        body = validation_body(list(exc.errors), parameter_message)
        return api.create_response(request, body, status=400)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        text = str(exc)
        if not text or text == "Unauthorized":  # ninja's default English word
            text = _("Cần đăng nhập hoặc khóa API hợp lệ.")
        return api.create_response(request, {"detail": text}, status=exc.status_code)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        text = str(exc) if exc.args else ""
        return api.create_response(request, {"detail": text or _("Không tìm thấy.")}, status=404)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
