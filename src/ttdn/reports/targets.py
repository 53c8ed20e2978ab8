"""What an evaluation report shows "against targets": provided by the app that keeps the
targets (Coordinate registers `evaluations_with_targets` from its AppConfig.ready()), so that
reports, which Coordinate builds on for its exports, never imports Coordinate back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class TargetEvaluation(Protocol):
    """One indicator's actual figures against its targets, per year."""

    indicator_key: str
    title: str
    years: list[int]

    @property
    def rows(self) -> list[tuple[int, float | None, float | None, float | None]]: ...


Provider = Callable[..., list[Any]]
_provider: Provider | None = None


def targets_provider_set(provider: Provider) -> None:
    """`provider(organisation=…, last_year=…, span=…) -> list[TargetEvaluation]`."""
    global _provider
    _provider = provider


def targets_for(*, organisation: Any, last_year: int, span: int) -> list[TargetEvaluation]:
    """The evaluations against targets, or none when no app keeps targets."""
    if _provider is None:
        return []
    return _provider(organisation=organisation, last_year=last_year, span=span)
