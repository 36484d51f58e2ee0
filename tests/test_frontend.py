"""The package carries its own front end: a site names `plugins: [gongkai]` and nothing else."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import HOOK_FILE, REPO, Project
from gongkai.frontend import SCRIPTS, STYLESHEETS, THEME_DIR


def as_plugin_site(project: Project) -> None:
    """The fixture's mkdocs.yml with the installed plugin instead of this repository's hook."""
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8").replace(
        f"hooks:\n  - {HOOK_FILE.as_posix()}\nplugins: []\n", "plugins: [gongkai]\n"
    ), "utf-8")
    assert "hooks" not in yml.read_text("utf-8")


def test_a_site_naming_only_the_plugin_gets_the_whole_front_end(project: Project):
    as_plugin_site(project)
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    home = result.page("")
    for stylesheet in STYLESHEETS:
        assert f'href="{stylesheet}"' in home
        assert (result.site / stylesheet).is_file()
    for script in SCRIPTS:
        module = ' type="module"' if script.module else ""
        assert f'<script src="{script.path}"{module}></script>' in home
        assert (result.site / script.path).is_file()
    assert (result.site / "assets/js/gk-search.js").is_file()  # imported by the modules
    assert 'class="gk-header-search"' in home  # theme/partials/search.html
    assert '<meta name="SiteName"' in home  # theme/main.html
    search = result.page("search")
    assert 'id="gk-search"' in search and 'id="gk-search-results"' in search
    assert "search.md" not in home.split('<nav class="md-nav md-nav--primary"')[1]
    assert "站内搜索索引：已收录 1 条公开信息" in result.output


def test_a_site_may_still_override_a_template_of_its_own(project: Project):
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8").replace(
        "  font: false\n", "  font: false\n  custom_dir: overrides\n"), "utf-8")
    project.write("overrides/partials/copyright.html", "<p>本镇自己的页脚</p>\n")
    result = project.build()
    assert result.returncode == 0, result.output
    home = result.page("")
    assert "本镇自己的页脚" in home
    assert 'class="gk-header-search"' in home  # the rest of gongkai's theme still applies


def test_instant_navigation_is_refused_with_a_message(project: Project):
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8").replace(
        "  font: false\n", "  font: false\n  features: [navigation.instant]\n"), "utf-8")
    result = project.build()
    assert result.returncode == 1
    assert "请从 mkdocs.yml 的 theme.features 中删除 navigation.instant" in result.output
    assert "Traceback" not in result.output


def test_the_installed_package_carries_every_theme_file(tmp_path: Path):
    """What a township installs from this repository (not an editable checkout)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(REPO)], check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("gongkai-*.whl"))
    packaged = set(zipfile.ZipFile(wheel).namelist())
    theme_files = [path for path in THEME_DIR.rglob("*") if path.is_file()]
    assert theme_files
    for path in theme_files:
        assert f"gongkai/theme/{path.relative_to(THEME_DIR).as_posix()}" in packaged
    entry_points = next(name for name in packaged if name.endswith("entry_points.txt"))
    assert "gongkai = gongkai.plugin:GongkaiPlugin" in zipfile.ZipFile(wheel).read(
        entry_points).decode()
