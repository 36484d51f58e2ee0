"""Writing front-matter values for `gongkai new`: plain where YAML reads them back as the
same text, quoted otherwise."""

from __future__ import annotations

import json

from .front_matter import plain_scalar


def yaml_text(value: str) -> str:
    """`value` as YAML: plain when YAML reads it back as this very text, else double-quoted
    (a JSON string is a valid YAML one)."""
    return value if plain_scalar(value, in_list=False) == value else json.dumps(
        value, ensure_ascii=False
    )

