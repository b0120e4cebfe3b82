"""The committed JSON Schema of each ``api/<name>.json``, for the tests.

Each file's schema is ``<name>.api.schema.json`` beside the code that
builds its records; this finds them all, so a new file's schema is
checked by every test that validates api files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

import crosswork

PACKAGE = Path(crosswork.__file__).parent
SUFFIX = ".api.schema.json"

#: ``{name: schema file}`` of every api file.
SCHEMAS = {
    path.name.removesuffix(SUFFIX): path for path in sorted(PACKAGE.rglob(f"*{SUFFIX}"))
}


def schema_problems(name: str, document: Any) -> list[str]:
    """Where ``document`` breaks ``api/<name>.json``'s schema; empty if nowhere."""
    schema = json.loads(SCHEMAS[name].read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
