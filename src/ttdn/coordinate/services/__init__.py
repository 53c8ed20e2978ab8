"""Coordinate's writes, one module per part; the task ones re-exported for old callers."""

from ttdn.coordinate.services.tasks import (
    task_assign,
    task_comment_add,
    task_create,
    task_delete,
    task_evidence_add,
    task_transition,
    task_update,
)

__all__ = [
    "task_assign",
    "task_comment_add",
    "task_create",
    "task_delete",
    "task_evidence_add",
    "task_transition",
    "task_update",
]
