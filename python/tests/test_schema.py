"""Every shape of schema/pagoefectivo.schema.json (the core's types) against the Python classes and the stubs.

A ``$defs`` property in camelCase is the snake_case attribute of the Python class
that stands for it. Intentional differences are declared once, in ``SHAPES``
below; anything else (a field added to the core and missing here, or a Python
attribute the core does not have) fails. Kinds are checked too: a
``format: decimal`` field is a ``Decimal``, ``date-time`` a ``datetime``,
``date`` a ``date``, in the stubs' (or dataclasses') annotations.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

import pagoefectivo
from pagoefectivo import _native, errors, reconcile, webhooks

from conftest import REPO

SCHEMA = json.loads((REPO / "schema" / "pagoefectivo.schema.json").read_text(encoding="utf-8"))
DEFS: dict[str, Any] = SCHEMA["$defs"]
STUB = Path(_native.__file__).with_name("_native.pyi")


@dataclass(frozen=True)
class Shape:
    """How one ``$def`` appears in Python."""

    cls: Any
    renamed: dict[str, str] = field(default_factory=dict)
    """Schema property -> Python attribute, where snake_case is not the rule."""
    absent: dict[str, str] = field(default_factory=dict)
    """Schema property -> why Python has no attribute for it."""
    extra: dict[str, str] = field(default_factory=dict)
    """Python attribute -> why it is not in the schema (derived from the core, or a convenience)."""


KIND = {"type": "the class itself says which kind (cip_paid, refund, other)"}
TO_DICT = {"to_dict": "plain data of the same fields"}

# The one explicit mapping of intentional differences.
SHAPES: dict[str, Shape] = {
    "Cip": Shape(pagoefectivo.Cip, extra=TO_DICT),
    "CipInfo": Shape(
        pagoefectivo.CipInfo, extra={**TO_DICT, "is_final": "CipStatus::is_final of statusCode, by the core"}
    ),
    "Refund": Shape(
        pagoefectivo.Refund,
        extra={
            **TO_DICT,
            "status_name": "status as received (status is the enum, UNKNOWN for a new one)",
            "is_final": "RefundStatus::is_final, by the core",
        },
    ),
    "RefundEligibility": Shape(pagoefectivo.RefundEligibility, extra=TO_DICT),
    "CipPaid": Shape(webhooks.CipPaidEvent, absent=KIND, extra=TO_DICT),
    "RefundEvent": Shape(
        webhooks.RefundEvent, absent=KIND, extra={**TO_DICT, "status_name": "status as received"}
    ),
    "OtherEvent": Shape(webhooks.OtherEvent, absent=KIND, extra=TO_DICT),
    "Reconciliation": Shape(
        reconcile.Reconciliation,
        extra={
            "next_cursor": "the settlement report's cursor for the next run (ReportPage.nextCursor)",
            "write_exceptions_csv": "writer",
            "write_exceptions_jsonl": "writer",
            "write_summary_json": "writer",
            "write_all": "writer",
            "write_html": "writer",
            "to_html": "writer",
        },
    ),
    "Summary": Shape(reconcile.Summary, extra={"count": "counts[class], 0 when absent"}),
    "ClassTotal": Shape(reconcile.ClassTotal, renamed={"class": "class_"}, extra=TO_DICT),
    "Exception": Shape(
        reconcile.Discrepancy,
        renamed={"class": "class_"},
        extra={**TO_DICT, "amount": "Exception::amount(), the amount it is counted with (the core's method)"},
    ),
    "PaymentRecord": Shape(reconcile.PaymentRecord),
    "ReportPage": Shape(reconcile.ReportPage),
    "Settings": Shape(
        pagoefectivo.Config,
        extra={
            **{
                n: "the same setting in seconds, a convenience"
                for n in ("connect_timeout", "request_timeout")
            },
            **{n: "the same setting in seconds, a convenience" for n in ("total_timeout", "initial_backoff")},
            **{
                n: "the same setting in seconds"
                for n in ("max_backoff", "token_refresh_margin", "refund_window")
            },
            "from_env": "constructor",
            "to_dict": "plain data of the same fields",
        },
    ),
    "Error": Shape(errors.PagoEfectivoError),
    "FieldError": Shape(errors.FieldError),
    "Beneficiary": Shape(pagoefectivo.Beneficiary, extra={"to_dict": "the request's JSON form"}),
    "CreateCipRequest": Shape(pagoefectivo.Cips.create),
    "CreateRefundRequest": Shape(pagoefectivo.Refunds.create),
}

# $defs with no Python class of their own, and why.
NOT_CLASSES = {
    "Currency": "a str (PEN or USD)",
    "DocumentType": "a str (DNI, PAR, PAS, LMI, NAN)",
    "CipStatus": "pagoefectivo.CipStatus, checked below",
    "RefundStatus": "pagoefectivo.RefundStatus, checked below",
    "Class": "reconcile.Class, checked below",
    "Side": "a str (merchant or pagoefectivo)",
    "OrderStatus": "a str (pending, paid, closed)",
    "ErrorCode": "PagoEfectivoError.code; the classes are checked against error_table() in test_boundary.py",
    "Family": "PagoEfectivoError.family, same",
    "Event": "the union webhooks.Event of the three kinds above",
    "RefundDestination": "pagoefectivo.BankAccount / pagoefectivo.Ewallet, checked below",
    "RefundAuditRecord": "the dict a refund_audit callable receives: the core's own JSON, as is",
    "Exchange": "the core's HTTP audit hook; Python gets the same events as log records",
    "Duration": "part of Exchange",
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def envelope(kind: str) -> dict[str, Any]:
    """What every event of ``kind`` carries besides its fields (``type``, ``eventType``, ``dedupKey``)."""
    for option in DEFS["Event"]["oneOf"]:
        parts = option["allOf"]
        if parts[0]["$ref"] == f"#/$defs/{kind}":
            return {k: v for part in parts[1:] for k, v in part.get("properties", {}).items()}
    raise AssertionError(f"{kind} is not an Event kind")


def properties(name: str) -> dict[str, Any]:
    props = dict(DEFS[name]["properties"])
    if name in ("CipPaid", "RefundEvent", "OtherEvent"):
        props.update(envelope(name))
    return props


def stub_classes() -> dict[str, dict[str, str]]:
    """Class -> {member: return annotation} from _native.pyi."""
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = {}
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    members[item.name] = ast.unparse(item.returns) if item.returns else ""
            out[node.name] = members
    return out


def attributes(cls: Any) -> dict[str, str]:
    """Public attributes of a class (for a native class, its stub's) or a function's keywords."""
    if inspect.isfunction(cls):
        sig = inspect.signature(cls)
        return {p.name: str(p.annotation) for p in sig.parameters.values() if p.kind is p.KEYWORD_ONLY}
    name = str(getattr(cls, "__name__", ""))
    if inspect.isclass(cls) and getattr(_native, name, None) is cls:
        return stub_classes()[name]  # a native class: what its stub declares (stubtest: what it has)
    found: dict[str, str] = {}
    if dataclasses.is_dataclass(cls):
        found.update({f.name: str(f.type) for f in dataclasses.fields(cls) if not f.name.startswith("_")})
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            found[name] = str(inspect.signature(value.fget).return_annotation) if value.fget else ""
        elif callable(value) or isinstance(value, (classmethod, staticmethod)):
            found[name] = "method"
    annotations = getattr(cls, "__annotations__", {})
    for name, ann in annotations.items():
        if not name.startswith("_") and name not in found:
            found[name] = str(ann)
    return found


def kind_of(prop: dict[str, Any]) -> Callable[[str], bool] | None:
    fmt = prop.get("format")
    if fmt == "decimal":
        return lambda ann: "Decimal" in ann or "Amount" in ann
    if fmt == "date-time":
        return lambda ann: "datetime" in ann or "Time" in ann
    if fmt == "date":
        return lambda ann: bool(re.search(r"\bdate\b|Day", ann))
    return None


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_field_of_the_schema_is_in_python(name: str) -> None:
    shape = SHAPES[name]
    have = attributes(shape.cls)
    want = {}
    for prop, schema in properties(name).items():
        if prop in shape.absent:
            continue
        want[shape.renamed.get(prop, snake(prop))] = schema
    missing = sorted(set(want) - set(have))
    assert not missing, f"{name}: the core has {missing}, {shape.cls.__qualname__} does not"
    unexplained = sorted(set(have) - set(want) - set(shape.extra))
    assert not unexplained, f"{name}: {shape.cls.__qualname__} has {unexplained}, not in the schema"
    stale = sorted(set(shape.extra) - set(have))
    assert not stale, f"{name}: the mapping explains {stale}, which {shape.cls.__qualname__} does not have"
    for attr, schema in want.items():
        check = kind_of(schema)
        if check is not None:
            assert check(have[attr]), f"{name}.{attr}: {schema.get('format')} but declared {have[attr]!r}"


def test_every_def_is_mapped_or_explained() -> None:
    assert set(DEFS) == set(SHAPES) | set(NOT_CLASSES), set(DEFS) ^ (set(SHAPES) | set(NOT_CLASSES))


def test_enums_have_the_schema_values() -> None:
    assert {s.value for s in pagoefectivo.CipStatus} == set(DEFS["CipStatus"]["enum"])
    assert {s.value for s in pagoefectivo.RefundStatus} >= set(DEFS["RefundStatus"]["examples"])
    classes = {c["const"] for c in DEFS["Class"]["oneOf"]}
    assert {c.value for c in reconcile.Class} == classes
    kinds = {
        o["properties"]["type"]["const"]: set(o["properties"]) - {"type"}
        for o in DEFS["RefundDestination"]["oneOf"]
    }
    assert kinds == {"bank_account": {"cci"}, "ewallet": {"phone"}}
    assert {f.name for f in dataclasses.fields(pagoefectivo.BankAccount)} == kinds["bank_account"]
    assert {f.name for f in dataclasses.fields(pagoefectivo.Ewallet)} == kinds["ewallet"]
    assert pagoefectivo.BankAccount("1").to_dict()["type"] == "bank_account"


def test_the_stub_declares_what_the_module_has() -> None:
    # stubtest checks signatures; this checks that each result class's getters are all declared.
    stubs = stub_classes()
    for cls in (pagoefectivo.Cip, pagoefectivo.CipInfo, pagoefectivo.Refund, webhooks.CipPaidEvent):
        runtime = {n for n, v in vars(cls).items() if not n.startswith("_") and inspect.isgetsetdescriptor(v)}
        assert runtime <= set(stubs[cls.__name__]), (cls.__name__, runtime - set(stubs[cls.__name__]))
