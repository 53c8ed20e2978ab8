"""The countries compared in share of voice: one setting, read by the monitor (which
articles get the model stages) and by Measure (the comparisons). Apart from both so that
neither imports the other for it."""

from __future__ import annotations

from django.conf import settings

from ttdn import config

DEFAULT_PEERS = ("VN", "TH", "ID", "MY", "PH", "SG", "KH", "LA", "CN")


def peer_countries() -> tuple[str, ...]:
    """Countries compared in share of voice: settings.TTDN_PEER_COUNTRIES, else the
    environment variable of the same name (comma-separated ISO codes), else the default."""
    configured = getattr(settings, "TTDN_PEER_COUNTRIES", None)
    if not configured:
        configured = config.env_list("TTDN_PEER_COUNTRIES", list(DEFAULT_PEERS))
    peers = [str(c).strip().upper() for c in configured if str(c).strip()]
    return tuple(dict.fromkeys(peers))
