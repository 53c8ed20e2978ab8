"""The `ttdn.pipeline` package never imports Django (DESIGN.md §4.8)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PIPELINE = Path(__file__).resolve().parents[1] / "src" / "ttdn" / "pipeline"


def test_no_module_in_pipeline_imports_django() -> None:
    files = sorted(PIPELINE.rglob("*.py"))
    assert files, "pipeline package not found"
    offenders = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("ttdn.")
                and not n.startswith("ttdn.pipeline")
                and not n.startswith("ttdn.data")
            ]
    assert offenders == []


def test_importing_every_pipeline_module_loads_no_django() -> None:
    modules = [
        f"ttdn.pipeline.{p.stem}" for p in sorted(PIPELINE.glob("*.py")) if p.stem != "__init__"
    ]
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "loaded = sorted(m for m in sys.modules if m.startswith('django'))\n"
    code += "assert not loaded, loaded\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
