"""The WebSub callback: hubs verify our intent (GET) and push new content (POST) here.

Public and CSRF-exempt by necessity (a hub is no browser and has no session); what makes it
safe is the unguessable token in the URL, the topic check on verification and the HMAC
signature on every delivery (see `ttdn.monitor.websub`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ttdn.monitor import websub


@csrf_exempt
@require_http_methods(["GET", "POST"])
def websub_callback(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        status, body = websub.websub_verify(token=token, params=request.GET.dict())
    else:
        status, body = websub.websub_receive(
            token=token,
            body=request.body,
            signature=request.headers.get("X-Hub-Signature", ""),
            content_type=request.headers.get("Content-Type", ""),
        )
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
