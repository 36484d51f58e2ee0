"""The Python↔browser contract: every element a script looks up by id is in the pages the
package renders. A template or generator renaming an id breaks this test, not the site."""

from __future__ import annotations

import re

from conftest import Project
from gongkai.frontend import THEME_DIR

_ID_LOOKUP = re.compile(r"""getElementById\(\s*["']([\w-]+)["']\s*\)|querySelector(?:All)?\(\s*["']#([\w-]+)""")


def ids_read_by(script: str) -> set[str]:
    return {first or second for first, second in _ID_LOOKUP.findall(script)}


def test_each_script_finds_all_the_ids_it_reads_on_one_rendered_page(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    pages = [page.read_text("utf-8") for page in result.site.rglob("*.html")]
    page_ids = [set(re.findall(r'\bid="([\w-]+)"', page)) for page in pages]
    scripts = sorted((THEME_DIR / "assets" / "js").glob("*.js"))
    looked_up = {script.name: ids_read_by(script.read_text("utf-8")) for script in scripts}
    assert any(looked_up.values())  # the pattern finds the scripts' lookups at all
    for name, ids in looked_up.items():
        if ids:
            assert any(ids <= found for found in page_ids), (
                name, sorted(min((ids - found for found in page_ids), key=len)))
