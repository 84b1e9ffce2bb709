"""Errors that name the field and the problem, in the user's language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from xinfang_desk.i18n import _


class DomainError(Exception):
    """Base of every error the services raise on purpose."""


@dataclass
class FieldProblem:
    field: str  # machine name, e.g. "people[0].id_number"
    label: str  # msgid of the field label, e.g. "ID number"
    problem: str  # msgid of the problem; may hold {placeholders} filled from params
    params: dict[str, object] = dataclasses.field(default_factory=dict)  # `field` above is the column name

    def message(self) -> str:
        problem = _(self.problem).format(**self.params) if self.params else _(self.problem)
        return _("{field}: {problem}").format(field=_(self.label), problem=problem)


@dataclass
class ValidationFailed(DomainError):
    problems: list[FieldProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message())

    def message(self) -> str:
        return "；".join(p.message() for p in self.problems)

    def prefixed(self, prefix: str) -> ValidationFailed:
        return ValidationFailed(
            [
                FieldProblem(f"{prefix}.{p.field}" if p.field else prefix, p.label, p.problem, p.params)
                for p in self.problems
            ]
        )

    def as_dict(self) -> list[dict[str, str]]:
        return [{"field": p.field, "message": p.message()} for p in self.problems]


def fail(field_name: str, label: str, problem: str, **params: object) -> ValidationFailed:
    return ValidationFailed([FieldProblem(field_name, label, problem, dict(params))])


class PermissionDenied(DomainError):
    def __init__(self, action: str, role: str | None) -> None:
        self.action = action
        self.role = role
        super().__init__(_("Permission denied: role {role} may not {action}").format(role=role or "-", action=_(action)))


class NotFound(DomainError):
    pass


class AuthenticationFailed(DomainError):
    pass
