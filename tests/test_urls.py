"""urls.py is the one home of the site's paths: what it names is what a build writes.

A sample site is built for real; the paths `urls.site_paths` gives for its entries,
categories, years, channels and report years are walked in the site folder, and every file
the build wrote (besides MkDocs' and the theme's own, and the hand-written pages) must be one
of them — so a module that wrote a path of its own would fail here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from attachment_files import pdf
from conftest import Project
from gongkai import urls
from gongkai.config import config_from_mapping
from gongkai.reader import read_entry

TODAY = {"GONGKAI_TODAY": "2022-03-01"}
MKDOCS_OWN = {"404.html", "sitemap.xml", "sitemap.xml.gz"}


def _site_file(path: str) -> str:
    """Where a source URI's page (`x.md`, `x/index.md`) or a file is written, with folder URLs."""
    if path.endswith("/index.md") or path == "index.md":
        return path.removesuffix(".md") + ".html"
    if path.endswith(".md"):
        return path.removesuffix(".md") + "/index.html"
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    project = Project(tmp_path_factory.mktemp("urls") / "project")
    project.write_bytes("disclosures/2021/预算.pdf", pdf(["预算"], author=""))
    project.entry("disclosures/2021/a.md", title="预算公开", category="财政信息",
                  attachments="[预算.pdf]", index_no='"000014349/2021-00001"')
    project.entry("disclosures/2021/b.md", title="停水通知", date="2021-06-01",
                  channels="[website, broadcast]", index_no='"000014349/2021-00002"')
    project.entry("disclosures/2022/c.md", title="公告栏通知", date="2022-01-05",
                  channels="[bulletin]", index_no='"000014349/2022-00001"')  # offline only: counted, never a page
    project.entry("disclosures/2022/d.md", title="草稿", date="2022-01-06", draft="true",
                  index_no='"000014349/2022-00002"')
    project.write("annual-reports/2021.yml", """\
        申请情况:
          本年新收: {自然人: 1}
          本年度办理结果:
            予以公开: {自然人: 1}
        """)
    result = project.build(env=TODAY)
    assert result.returncode == 0, result.output
    return project, result.site


def _expected(project: Project) -> tuple[list[str], list[str]]:
    """The site paths urls.py names for the project, and the attachment copies."""
    settings = yaml.safe_load((project.root / "mkdocs.yml").read_text("utf-8"))
    config = config_from_mapping(settings["extra"]["disclosure"])
    on_site = []
    copies = []
    for name in ("2021/a", "2021/b"):
        data = (project.root / "disclosures" / f"{name}.md").read_bytes()
        entry, problems = read_entry(data, f"disclosures/{name}.md", name, config)
        assert entry is not None, problems
        on_site.append(entry)
        copies += [urls.attachment_copy_path(entry, attachment.name)
                   for attachment in entry.attachments]
    paths = urls.site_paths(on_site, config.categories, [2021], config.channels, [2021])
    return paths, copies


def test_every_path_urls_names_is_a_file_of_the_built_site(built):
    project, site = built
    paths, copies = _expected(project)
    assert copies == ["disclosures/2021/a/预算.pdf"]
    missing = [path for path in [*paths, *copies] if not (site / _site_file(path)).is_file()]
    assert missing == []


def test_the_build_writes_no_generated_file_urls_does_not_name(built):
    project, site = built
    paths, copies = _expected(project)
    named = {_site_file(path) for path in [*paths, *copies]}
    hand_written = {_site_file(path.relative_to(project.root / "docs").as_posix())
                    for path in (project.root / "docs").rglob("*") if path.is_file()}
    written = set()
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and not relative.startswith(("assets/", f"{urls.SEARCH_INDEX_FOLDER}/")):
            written.add(relative)
    assert written - MKDOCS_OWN - hand_written == named
    # The offline-only entry and the draft have no page; the years with entries on the site
    # have a listing, 2022 (offline only) none.
    assert not (site / "disclosures/2022").exists()
    assert not (site / urls.year_folder(2022)).exists()


def test_the_theme_links_to_the_paths_urls_names(built):
    _, site = built
    html = (site / "disclosures/2021/a/index.html").read_text("utf-8")
    footer = html[html.index('class="gk-footer gk-footer__links"'):]
    links = re.findall(r'<li><a href="([^"]+)">', footer)[:3]
    assert links == ["../../../sitemap/", "../../../data/", "../../../feeds/all.xml"]
    assert 'action="../../../search/"' in html
    for link in links:
        target = (site / "disclosures/2021/a" / link).resolve()
        assert (target / "index.html").is_file() or target.is_file(), link


def test_pages_that_link_to_their_own_files_link_to_them_as_urls_names(built):
    _, site = built
    stats = (site / "stats/index.html").read_text("utf-8")
    assert '<a href="channels.csv" download>channels.csv</a>' in stats
    assert '<a href="channels.json">channels.json</a>' in stats
    data_page = (site / "data/index.html").read_text("utf-8")
    for href in ('href="catalogue.json"', 'href="catalogue.csv"', 'href="../feeds/all.xml"'):
        assert href in data_page
    assert (site / "stats" / "channels.csv").is_file()
    assert Path(site / "data" / "catalogue.json").is_file()


def test_the_theme_links_follow_mkdocs_without_folder_urls(tmp_path):
    """With `use_directory_urls: false` a page is `x.html`, not `x/`: the footer and the
    search form link to the files MkDocs wrote, as their links come from its Files."""
    project = Project(tmp_path / "project")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8") + "use_directory_urls: false\n", "utf-8")
    project.entry("disclosures/2021/a.md", index_no='"000014349/2021-00001"')
    result = project.build(env=TODAY)
    assert result.returncode == 0, result.output
    html = (result.site / "index.html").read_text("utf-8")
    footer = html[html.index('class="gk-footer gk-footer__links"'):]
    links = re.findall(r'<li><a href="([^"]+)">', footer)[:3]
    assert links == ["sitemap/index.html", "data/index.html", "feeds/all.xml"]
    assert 'action="search.html"' in html
    for link in [*links, "search.html"]:
        assert (result.site / link).is_file(), link
