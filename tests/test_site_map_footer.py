"""公开统计 in the navigation, the 网站地图 page, and the optional footer items (issue 14, point 7)."""

from __future__ import annotations

import re

import yaml

from conftest import Project


def _configure(project: Project, **settings: object) -> None:
    config_file = project.root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["disclosure"].update(settings)
    config["nav"].append({"公开统计": "stats/index.md"})
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def test_site_map_lists_sections_pages_and_years_and_footer_links_it(project: Project):
    _configure(project)
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", category="财政信息")
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("sitemap")
    site_map = re.search(r'<nav class="gk-site-map".*?</nav>', html, re.DOTALL).group(0)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', site_map)
    assert ("../", "首页") in links
    assert ("../catalogue/", "法定主动公开内容") in links
    assert ("../catalogue/category/%E8%B4%A2%E6%94%BF%E4%BF%A1%E6%81%AF/", "财政信息") in links
    assert ("../catalogue/year/2021/", "2021年") in links
    assert ("../stats/", "公开统计") in links
    assert "<strong>法定主动公开内容</strong>" in site_map
    # Every page's footer links the map; 公开统计 is in the navigation.
    home = result.page("")
    assert '<a href="sitemap/">网站地图</a>' in home
    assert re.search(r'<a href="stats/" class="md-nav__link">\s*<span class="md-ellipsis">'
                     r'\s*公开统计\s*</span>', home)
    # Not configured: no 找错 link, no badge.
    assert "政府网站找错" not in home and "gk-footer__badge" not in home


def test_footer_shows_error_report_link_and_badge_when_configured(project: Project):
    _configure(project, error_report_url="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5001070012",
               badge_image="assets/dzjg.png", badge_url="https://bszs.conac.cn/sitename?id=1")
    project.write_bytes("docs/assets/dzjg.png", b"\x89PNG\r\n\x1a\n")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    entry = result.page("disclosures/2021/a")
    assert ('<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5001070012" '
            'rel="noopener">政府网站找错</a>') in entry
    assert re.search(r'<a href="https://bszs.conac.cn/sitename\?id=1" rel="noopener">'
                     r'<img class="gk-footer__badge" src="../../../assets/dzjg.png" alt="党政机关"',
                     entry)


def test_footer_settings_are_checked(project: Project):
    _configure(project, error_report_url="zfwzgl.www.gov.cn", badge_image="assets/none.png")
    result = project.build()
    assert result.returncode != 0
    assert ("extra.disclosure.error_report_url: 「zfwzgl.www.gov.cn」应为以 http:// 或 https:// "
            "开头的网址") in result.output
