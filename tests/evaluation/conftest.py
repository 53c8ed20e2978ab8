"""Gate tests: run an evaluation on the shared labelled data and hold it to a pinned floor.

The `eval` marker is registered in pyproject.toml; `make test` runs these in the SQLite pass.
"""
