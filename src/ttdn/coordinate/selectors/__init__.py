"""Coordinate's reads, one module per part; the task ones re-exported for old callers."""

from ttdn.coordinate.selectors.tasks import task_get, task_list

__all__ = ["task_get", "task_list"]
