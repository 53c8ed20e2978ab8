"""Every Vietnamese message the interface can show has its English translation.

The messages are read from the sources themselves (Python through its syntax tree, so
calls inside f-strings count; templates through Django's own `templatize`), not from the
catalogues, so a new string without a translation fails here instead of showing Vietnamese
on an English page. Messages written in ASCII (API field names, codes) are not Vietnamese.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.contrib import admin
from django.utils import translation
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation.template import templatize

import ttdn

ROOT = Path(ttdn.__file__).parent
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}
PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _catalogue() -> dict[str, object]:
    out: dict[str, object] = {}
    for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po"):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="en"):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    out[key] = message.string
    return out


def _translated(catalogue: dict[str, object], msgid: str) -> bool:
    value = catalogue.get(msgid)
    if isinstance(value, (tuple, list)):
        return all(value)
    return bool(value)


def _python_messages(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in GETTEXT:
            arg = node.args[0]
        elif name in PGETTEXT and len(node.args) > 1:
            arg = node.args[1]
        else:
            continue
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.append((node.lineno, arg.value))
    return out


def _template_messages(path: Path) -> list[tuple[int, str]]:
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    keywords = [*GETTEXT, *PGETTEXT]
    out = []
    for lineno, _func, messages, _comments in extract_python(
        io.BytesIO(code.encode("utf-8")), keywords, [], {}
    ):
        if isinstance(messages, (tuple, list)):
            messages = next((m for m in messages if m), None)
        if messages:
            out.append((lineno, messages))
    return out


def _sources() -> list[Path]:
    skip = {"pipeline", "migrations", "evaluation", "training", "benchmarks"}
    return [p for p in sorted(ROOT.rglob("*.py")) if not skip & set(p.parts)]


def test_every_vietnamese_message_has_an_english_translation() -> None:
    catalogue = _catalogue()
    missing = []
    for path in _sources():
        for lineno, msgid in _python_messages(path):
            if not msgid.isascii() and not _translated(catalogue, msgid):
                missing.append(f"{path.relative_to(ROOT)}:{lineno}: {msgid}")
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        for lineno, msgid in _template_messages(path):
            if not msgid.isascii() and not _translated(catalogue, msgid):
                missing.append(f"{path.relative_to(ROOT)}:{lineno}: {msgid}")
    assert not missing, "no English translation:\n" + "\n".join(missing)


def test_the_check_sees_messages_inside_f_strings_and_templates(tmp_path: Path) -> None:
    """The extractor itself: a message inside an f-string and one in a blocktranslate are
    found (the alert latency chart's message was missed by a plain extractor)."""
    source = tmp_path / "m.py"
    source.write_text("x = f\"<t>{escape(_('Chưa có gì.'))}</t>\"\n", encoding="utf-8")
    assert _python_messages(source) == [(1, "Chưa có gì.")]
    template = tmp_path / "t.html"
    template.write_text(
        "{% load i18n %}{% blocktranslate count n=k %}{{ n }} bài{% plural %}{{ n }} bài"
        "{% endblocktranslate %}",
        encoding="utf-8",
    )
    assert [m for _line, m in _template_messages(template)] == ["%(n)s bài"]


def _plural_problems(models: list[type]) -> list[str]:
    """Models whose admin names would read wrong in English: no plural of their own, or a
    plural whose English is missing or is the singular (Vietnamese uses one word for both,
    so the plural needs its own msgid: `pgettext_lazy("số nhiều", …)`)."""
    problems = []
    for model in models:
        meta = model._meta  # type: ignore[attr-defined]
        if "verbose_name_plural" not in meta.original_attrs:
            problems.append(f"{meta.label}: no verbose_name_plural")
            continue
        with translation.override("vi"):
            vi_singular, vi_plural = str(meta.verbose_name), str(meta.verbose_name_plural)
        with translation.override("en"):
            en_singular, en_plural = str(meta.verbose_name), str(meta.verbose_name_plural)
        if en_plural == vi_plural and not vi_plural.isascii():
            problems.append(f"{meta.label}: plural {vi_plural!r} has no English")
        elif en_singular == vi_singular and not vi_singular.isascii():
            problems.append(f"{meta.label}: name {vi_singular!r} has no English")
        elif en_plural == en_singular:
            problems.append(f"{meta.label}: English plural is the singular {en_plural!r}")
    return problems


def test_every_admin_model_has_an_english_plural() -> None:
    ours = [m for m in admin.site._registry if m.__module__.startswith("ttdn.")]
    assert len(ours) >= 20  # the registry was read (every app's admin module imported)
    problems = _plural_problems(ours)
    assert not problems, "\n".join(problems)


def test_the_plural_check_catches_a_singular_plural() -> None:
    """The check itself: a model whose plural is its singular msgid (the old way) fails."""

    class Fake:
        class _meta:  # noqa: N801 - shaped like Django's Options
            label = "fake.Story"
            original_attrs = {"verbose_name_plural": "câu chuyện"}
            verbose_name = _lazy("câu chuyện")
            verbose_name_plural = _lazy("câu chuyện")

    class Bare:
        class _meta:  # noqa: N801
            label = "fake.Bare"
            original_attrs: dict[str, str] = {}

    assert _plural_problems([Fake, Bare]) == [
        "fake.Story: English plural is the singular 'story'",
        "fake.Bare: no verbose_name_plural",
    ]
