"""bench/RESULTS.md: bench_build.py writes it anew; the scripts `make bench` runs after it put
their own sections in, each between markers of its name, replacing the one an earlier run left."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(out: Path, name: str, section: str) -> None:
    """Put `section` between the `name` markers in `out`, replacing an earlier one."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = out.read_text("utf-8") if out.exists() else "# Benchmark results\n"
    block = f"{begin}\n{section}{end}\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    out.write_text(text, "utf-8")
