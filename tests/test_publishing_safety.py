"""Real builds and real `gongkai` runs: personal data, active content, escaping, atomic publish."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

from conftest import REPO, Project
from gongkai.front_matter import UTF8_HELP

ID_NUMBER = "500230199001010015"
ID_MASKED = "500230********0015"
MOBILE = "13812345678"
PII_BODY = f"| 姓名 | 身份证号 | 电话 |\n|---|---|---|\n| 张某某 | {ID_NUMBER} | {MOBILE} |"


def entry_titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<td class="gk-entry-title"><a [^>]+>([^<]+)</a>', html)]


def test_unmasked_personal_data_fails_the_build_naming_file_line_and_masked_form(project: Project):
    project.entry("disclosures/2021/list.md", index_no="000014349/2021-00001",
                  title=f"关于{MOBILE}号码的说明", body=f"名单如下：\n\n{PII_BODY}")
    result = project.build()
    assert result.returncode != 0
    assert "Traceback" not in result.output
    advice = "依法确需公开的，在 personal_data_allowed 中写明该号码和公开依据"
    assert (f"ERROR   -  disclosures/2021/list.md:2: title: 含有未去标识化的手机号码：请改写为"
            f"「138****5678」；{advice}") in result.output
    assert (f"ERROR   -  disclosures/2021/list.md:12: 正文: 含有未去标识化的居民身份证号：请改写为"
            f"「{ID_MASKED}」；{advice}") in result.output
    assert "disclosures/2021/list.md:12: 正文: 含有未去标识化的手机号码" in result.output
    assert ID_NUMBER not in result.output and MOBILE not in result.output  # logs stay clean


def test_masked_forms_and_public_numbers_build_strictly(project: Project):
    project.entry("disclosures/2021/ok.md", index_no="000014349/2021-00001", body=(
        f"| 张某某 | {ID_MASKED} | 138****5678 |\n\n咨询电话：023-70601234，"
        "示例府发〔2021〕12号，金额 1,280.00 元，2021-03-04。"
    ))
    result = project.build()
    assert result.returncode == 0, result.output
    # The stars are written as &#42; (pasted.py), so Markdown never reads them as emphasis.
    assert ID_MASKED in unescape(result.page("disclosures/2021/ok"))


def test_personal_data_allowed_with_a_reason_is_published_and_logged_as_info(project: Project):
    project.write("disclosures/2021/penalty.md", f"""\
        ---
        title: 行政处罚决定书
        date: 2021-03-04
        category: 行政执法
        channels: [website]
        index_no: 000014349/2021-00001
        personal_data_allowed:
          - value: "{ID_NUMBER}"
            reason: 依据《中华人民共和国行政处罚法》第四十八条公开行政处罚决定
        ---
        当事人：王某，身份证号 {ID_NUMBER}。
        """)
    result = project.build()  # --strict: an allowed finding is no warning
    assert result.returncode == 0, result.output
    assert (f"INFO    -  disclosures/2021/penalty.md:11: 正文: 按所写理由公开居民身份证号 {ID_MASKED}："
            "依据《中华人民共和国行政处罚法》第四十八条公开行政处罚决定") in result.output
    assert ID_NUMBER in result.page("disclosures/2021/penalty")


def test_an_allowance_matching_nothing_is_a_warning(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001",
                  personal_data_allowed=f'[{{value: "{ID_NUMBER}", reason: 依法公开}}]')
    result = project.build()
    assert result.returncode != 0
    assert ("WARNING -  disclosures/2021/a.md:7: personal_data_allowed: 第 1 项的号码在标题、文号、"
            "关键词、概述和正文等公开内容中都没有出现：请核对号码，或删除这一项") in result.output


ACTIVE = '<p>通知</p>\n<img src="x.png" onerror="alert(1)">\n\n[查看](javascript:alert(2))'


def test_active_content_fails_the_build_naming_each_line(project: Project):
    project.entry("disclosures/2021/x.md", index_no="000014349/2021-00001", body=ACTIVE)
    result = project.build()
    assert result.returncode != 0
    refuse = "本站不予发布：请删除；表格和普通格式可以保留"
    assert ("ERROR   -  disclosures/2021/x.md:9: 正文: 含有可执行的活动内容（<img> 的事件属性 onerror），"
            + refuse) in result.output
    assert ("ERROR   -  disclosures/2021/x.md:11: 正文: 含有可执行的活动内容（<a> 的 href 中的脚本链接"
            "「javascript:」），" + refuse) in result.output


def test_good_entries_next_to_bad_ones_are_published_without_strict(project: Project):
    project.entry("disclosures/2021/good.md", title="正常的通知", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/pii.md", title="含个人信息的名单", index_no="000014349/2021-00002",
                  body=PII_BODY)
    project.entry("disclosures/2021/active.md", title="含脚本的通知", index_no="000014349/2021-00003",
                  body=ACTIVE)
    project.entry("disclosures/2021/unfinished.md", title="未写完的通知",
                  index_no="000014349/2021-00004", body="（请在此处粘贴正文，并删除本行）")
    result = project.build(strict=False)
    assert result.returncode == 0, result.output
    assert ("3 个文件有错误，未发布：disclosures/2021/active.md、disclosures/2021/pii.md、"
            "disclosures/2021/unfinished.md") in result.output
    assert entry_titles(result.page("catalogue")) == ["正常的通知"]
    everything = result.all_text()
    for secret in (ID_NUMBER, MOBILE, "含个人信息的名单", "含脚本的通知", "alert(", "未写完的通知"):
        assert secret not in everything


PASTED_WORD_HTML = """\
<table class="MsoTableGrid" border="1" style="border-collapse:collapse;border:none">
<tr><td width="120" style="width:90pt;padding:0cm 5.4pt"><p class="MsoNormal" align="center"
style="text-align:center"><span style="font-family:宋体">村（社区）</span></p></td>
<td><span lang="EN-US">1,280.00</span>&nbsp;元</td></tr>
</table>

| 项目 | 金额（元） |
|---|---|
| 合计 | 2,240.50 |

[县政府网站](https://www.example.gov.cn/)
"""


def test_pasted_document_html_builds_and_no_entry_page_renders_active_content(project: Project):
    from gongkai.active_content import find_live_script

    project.entry("disclosures/2021/word.md", index_no="000014349/2021-00001", body=PASTED_WORD_HTML)
    project.entry("disclosures/2021/plain.md", index_no="000014349/2021-00002", body="正文。")
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/word")
    assert 'style="text-align:center"' in html and "<td>合计</td>" in html
    for page in result.site.glob("disclosures/**/index.html"):
        text = page.read_text("utf-8")
        # gongkai's own page furniture (breadcrumb <nav>, toolbar buttons) is not pasted
        # content: what must never be there is script.
        content = text[text.index("<article"): text.index("</article>")]
        assert find_live_script(content) == [], page


SNEAKY_HOOK = '''\
def on_page_markdown(markdown, page, config, files):
    """Stands for any extension or theme change that adds active HTML after gongkai's check."""
    if page.file.src_uri.startswith("disclosures/"):
        return markdown + '\\n\\n<a href="#" onclick="alert(1)">x</a>\\n'
    return markdown
'''


def test_rendered_active_content_stops_the_build_as_a_safety_net(project: Project):
    project.write("sneaky_hook.py", SNEAKY_HOOK)
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    hook_line = next(line for line in config.splitlines() if "gongkai_hooks.py" in line)
    (project.root / "mkdocs.yml").write_text(
        config.replace(hook_line, f"{hook_line}\n  - sneaky_hook.py"), "utf-8")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build(strict=False)
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert ("disclosures/2021/a.md: 正文: 生成的网页中含有可执行的活动内容（<a> 的事件属性 onclick），"
            "构建已停止：请删除该内容后重新构建") in result.output
    assert not (result.site / "disclosures" / "2021" / "a" / "index.html").exists()


# Markup in a title is text (script in one is refused: tests/test_hardening_html.py).
HTML_TITLE = "<i>斜</i> & <b>粗</b>"
ESCAPED_TITLE = "&lt;i&gt;斜&lt;/i&gt; &amp; &lt;b&gt;粗&lt;/b&gt;"


def test_a_title_containing_html_is_text_everywhere(project: Project):
    project.entry("disclosures/2021/x.md", title=f"'{HTML_TITLE}'", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    page = result.page("disclosures/2021/x")
    assert f"<title>{ESCAPED_TITLE} - 测试镇政府信息公开</title>" in page
    header = page[page.index('<div class="md-header__title"'):]
    assert ESCAPED_TITLE in header[: header.index("</header>")]
    assert f'<h1 class="gk-title">{ESCAPED_TITLE}</h1>' in page
    for listing in ("catalogue", "catalogue/category/通知公告", "catalogue/year/2021", ""):
        html = result.page(listing)
        assert ESCAPED_TITLE in html, listing
    everything = result.all_text()
    for name in ("catalogue.json", "catalogue.csv"):  # open data: the title as data, not markup
        data = (result.site / "data" / name).read_bytes().decode("utf-8")
        assert HTML_TITLE in data
        everything = everything.replace(data, "")
    index = result.site / "search-index"
    for path in index.rglob("*"):  # the index: data for its script, which inserts it as text
        if path.is_file():
            everything = everything.replace(path.read_bytes().decode("utf-8", "replace"), "")
    assert "<b>粗" not in everything
    rows = [row for path in (index / "d").glob("*.json")
            for row in json.loads(path.read_text("utf-8"))]
    # The search index holds the title as text (the home page, a page of the site, is in the
    # index too).
    [entry] = [row for row in rows if row[0] == "disclosures/2021/x/"]
    assert entry[1] == HTML_TITLE
    assert HTML_TITLE in (index / "t" / f"{rows.index(entry)}.bin").read_bytes().decode("utf-16-le")


# --- Atomic publish -------------------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_failed_make_build_leaves_the_previous_site_byte_for_byte(project: Project):
    shutil.copy(REPO / "Makefile", project.root / "Makefile")
    make = ["make", "-s", "-o", ".venv/.ready", "build", f"BIN={REPO / '.venv' / 'bin'}"]
    project.entry("disclosures/2021/a.md", title="第一版", index_no="000014349/2021-00001")
    first = subprocess.run(make, cwd=project.root, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    before = _snapshot(project.root / "site")
    assert "disclosures/2021/a/index.html" in before

    project.entry("disclosures/2021/b.md", title="坏文件", date="2021-02-30")
    failed = subprocess.run(make, cwd=project.root, capture_output=True, text=True, check=False)
    assert failed.returncode != 0
    assert "disclosures/2021/b.md:3: date: 日期「2021-02-30」不存在" in failed.stdout + failed.stderr
    assert _snapshot(project.root / "site") == before


# --- gongkai check --------------------------------------------------------------------------


def test_check_lists_problems_pending_entries_and_a_summary(project: Project):
    project.entry("disclosures/2021/ok.md", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/draft.md", title="草稿通知", draft="true",
                  index_no="000014349/2021-00002")
    project.entry("disclosures/2030/later.md", title="定时通知", date="2030-05-01",
                  index_no="000014349/2030-00001")
    project.entry("disclosures/2021/pii.md", index_no="000014349/2021-00003", body=PII_BODY)
    result = project.gongkai("check", env={"GONGKAI_TODAY": "2026-01-01"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("disclosures/2021/pii.md:10: 正文: 含有未去标识化的居民身份证号：请改写为"
                               f"「{ID_MASKED}」")
    assert "  disclosures/2021/draft.md: 草稿：草稿通知" in lines
    assert "  disclosures/2030/later.md: 将于 2030-05-01 发布：定时通知" in lines
    assert lines[-2:] == [
        "检查了 4 个文件：1 条已可公开（1 条网站发布，0 条仅线下公开），2 条待发布，1 个文件有错误不会发布。",
        ("检查结果：未通过（错误 2 个、警告 0 个）。有错误，今晚网站不会更新："
        "请按上面每一行的说明修改后，再运行 gongkai check。"),
    ]
    (project.root / "disclosures/2021/pii.md").unlink()
    assert project.gongkai("check", env={"GONGKAI_TODAY": "2026-01-01"}).returncode == 0


def test_pre_commit_hook_runs_gongkai_check():
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))["repos"]
    hook = hooks[0]["hooks"][0]
    assert hooks[0]["repo"] == "local" and hook["pass_filenames"] is False
    assert hook["entry"] == ".venv/bin/gongkai check"


# --- gongkai new ----------------------------------------------------------------------------

TODAY = {"GONGKAI_TODAY": "2026-11-26"}


def run_new(project: Project, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", "new", *args], cwd=project.root,
                          input=stdin, capture_output=True, text=True, check=False,
                          env={**os.environ, **TODAY})


def register_rows(project: Project) -> list[list[str]]:
    text = (project.root / "索引号登记簿.csv").read_text("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_new_writes_an_entry_with_the_next_index_number_and_registers_it(project: Project):
    first = run_new(project, "--title", "关于低保对象的公示", "--category", "民生保障",
                    "--channels", "bulletin,村级公示栏")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "disclosures/2026/2026-11-26-00001.md\n"
    text = (project.root / "disclosures/2026/2026-11-26-00001.md").read_text("utf-8")
    assert text.startswith(
        "---\ntitle: 关于低保对象的公示\ndate: 2026-11-26\ncategory: 民生保障\n"
        "channels: [bulletin, village_board]\nindex_no: 000014349/2026-00001\n"
        "publisher: 测试镇人民政府\n"
    )
    assert register_rows(project) == [
        ["索引号", "年度", "序号", "登记日期", "文件", "标题"],
        ["000014349/2026-00001", "2026", "1", "2026-11-26", "disclosures/2026/2026-11-26-00001.md",
         "关于低保对象的公示"],
    ]
    # Not publishable until the body is written; the register itself is never a problem.
    check = project.gongkai("check", env=TODAY)
    assert check.returncode == 1
    assert check.stdout.splitlines()[0] == (
        "disclosures/2026/2026-11-26-00001.md:13: 正文: 正文还没有填写：请把「（请在此处粘贴正文，"
        "并删除本行）」这一行换成正文"
    )
    path = project.root / "disclosures/2026/2026-11-26-00001.md"
    path.write_text(text.replace("（请在此处粘贴正文，并删除本行）", "公示内容。"), "utf-8")
    check = project.gongkai("check", env=TODAY)
    assert check.returncode == 0, check.stdout
    assert check.stdout.strip() == (
        "检查了 1 个文件：1 条已可公开（0 条网站发布，1 条仅线下公开），0 条待发布。\n检查结果：通过。"
    )
    assert project.build(env=TODAY).returncode == 0


def test_new_never_reuses_a_number_even_of_a_deleted_or_hand_written_file(project: Project):
    args = ("--title", "通知", "--category", "通知公告", "--channels", "website")
    assert run_new(project, *args).stdout.strip().endswith("-00001.md")
    (project.root / "disclosures/2026/2026-11-26-00001.md").unlink()
    assert run_new(project, *args).stdout.strip().endswith("-00002.md")
    project.entry("disclosures/2026/hand.md", index_no="000014349/2026-00041")
    assert run_new(project, *args).stdout.strip() == "disclosures/2026/2026-11-26-00042.md"
    assert [row[0] for row in register_rows(project)[1:]] == [
        "000014349/2026-00001", "000014349/2026-00002", "000014349/2026-00042"]


def test_new_refuses_to_overwrite(project: Project):
    project.write("disclosures/2026/2026-11-26-00001.md", "手写的文件\n")
    result = run_new(project, "--title", "通知", "--category", "通知公告", "--channels", "website")
    assert result.returncode == 1
    assert result.stderr == (
        "gongkai new：disclosures/2026/2026-11-26-00001.md 已存在，不会覆盖：请检查该文件，或删除后重试\n"
    )
    assert (project.root / "disclosures/2026/2026-11-26-00001.md").read_text("utf-8") == "手写的文件\n"


def test_new_asks_for_what_is_missing_by_number(project: Project):
    result = run_new(project, stdin="关于修路的通知\n99\n14\n1, 4\n")
    assert result.returncode == 0, result.stderr
    assert "  14. 通知公告" in result.stdout and "  4. bulletin（信息公告栏）" in result.stdout
    assert "请输入编号：没有第 99 项：请输入 1—14 之间的编号\n请输入编号：" in result.stdout
    path = result.stdout.rsplit("：", 1)[-1].strip()  # prompts are not followed by a newline
    text = (project.root / path).read_text("utf-8")
    assert "title: 关于修路的通知\ncategory" not in text  # date sits between them
    assert "category: 通知公告\nchannels: [website, bulletin]\n" in text


def test_new_reports_bad_options_in_the_readers_words(project: Project):
    result = run_new(project, "--title", "通知", "--category", "民生保证", "--channels", "weixin")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "gongkai new：--category（公开类别）：未知分类「民生保证」，是否想写「民生保障」？")
    assert result.stderr.splitlines()[1].startswith("gongkai new：--channels（公开渠道）：未知渠道「weixin」")
    assert not (project.root / "索引号登记簿.csv").exists()


def test_new_with_no_answers_cancels(project: Project):
    result = run_new(project, stdin="")
    assert result.returncode == 1
    assert "已取消，没有新建文件。" in result.stderr


def test_personal_numbers_in_every_public_field_fail_the_build(project: Project):
    project.entry("disclosures/2021/target.md", title="被关联的通知", index_no="000014349/2021-00001")
    project.write("disclosures/2021/fields.md", f"""\
        ---
        title: 关于某事的通知
        date: 2021-03-05
        category: 通知公告
        channels: [website]
        index_no: 000014349/2021-00002
        publisher: 测试镇{MOBILE}办公室
        doc_no: 测试发〔2021〕{ID_NUMBER}号
        tags: [低保, "{MOBILE}"]
        related:
          - index_no: 000014349/2021-00001
            relation: 联系人 138 1234 5678
        ---
        正文。
        """)
    result = project.build(strict=False)
    assert "Traceback" not in result.output
    for line, field in ((7, "publisher"), (8, "doc_no"), (9, "tags"), (10, "related")):
        assert f"ERROR   -  disclosures/2021/fields.md:{line}: {field}: 含有未去标识化的" in result.output
    assert "1 个文件有错误，未发布：disclosures/2021/fields.md" in result.output
    assert MOBILE not in result.output and ID_NUMBER not in result.output
    everything = result.all_text()
    assert MOBILE not in everything and ID_NUMBER not in everything
    assert "138 1234 5678" not in everything


def test_an_allowance_covers_a_number_in_any_public_field(project: Project):
    project.write("disclosures/2021/penalty.md", f"""\
        ---
        title: 行政处罚决定书
        date: 2021-03-04
        category: 行政执法
        channels: [website]
        index_no: 000014349/2021-00001
        doc_no: 测试罚〔2021〕{ID_NUMBER}号
        personal_data_allowed:
          - value: "{ID_NUMBER}"
            reason: 依据《中华人民共和国行政处罚法》第四十八条公开
        ---
        处罚决定。
        """)
    result = project.build()
    assert result.returncode == 0, result.output
    assert "INFO    -  disclosures/2021/penalty.md:7: doc_no: 按所写理由公开居民身份证号" in result.output


def test_new_reports_a_register_saved_by_excel_in_gbk(project: Project):
    register = project.root / "索引号登记簿.csv"
    register.write_bytes(
        "索引号,年度,序号,登记日期,文件,标题\r\n"
        "000014349/2026-00001,2026,1,2026-11-26,disclosures/2026/a.md,通知\r\n".encode("gbk")
    )
    result = run_new(project, "--title", "通知", "--category", "通知公告", "--channels", "website")
    assert result.returncode == 1
    assert result.stderr == f"gongkai new：索引号登记簿.csv:1: 编码: {UTF8_HELP}\n"
    assert not (project.root / "disclosures/2026").exists()


def test_new_reports_a_path_it_cannot_use_without_a_traceback(project: Project):
    (project.root / "索引号登记簿.csv").mkdir()
    result = run_new(project, "--title", "通知", "--category", "通知公告", "--channels", "website")
    assert result.returncode == 1
    assert result.stderr.startswith("gongkai new：无法读写 ") and "索引号登记簿.csv" in result.stderr
    assert "Traceback" not in result.stderr

    (project.root / "索引号登记簿.csv").rmdir()
    shutil.rmtree(project.root / "disclosures")
    (project.root / "disclosures").write_text("不是文件夹\n", encoding="utf-8")
    result = run_new(project, "--title", "通知", "--category", "通知公告", "--channels", "website")
    assert result.returncode == 1
    assert result.stderr.startswith("gongkai new：无法读写 ") and "disclosures" in result.stderr
    assert "Traceback" not in result.stderr
