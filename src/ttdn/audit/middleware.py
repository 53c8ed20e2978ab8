from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ttdn.audit.context import RequestContext, client_ip, current


class AuditContextMiddleware:
    """Make the acting user and address visible to the audit receivers for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        token = current.set(
            RequestContext(
                user_id=user.pk if authenticated else None,
                username=user.get_username() if authenticated else "",
                ip_address=client_ip(request.META),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
