"""web/src/protocol.js from the worker protocol's models (src/socratiq_local/browser/protocol.py).

    python tools/protocol_js.py           # write web/src/protocol.js
    python tools/protocol_js.py --check   # exit 1 if web/src/protocol.js differs

The page scripts take the protocol's version and the type of each op's request from this one
generated file, so the page and the engine cannot name a field or a version differently: tsc
(`./build.sh lint`) checks every `call(op, payload)` against the types, and the bundle build
(tools/build_bundle.py) refuses a file that differs from what the models give now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from socratiq_local.browser import protocol

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "web" / "src" / "protocol.js"
#: What rpc.js's call() puts in every request itself (`now` too, unless the page gives the
#: moment an answer was given: one kept while the engine started).
ENVELOPE = {"protocol", "op", "id", "tzOffsetMinutes"}


def ts_type(schema: dict[str, Any]) -> str:
    """A TypeScript type for a JSON Schema of the kinds pydantic gives our models."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(ts_type(option) for option in schema["anyOf"])
    if "const" in schema:
        return _literal(schema["const"])
    if "enum" in schema:
        return " | ".join(_literal(value) for value in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(ts_type(item) for item in schema["prefixItems"]) + "]"
        return f"Array<{ts_type(schema['items'])}>"
    if kind == "object":
        if "properties" in schema:
            return object_type(schema)
        values = schema.get("additionalProperties", True)
        return f"Record<string, {ts_type(values) if isinstance(values, dict) else 'any'}>"
    simple = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean"}
    return simple.get(str(kind), "null" if kind == "null" else "any")


def _literal(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower()


def object_type(schema: dict[str, Any], leave_out: set[str] | frozenset[str] = frozenset()) -> str:
    required = set(schema.get("required", []))
    fields = [
        f"{name}{'' if name in required else '?'}: {ts_type(field)}"
        for name, field in schema["properties"].items()
        if name not in leave_out
    ]
    return "{" + ", ".join(fields) + "}"


def _summary(schema: dict[str, Any]) -> str:
    return " ".join(str(schema.get("description", "")).split())


def render() -> str:
    definitions: dict[str, dict[str, Any]] = {}
    requests = []
    for op, model in protocol.OPS.items():
        schema = model.model_json_schema(by_alias=True)
        definitions.update(schema.pop("$defs", {}))
        about = _summary(schema)
        requests.append(f" * @property {{{object_type(schema, ENVELOPE)}}} {op}{' ' + about if about else ''}")
    replies = {
        name: TypeAdapter(kind).json_schema()
        for name, kind in [
            ("Ok", protocol.Ok),
            ("Failed", protocol.Failed),
            ("Stage", protocol.Stage),
            ("Fatal", protocol.Fatal),
        ]
    }
    lines = [
        "/* The worker protocol for the page scripts, generated from",
        " * src/socratiq_local/browser/protocol.py (where it is documented) by tools/protocol_js.py",
        " * (`./build.sh protocol`): do not edit. The bundle build fails when it differs from the",
        " * models. */",
        "",
        "/** The protocol's version: every request carries it. */",
        f"export const PROTOCOL = {protocol.PROTOCOL};",
        "",
    ]
    for name, schema in sorted(definitions.items()):
        about = _summary(schema)
        lines += ["/**", f" * {about}" if about else None, f" * @typedef {{{ts_type(schema)}}} {name}", " */"]
    lines += [
        "/**",
        " * Each op's request, without what call() adds to every one (protocol, op, id,",
        " * tzOffsetMinutes; now, unless given).",
        " * @typedef {object} Requests",
        *requests,
        " */",
    ]
    for name, schema in replies.items():
        lines += [f"/** @typedef {{{ts_type(schema)}}} {name} */"]
    lines += ["/** @typedef {Ok | Failed} Reply */", ""]
    return "\n".join(line for line in lines if line is not None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} differs from the protocol's models: run ./build.sh protocol", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
