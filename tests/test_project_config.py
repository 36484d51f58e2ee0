"""`gongkai check` reads mkdocs.yml as the build does: `INHERIT` (a county's shared base file)
and `!ENV`, checked against MkDocs' own configuration loading."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mkdocs.config import load_config

from conftest import Project
from gongkai.config import ConfigError, config_from_mapping, read_project_config

COUNTY_BASE = """\
extra:
  disclosure:
    org_code: "11500230MB0000000X"
    categories: [通知公告, 惠农补贴, 村务公开]
    channels:
      website: 县政府信息公开网站子站
      loudspeaker: 村村通大喇叭
    groups:
      网站: [website]
      广播: [loudspeaker]
    staleness: {}
"""


def county_township(root: Path) -> Project:
    """A township project whose mkdocs.yml inherits the county's shared settings."""
    (root / "county").mkdir(parents=True)
    (root / "county" / "base.yml").write_text(COUNTY_BASE, "utf-8")
    project = Project(root / "town")
    yml = project.root / "mkdocs.yml"
    own = yml.read_text("utf-8").replace(
        "    publisher: 测试镇人民政府\n", "    publisher: !ENV [TOWN_PUBLISHER, 测试镇人民政府]\n"
    ).replace('    org_code: "000014349"\n', "")
    yml.write_text("INHERIT: ../county/base.yml\n" + own, "utf-8")
    return project


def test_the_command_reads_inherited_and_environment_settings_as_mkdocs_does(tmp_path,
                                                                             monkeypatch):
    project = county_township(tmp_path)
    monkeypatch.setenv("TOWN_PUBLISHER", "某某乡人民政府")
    ours = read_project_config(project.root)
    reference = config_from_mapping(
        load_config(str(project.root / "mkdocs.yml")).extra["disclosure"]
    )
    assert ours == reference
    assert ours.publisher == "某某乡人民政府"
    assert ours.categories == ["通知公告", "惠农补贴", "村务公开"]
    assert ours.page_size == 5  # the township's own setting, merged over the county's


def test_check_and_build_give_the_same_verdicts_under_a_county_base_file(tmp_path):
    project = county_township(tmp_path)
    project.entry("disclosures/2021/ok.md", category="惠农补贴", channels="[website, loudspeaker]",
                  index_no="11500230MB0000000X/2021-00001")
    project.entry("disclosures/2021/bad.md", category="财政信息", channels="[website]",
                  index_no="11500230MB0000000X/2021-00002")
    expected = "disclosures/2021/bad.md:4: category: 未知分类「财政信息」，可选：通知公告、惠农补贴、村务公开"
    check = project.gongkai("check")
    build = project.build()
    assert check.returncode == 1 and build.returncode == 1
    assert expected in check.stdout
    assert expected in build.output
    assert "ok.md" not in check.stdout
    assert "ok.md" not in build.output

    project.root.joinpath("disclosures/2021/bad.md").unlink()
    assert project.gongkai("check").returncode == 0
    assert project.build().returncode == 0


@pytest.mark.parametrize("inherit, message", [
    ("INHERIT: ../county/missing.yml\n", "mkdocs.yml:1: INHERIT: 指向的文件"),
    ("INHERIT: mkdocs.yml\n", "mkdocs.yml:1: INHERIT: 循环引用了 mkdocs.yml"),
])
def test_a_broken_inherit_is_a_message_not_a_traceback(tmp_path, inherit, message):
    project = Project(tmp_path / "town")
    yml = project.root / "mkdocs.yml"
    yml.write_text(inherit + yml.read_text("utf-8"), "utf-8")
    with pytest.raises(ConfigError) as raised:
        read_project_config(project.root)
    assert message in str(raised.value)
    result = project.gongkai("check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_a_yaml_mistake_in_the_county_file_names_that_file(tmp_path):
    project = county_township(tmp_path)
    (tmp_path / "county" / "base.yml").write_text(textwrap.dedent("""\
        extra:
          disclosure:
            categories: [通知公告
        """), "utf-8")
    with pytest.raises(ConfigError) as raised:
        read_project_config(project.root)
    assert "../county/base.yml:" in str(raised.value)
    assert "YAML 格式错误" in str(raised.value)
