"""What gongkai adds to every site's front end: its theme folder, styles, scripts and pages.

The theme folder (`theme/`, inside the package) holds the Material overrides (main.html,
entry.html, partials/), the stylesheets and scripts under `assets/`, and the source of the
search page. A township site names none of it in its mkdocs.yml: the plugin puts the folder
ahead of Material's templates (behind the site's own `custom_dir`, so a site may still
override a block), adds the styles and scripts, and adds the search page, the way MkDocs'
own search plugin adds its files. Nothing is copied into the site's repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

THEME_DIR = Path(__file__).parent / "theme"

STYLESHEETS = (
    "assets/gongkai.css",
    "assets/gongkai-search.css",
    "assets/gongkai-access.css",
    "assets/gongkai-print.css",
)
"""In cascade order; a site's own extra_css comes after them and may override them."""


@dataclass(frozen=True)
class Script:
    path: str
    module: bool = False
    """ES module (`type="module"`): the search scripts import gk-search.js."""


SCRIPTS = (
    Script("assets/js/gk-search-page.js", module=True),
    Script("assets/js/gk-catalogue.js", module=True),
    Script("assets/js/gk-access.js"),
    Script("assets/js/gk-notice-period.js"),
)
"""Each does nothing on pages without its form or element."""

INCOMPATIBLE_FEATURES = {
    "navigation.instant": (
        "gongkai 的搜索、目录筛选和长者模式脚本在页面加载时运行，Material 的即时加载"
        "（navigation.instant）换页时不重新运行它们，筛选和搜索会失效："
        "请从 mkdocs.yml 的 theme.features 中删除 navigation.instant"
    ),
}
"""Material features that would silently break the scripts, with the reason given to staff."""


def search_page_source() -> str:
    """The search page's Markdown, written once in the theme folder."""
    return (THEME_DIR / "search.md").read_text(encoding="utf-8")
