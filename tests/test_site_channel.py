"""The site is itself a channel (issue 14, point 1): only entries carrying `site_channel` are
published on the site; the others are records of offline disclosure, counted and never shown."""

from __future__ import annotations

import json

from conftest import Project

OFFLINE_TITLE = "关于张某某等三户低保对象的村级公示"
OFFLINE_INDEX = "000014349/2021-00077"
OFFLINE_BODY = "王某某家庭月人均收入四百二十元，拟纳入低保。"
ONLINE_TITLE = "关于春季防火的通告"


def _two_entries(project: Project) -> None:
    project.entry("disclosures/2021/online.md", title=ONLINE_TITLE, date="2021-03-04",
                  index_no="000014349/2021-00001", channels="[website, bulletin]",
                  category="应急管理")
    project.entry("disclosures/2021/offline.md", title=OFFLINE_TITLE, date="2021-03-05",
                  index_no=OFFLINE_INDEX, channels="[village_board]", category="民生保障",
                  tags="[村级公示]", summary="村级公示栏张贴的低保公示。", body=OFFLINE_BODY)


def test_offline_only_entry_appears_nowhere_on_the_site_but_is_counted(project: Project):
    _two_entries(project)
    result = project.build()
    assert result.returncode == 0, result.output
    everything = result.all_text()
    for trace in (OFFLINE_TITLE, OFFLINE_INDEX, OFFLINE_BODY, "offline", "村级公示栏张贴"):
        assert trace not in everything, trace
    assert ONLINE_TITLE in result.page("catalogue/")
    assert (result.site / "disclosures/2021/online/index.html").is_file()
    assert not (result.site / "disclosures/2021/offline").exists()
    # Counted: both entries in the year's total, the village board once.
    stats = json.loads((result.site / "stats/channels.json").read_text("utf-8"))
    year = stats["years"]["2021"]
    assert year["total"] == 2
    assert year["channels"]["village_board"] == 1 and year["channels"]["website"] == 1
    assert "1 条网站发布，1 条仅线下公开" in result.output


def test_stats_page_says_it_counts_every_channel_and_shows_labels_only(project: Project):
    _two_entries(project)
    result = project.build()
    assert result.returncode == 0, result.output
    page = result.page("stats/")
    assert "包括本网站以外的渠道" in page
    assert "村级公示栏" in page
    for key in ("village_board", "<code>website</code>", "<code>zwy</code>"):
        assert key not in page.split('<article', 1)[1], key


def test_check_lists_site_and_offline_counts(project: Project):
    _two_entries(project)
    result = project.gongkai("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 条已可公开（1 条网站发布，1 条仅线下公开）" in result.stdout


def test_another_site_channel_publishes_what_carries_it(project: Project):
    """A site whose own channel is, say, 政务公众号 publishes only what carries `wechat`."""
    _two_entries(project)
    project.entry("disclosures/2021/wechat.md", title="公众号与网站同发的通知", date="2021-03-06",
                  index_no="000014349/2021-00003",
                  channels="[wechat]")
    text = (project.root / "mkdocs.yml").read_text("utf-8")
    (project.root / "mkdocs.yml").write_text(text + "    site_channel: wechat\n", "utf-8")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "公众号与网站同发的通知" in result.page("catalogue/")
    assert ONLINE_TITLE not in result.all_text()


def test_site_channel_must_be_a_configured_channel(project: Project):
    text = (project.root / "mkdocs.yml").read_text("utf-8")
    (project.root / "mkdocs.yml").write_text(text + "    site_channel: web\n", "utf-8")
    result = project.gongkai("check")
    assert result.returncode != 0
    assert ("mkdocs.yml: extra.disclosure.site_channel: 「web」不是 channels 中的渠道代码："
            "请填写本网站自己的渠道，可选：website、zwy、broadcast、bulletin、village_board、wechat"
            ) in result.stderr


def test_related_link_to_an_offline_entry_is_not_shown(project: Project):
    _two_entries(project)
    project.entry("disclosures/2021/result.md", title="低保公示结果", date="2021-03-20",
                  index_no="000014349/2021-00090",
                  related=f'[{{index_no: "{OFFLINE_INDEX}", relation: 公示}}]')
    result = project.build()
    assert result.returncode == 0, result.output
    page = result.page("disclosures/2021/result/")
    assert "低保公示结果" in page and "相关信息" not in page
    assert OFFLINE_TITLE not in result.all_text()
