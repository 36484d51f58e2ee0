"""The editor's server without a browser: the generated Decap configuration, the local-backend
protocol over the source folder, the 索引号 issued on save, and the check it reports."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import yaml

from conftest import Project
from gongkai.config import read_project_config
from gongkai.editor_server import EditorBackend, make_server

TODAY = "2026-11-30"
ENV = {"GONGKAI_TODAY": TODAY}


@contextmanager
def editor_server(project: Project) -> Iterator[str]:
    """The editor's server for `project` on a free loopback port; yields its base URL."""
    import datetime as dt

    backend = EditorBackend(project.root, read_project_config(project.root),
                            "http://127.0.0.1:8000/", lambda: dt.date.fromisoformat(TODAY))
    server = make_server(backend, project.root, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _post(base: str, action: str, **params: object) -> tuple[int, object]:
    request = urllib.request.Request(
        base + "/api/v1", json.dumps({"action": action, "params": params}).encode("utf-8"),
        {"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project(tmp_path / "project")
    project.entry("disclosures/2025/2025-05-01-a.md", index_no='"000014349/2025-00002"')
    project.entry("disclosures/2026/2026-03-02-b.md", date="2026-03-02",
                  index_no='"000014349/2026-00007"')
    return project


def _fields(config: dict, collection: int = 0) -> dict[str, dict]:
    return {field["name"]: field for field in config["collections"][collection]["fields"]}


def test_configuration_is_generated_from_extra_disclosure(project: Project):
    with editor_server(project) as base:
        status, text = _get(base + "/admin/config.yml")
    assert status == 200
    assert "&id" not in text  # no YAML anchors for a reader of the file
    config = yaml.safe_load(text)
    assert config["locale"] == "zh_Hans"
    assert config["backend"] == {"name": "proxy", "proxy_url": "/api/v1"}
    # One collection per year folder, newest first.
    assert [c["name"] for c in config["collections"]] == ["y2026", "y2025"]
    assert [c["folder"] for c in config["collections"]] == ["disclosures/2026", "disclosures/2025"]
    fields = _fields(config)
    assert fields["category"]["options"] == read_project_config(project.root).categories
    assert fields["channels"]["multiple"] is True
    assert {"label": "村级公示栏", "value": "village_board"} in fields["channels"]["options"]
    assert fields["publisher"]["default"] == "测试镇人民政府"
    assert fields["date"]["format"] == "YYYY-MM-DD" and fields["date"]["default"] == TODAY
    assert [name for name, field in fields.items() if field["required"]] == [
        "title", "date", "category", "channels",
    ]
    assert fields["title"]["label"] == "标题" and fields["channels"]["label"] == "公开渠道"
    import re

    pattern = re.compile(fields["index_no"]["pattern"][0])
    assert pattern.match("000014349/2026-00012")
    assert not pattern.match("000014349/26-12")
    assert not pattern.match("999999999/2026-00012")


def test_protocol_reads_and_writes_only_the_source_folder(project: Project):
    with editor_server(project) as base:
        for path in ("mkdocs.yml", "disclosures/../mkdocs.yml", "/etc/passwd", "docs/index.md"):
            status, answer = _post(base, "getEntry", path=path)
            assert status == 403, path
            assert answer == {"error": f"只能读写 disclosures/ 中的文件：{path}"}
        status, answer = _post(base, "persistMedia", asset="not an asset")
        assert (status, answer) == (422, {"error": "请求格式无效"})
        status, answer = _post(base, "deleteFiles", paths=5)
        assert (status, answer) == (422, {"error": "请求格式无效"})
        status, answer = _post(base, "persistEntry", dataFiles=[
            {"path": "../outside.md", "raw": "x"}], assets=[])
        assert status == 403
        assert not (project.root.parent / "outside.md").exists()

        status, entries = _post(base, "entriesByFolder", folder="disclosures/2026",
                                extension="md", depth=1)
        assert status == 200
        assert [entry["file"]["path"] for entry in entries] == ["disclosures/2026/2026-03-02-b.md"]
        assert "index_no: \"000014349/2026-00007\"" in entries[0]["data"]

        raw = "---\ntitle: 标题\ngongkai_file: 2026-11-30-00008\n---\ngongkai_file: 正文照写\n"
        status, _ = _post(base, "persistEntry", dataFiles=[
            {"path": "disclosures/2026/2026-11-30-00008.md", "raw": raw}],
            assets=[{"path": "disclosures/2026/附件.txt", "content": "6ZmE5Lu2", "encoding": "base64"}])
        assert status == 200
    written = project.root / "disclosures/2026/2026-11-30-00008.md"
    # The file-name field the editor adds is dropped from the front matter, not from the body.
    assert written.read_text(encoding="utf-8") == "---\ntitle: 标题\n---\ngongkai_file: 正文照写\n"
    assert (project.root / "disclosures/2026/附件.txt").read_text(encoding="utf-8") == "附件"


def test_only_the_editors_own_page_may_write(project: Project):
    """Another web page open in the same browser must not be able to write entries."""
    body = json.dumps({"action": "persistEntry", "params": {"dataFiles": [
        {"path": "disclosures/2026/x.md", "raw": "---\ntitle: x\n---\n"}], "assets": []}})
    with editor_server(project) as base:
        port = base.rsplit(":", 1)[1]
        for headers in (
            {"Content-Type": "text/plain"},  # a form or fetch with no preflight
            {"Content-Type": "application/json", "Origin": "http://evil.example"},
            {"Content-Type": "application/json", "Host": f"evil.example:{port}"},
        ):
            request = urllib.request.Request(base + "/api/v1", body.encode("utf-8"), headers)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request)
            assert refused.value.code == 403, headers
            assert json.loads(refused.value.read()) == {"error": "只接受来自本机编辑器页面的请求"}
        request = urllib.request.Request(base + "/admin/config.yml",
                                         headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 403
    assert not (project.root / "disclosures/2026/x.md").exists()


def test_saving_issues_the_next_index_number_as_gongkai_new_does(project: Project):
    with editor_server(project) as base:
        status, issued = _post(base, "gongkaiIssueIndexNo", collection="y2026", path=None,
                               date=TODAY, title="关于冬季防火的通告")
        assert status == 200
        assert issued == {"index_no": "000014349/2026-00008", "file": "2026-11-30-00008",
                          "path": "disclosures/2026/2026-11-30-00008.md"}
        # An existing entry with no 索引号 keeps its file and gets the next number.
        status, issued = _post(base, "gongkaiIssueIndexNo", collection="y2025",
                               path="disclosures/2025/2025-05-01-a.md", date="2025-05-01",
                               title="旧信息")
        assert issued["index_no"] == "000014349/2025-00003"
        status, refused = _post(base, "gongkaiIssueIndexNo", collection="y2026", path=None,
                                date="2025-12-31", title="跨年")
        assert status == 422
        assert refused == {"error": "发布日期是 2025 年，而这里是「2026 年」："
                                    "请到左侧「2025 年」中新建，或改正发布日期"}
    register = (project.root / "索引号登记簿.csv").read_text(encoding="utf-8-sig").splitlines()
    assert register == [
        "索引号,年度,序号,登记日期,文件,标题",
        "000014349/2026-00008,2026,8,2026-11-30,disclosures/2026/2026-11-30-00008.md,关于冬季防火的通告",
        "000014349/2025-00003,2025,3,2026-11-30,disclosures/2025/2025-05-01-a.md,旧信息",
    ]
    # `gongkai new` continues from the number the editor issued: one register for both.
    result = project.gongkai("new", "--title", "下一条", "--category", "通知公告",
                             "--channels", "website", env=ENV)
    assert result.stdout == "disclosures/2026/2026-11-30-00009.md\n", result.stderr


def test_check_reports_gongkai_checks_own_messages_for_the_entry(project: Project):
    project.entry("disclosures/2026/2026-04-01-c.md", date="2026-04-01", category="通知公吿",
                  index_no='"000014349/2026-00009"')
    with editor_server(project) as base:
        status, text = _get(base + "/api/check?collection=y2026&slug=2026-04-01-c")
        assert status == 200
        result = json.loads(text)
        status, good = _get(base + "/api/check?collection=y2026&slug=2026-03-02-b")
        status_bad, bad = _get(base + "/api/check?collection=y2026&slug=../../mkdocs")
    check = project.gongkai("check", env=ENV).stdout.splitlines()
    assert result["messages"] == [line for line in check
                                  if line.startswith("disclosures/2026/2026-04-01-c.md")]
    assert result["messages"]  # the unknown category, worded as `gongkai check` words it
    assert result["passed"] is False
    assert result["verdict"] == (
        "未通过：1 个错误、0 个警告。有错误的信息不会发布，请按下列说明修改后再保存"
    )
    good_result = json.loads(good)
    assert good_result["verdict"] == "通过：没有发现问题"
    assert good_result["status"] == "已可公开"
    assert good_result["preview"] == "http://127.0.0.1:8000/disclosures/2026/2026-03-02-b/"
    assert status_bad == 422 and json.loads(bad) == {"error": "无法确定要检查的文件"}


def test_the_editor_is_never_part_of_the_built_site(project: Project):
    (project.root / "editor").mkdir()
    (project.root / "editor" / "package.json").write_text("{}", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.output
    assert not (result.site / "admin").exists()
    assert not (result.site / "editor").exists()
    text = result.all_text().lower()
    assert "decap" not in text and "/api/v1" not in text
