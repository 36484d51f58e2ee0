"""The `gongkai` command: staff tools that work on the entries without building the site.

Run from the folder that holds mkdocs.yml. Every subcommand reads the settings and the entries
the same way the build does, so its messages are the build's messages.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .config import ConfigError, build_day, read_project_config
from .problems import Problem, errors, warnings
from .project import Project, load_project
from .statistics import FORMATS as REPORT_FORMATS

if TYPE_CHECKING:
    from .statistics import Period


_LOADED: list[Project] = []
"""The project a one-shot command loaded, kept to the end of the process (`run`)."""


def _load_for_command() -> Project:
    """The project as the commands that end once they have printed load it: with the verdict
    cache, and without the cycle collector from here to the process's end. Reading ten
    thousand entries makes a million objects and no reference cycles; left to the
    collector, its next pass walks all of them (27 ms at 10,000 entries) and so does the
    one at exit (13 ms). Frozen, they are never walked again; memory is still freed by
    reference counting. Not for `gongkai edit`, a server that reloads for every check."""
    gc.disable()
    project = load_project(Path.cwd(), cache=True)
    gc.freeze()
    _LOADED.append(project)
    return project


def _check(args: argparse.Namespace) -> int:
    """Validate every entry; exit 0 only when everything is publishable."""
    project = _load_for_command()
    corpus, today, problems = project.corpus, project.today, project.problems
    for problem in problems:
        print(problem)
    if project.notes:
        print(f"\n依法公开的个人信息（{len(project.notes)} 处，已写明理由，仅作记录）：")
        for note in project.notes:
            print(f"  {note}")
    # One pass for the counts and the pending entries (each pass over 30,000 entries in
    # newest-first order costs milliseconds).
    site_channel = project.config.site_channel
    published = on_site = 0
    pending = []
    for entry in corpus.entries:
        if entry.is_published(today):
            published += 1
            on_site += site_channel in entry.channels
        else:
            pending.append(entry)
    if pending:
        print(f"\n待发布（{len(pending)} 条，不会出现在网站上）：")
        for entry in pending:
            reason = "草稿" if entry.draft else f"将于 {entry.date} 发布"
            print(f"  {entry.path}: {reason}：{entry.title}")
    if project.reminders:
        print(f"\n提醒（{len(project.reminders)} 条，不影响检查结果）：")
        for reminder in project.reminders:
            print(f"  {reminder}")
    rejected = f"，{len(corpus.rejected)} 个文件有错误不会发布" if corpus.rejected else ""
    print(
        f"\n检查了 {len(corpus.entries) + len(corpus.rejected)} 个文件："
        f"{published} 条已可公开（{on_site} 条网站发布，{published - on_site} 条仅线下公开），"
        f"{len(pending)} 条待发布{rejected}。"
    )
    print(verdict(problems))
    return 1 if problems else 0


def verdict(problems: list[Problem]) -> str:
    """`gongkai check`'s last line: passed, or not and what that means for tonight's build,
    which (`mkdocs build --strict`) stops at any error or warning and keeps yesterday's site."""
    if not problems:
        return "检查结果：通过。"
    error_count, warning_count = len(errors(problems)), len(warnings(problems))
    cause = "有错误" if error_count else "有警告"
    return (
        f"检查结果：未通过（错误 {error_count} 个、警告 {warning_count} 个）。{cause}，"
        "今晚网站不会更新：请按上面每一行的说明修改后，再运行 gongkai check。"
    )


def _new(args: argparse.Namespace) -> int:
    """Write a new entry file with the next 索引号; ask for whatever the options lack."""
    from .new_entry import Cancelled, CreatedEntry, NewEntryRequest, ask_missing, create_entry

    config = read_project_config(Path.cwd())
    request = NewEntryRequest(args.title, args.category, args.channels, tuple(args.attach))
    try:
        request = ask_missing(request, config)
    except Cancelled:
        print("\n已取消，没有新建文件。", file=sys.stderr)
        return 1
    try:
        created = create_entry(Path.cwd(), config, build_day(), request)
    except OSError as error:
        print(f"gongkai new：无法读写 {error.filename or '文件'}（{error.strerror or error}）：请确认它不是文件夹、"
              "没有被 Excel 等程序打开，再重试", file=sys.stderr)
        return 1
    if not isinstance(created, CreatedEntry):
        for message in created:
            print(f"gongkai new：{message}", file=sys.stderr)
        return 1
    print(created.path.as_posix())
    print(
        f"已新建，索引号 {created.index_no}（已记入索引号登记簿）。"
        "请打开文件粘贴正文，填写文号等字段，再运行 gongkai check。",
        file=sys.stderr,
    )
    return 0


def _tidy(args: argparse.Namespace) -> int:
    """Turn Word/WPS/web HTML in entry bodies into clean Markdown, file by file."""
    from .tidy import tidy_file

    refused = 0
    for name in args.files:
        outcome = tidy_file(Path(name), name)
        if outcome.problem is not None:
            refused += 1
            print(outcome.problem)
        elif outcome.changed:
            print(f"{name}: 已整理：去掉了从 Word/WPS 粘贴带来的格式代码，字段和文字没有改动")
        else:
            print(f"{name}: 正文中没有需要整理的格式代码，未改动")
    if refused:
        print(f"\n有 {refused} 个文件没有整理（原因见上方），这些文件保持原样。")
        return 1
    print("\n请打开整理过的文件核对一遍，再运行 gongkai check。")
    return 0


# Each command imports the modules only it needs: `gongkai check` runs before every commit,
# and importing them all cost a tenth of its second.

# --- gongkai report: channel statistics (issue 3) -------------------------------------------


def _year(value: str) -> int:
    from .annual_data import FIRST_YEAR, LAST_YEAR

    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise argparse.ArgumentTypeError(f"「{value}」不是年份：请写四位数字，例如 2021")
    if not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"年份 {value} 超出范围：请写 {FIRST_YEAR}—{LAST_YEAR} 之间的年份"
        )
    return int(value)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"「{value}」不是 YYYY-MM-DD 格式的日期，例如 2021-06-30"
        ) from None


def _report_period(args: argparse.Namespace, today: dt.date) -> Period | str:
    """The period asked for, or the message saying what is wrong with the options."""
    from .statistics import Period

    start, end = args.start, args.end
    if args.year is not None:
        if start or end:
            return "--year 与 --from/--to 只能用其中一种"
        return Period.year(args.year)
    if start is None:
        return "请用 --year 指定年份，或用 --from（和 --to）指定期间，例如 --year 2021"
    end = end or today  # --from alone: up to today
    if start > end:
        return f"--from {start} 晚于 --to {end}"
    return Period(start, end)


def _report(args: argparse.Namespace) -> int:
    """Print the channel statistics of a period: the build's reading and checks, no site."""
    from . import report as reports
    from .statistics import count_period

    today = build_day()
    period = _report_period(args, today)
    if isinstance(period, str):
        print(f"gongkai report：{period}", file=sys.stderr)
        return 2
    project = _complete_project()
    if project is None:
        return 1
    corpus, config = project.corpus, project.config
    stats = count_period(corpus.entries, config, period, today)
    notes = [reports.partial_note(stats)]
    if args.format == "text":  # the other formats carry the note themselves (JSON: data only)
        notes.append(reports.OVERLAP_NOTE)
    for note in filter(None, notes):
        print(note, file=sys.stderr)
    output = reports.render(stats, config, args.format, args.by == "category")
    # CSV gets the BOM Excel needs.
    _write(output, "utf-8-sig" if args.format == "csv" else "utf-8")
    return 0


def _complete_project() -> Project | None:
    """The project, its entries' problems printed to stderr as the build words them; None
    when a file was left out, since a figure that silently leaves out a broken file must not
    reach the annual report."""
    try:
        project = _load_for_command()
    except OSError as error:
        print(f"无法读取 {error.filename}：{error.strerror}", file=sys.stderr)
        return None
    for problem in project.corpus_problems:  # the build's messages, word for word
        print(problem, file=sys.stderr)
    if project.corpus.rejected:
        print(
            f"有 {len(project.corpus.rejected)} 个文件未通过检查（见上方），统计数字不完整，未输出报告。",
            file=sys.stderr,
        )
        return None
    return project


def _write(text: str, encoding: str = "utf-8") -> None:
    """Bytes, so a redirected file is UTF-8 on every system."""
    _write_bytes(text.encode(encoding))


def _write_bytes(content: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


# --- gongkai annual-report (issue 7) ----------------------------------------------------------


def _annual_report(args: argparse.Namespace) -> int:
    """Print the year's whole annual report as Markdown: the site's page, word for word."""
    from . import annual_report
    from .annual_data import data_path, empty_data

    project = _complete_project()
    if project is None:
        return 1
    config, today = project.config, project.today
    path = data_path(config.reports_dir, args.year)
    problems = [problem for problem in project.annual_problems if problem.path == path]
    for problem in problems:
        print(problem, file=sys.stderr)
    if errors(problems):
        print("年度报告数据文件有错误（见上方），未输出报告。", file=sys.stderr)
        return 1
    data = project.annual.get(args.year, empty_data())
    if data.path is None:
        print(
            f"没有找到 {path}：表三、表四按 0 计，"
            "第五、六部分为“无”。填写方法见使用指南。",
            file=sys.stderr,
        )
    published = project.corpus.published(today)
    if args.format == "docx":
        from .annual_docx import render_docx  # python-docx is loaded only when asked for

        content = render_docx(published, data, config, args.year, today)
    else:
        content = annual_report.render(published, data, config, args.year, today).encode("utf-8")
    if args.output:
        try:
            Path(args.output).write_bytes(content)
        except OSError as error:
            print(f"无法写入 {args.output}：{error.strerror or error}", file=sys.stderr)
            return 1
        print(f"已写入 {args.output}", file=sys.stderr)
        return 0
    if args.format == "docx" and sys.stdout.isatty():
        print("Word 文件不能显示在屏幕上：请加上 -o 文件名.docx，或用 > 文件名.docx 保存。",
              file=sys.stderr)
        return 2
    _write_bytes(content)
    return 0


# --- gongkai rollup (issue 16): the county summary of several sites' published figures -------


def _rollup(args: argparse.Namespace) -> int:
    """Add up the year's figures of several built sites (folders or URLs)."""
    from . import rollup

    loaded, failures = [], []
    for source in args.sources:
        try:
            loaded.append((source, rollup.load_figures(source, args.year)))
        except rollup.SourceError as error:
            failures.append(str(error))
    if not failures:
        try:
            summary = rollup.roll_up(loaded, args.year)
        except rollup.SourceError as error:
            failures.append(str(error))
    if failures:
        for failure in failures:
            print(failure, file=sys.stderr)
        print(f"有 {len(failures)} 个来源无法汇总（见上方），未输出汇总表。", file=sys.stderr)
        return 1
    _write(rollup.render(summary, args.format), "utf-8-sig" if args.format == "csv" else "utf-8")
    return 0


# --- gongkai init (issue 16): a new township site -------------------------------------------


def _init(args: argparse.Namespace) -> int:
    from . import scaffold

    given = {"town": args.town, "publisher": args.publisher, "org_code": args.org_code,
             "site_url": args.site_url, "site_id_code": args.site_id_code}
    try:
        answers = scaffold.ask_answers(given)
        written = scaffold.create_site(Path(args.folder), answers)
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，未创建任何文件。", file=sys.stderr)
        return 1
    except scaffold.ScaffoldError as error:
        print(f"未创建网站：\n{error}", file=sys.stderr)
        return 1
    print(f"已在 {args.folder} 创建网站（{len(written)} 个文件）。接下来：")
    print(f"  cd {args.folder}")
    print("  make serve   # 预览网站：http://127.0.0.1:8000/")
    print("  make check   # 提交前检查公开信息")
    return 0


# --- gongkai edit (issue 15) -------------------------------------------------------------------


def _edit(args: argparse.Namespace) -> int:
    """The preview site and the editor in the browser, on this machine only."""
    from .editor_server import run_editor  # the editor's server is needed by this command only

    config = read_project_config(Path.cwd())
    return run_editor(Path.cwd(), config, args.port, args.editor_port,
                      lambda line: print(line, file=sys.stderr))


# argparse words its own usage line, help headings and errors through gettext, in English;
# staff read Chinese. Strings of a Python version not listed here stay as argparse has them.
_ARGPARSE_CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这一项，可选：%(choices)s",
    "the following arguments are required: %s": "缺少必填的选项：%s",
    "unrecognized arguments: %s": "无法识别：%s",
    "expected one argument": "后面需要写一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
}


def _in_chinese(message: str) -> str:
    return _ARGPARSE_CHINESE.get(message, message)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="政务公开网站工具：在 mkdocs.yml 所在的文件夹中运行。"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    check = commands.add_parser("check", help="检查全部公开信息文件，不生成网站")
    check.set_defaults(run=_check)
    new = commands.add_parser(
        "new", help="新建一条公开信息文件（自动填写今天的日期、发布机构和下一个索引号）",
        description="缺少的选项会逐项询问。",
    )
    new.add_argument("--title", help="标题")
    new.add_argument("--category", help="公开类别，例如 民生保障")
    new.add_argument("--channels", help="公开渠道代码，用逗号分开，例如 bulletin,village_board")
    new.add_argument("--attach", nargs="+", default=[], metavar="文件",
                     help="附件：复制到新信息文件旁以其命名的文件夹中，并写入 attachments")
    new.set_defaults(run=_new)
    tidy = commands.add_parser(
        "tidy", help="整理从 Word/WPS 或网页粘贴到正文里的格式代码（字段不变）",
        description="把正文中的 HTML 格式代码整理为段落、标题、列表、表格（合并单元格保留）和粗体；"
        "网页上显示的文字有任何变化时不整理该文件。",
    )
    tidy.add_argument("files", nargs="+", metavar="文件", help="要整理的公开信息文件")
    tidy.set_defaults(run=_tidy)
    report = commands.add_parser(
        "report", help="统计某年或某期间主动公开的信息条数（按公开渠道、渠道分组、公开类别）",
        description="不生成网站：按生成网站时的规则读取和检查公开信息文件，只统计条数。"
        "默认输出可直接粘贴进年度报告的一句话。",
    )
    report.add_argument("--year", type=_year, help="年份，例如 2021（1月1日至12月31日）")
    report.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="期间开始日期（含）")
    report.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="期间结束日期（含），默认今天；晚于今天的信息不计")
    report.add_argument("--format", choices=REPORT_FORMATS, default="text",
                        help="text：一句话（默认）；md：Markdown 表格；csv：表格文件；json：数据")
    report.add_argument("--by", choices=["category"], help="category：另附公开类别 × 公开渠道表")
    report.set_defaults(run=_report)
    annual = commands.add_parser(
        "annual-report", help="生成某年的政府信息公开工作年度报告（Markdown 或 Word，一至六部分）",
        description="第一、二部分由公开信息自动统计，第三至六部分取自 "
        "annual-reports/<年份>.yml。报告输出到屏幕，可用 > 文件名.md 保存；"
        "Word 文件用 --format docx -o 文件名.docx。",
    )
    annual.add_argument("--year", type=_year, required=True, help="年份，例如 2021")
    annual.add_argument("--format", choices=["md", "docx"], default="md",
                        help="md：Markdown（默认）；docx：Word 文件，按国家年报格式排版")
    annual.add_argument("-o", "--output", metavar="文件名", help="写入该文件，而不是输出到屏幕")
    annual.set_defaults(run=_annual_report)
    init = commands.add_parser(
        "init", help="新建一个乡镇（部门）政府信息公开网站",
        description="缺少的选项会逐项询问。新网站只含自己的设置、栏目页面和空的公开信息文件夹；"
        "模板、样式和脚本由 gongkai 提供。",
    )
    init.add_argument("folder", metavar="文件夹", help="新网站的文件夹（不存在或为空）")
    init.add_argument("--town", help="单位简称，例如 示例镇")
    init.add_argument("--publisher", help="发布机构全称，例如 示例镇人民政府")
    init.add_argument("--org-code", dest="org_code", help="组织机构代码或统一社会信用代码")
    init.add_argument("--site-url", dest="site_url", help="网站地址")
    init.add_argument("--site-id-code", dest="site_id_code", help="网站标识码（10位数字）")
    init.set_defaults(run=_init)
    summary = commands.add_parser(
        "rollup", help="汇总多个站点某年的主动公开统计和年报表格（县级汇总）",
        description="每个来源是一个生成好的网站文件夹（site）或网站网址；读取各站点发布的 "
        "annual-reports/<年份>.json，每个单位一行，另加合计。",
    )
    summary.add_argument("--year", type=_year, required=True, help="年份，例如 2025")
    summary.add_argument("--format", choices=REPORT_FORMATS, default="text",
                         help="text：文字（默认）；md：Markdown 表格；csv：表格文件；json：数据")
    summary.add_argument("sources", nargs="+", metavar="来源", help="网站文件夹或网址")
    summary.set_defaults(run=_rollup)
    edit = commands.add_parser(
        "edit", help="在浏览器中编辑公开信息（编辑器和预览网站，仅本机可访问）",
        description="编辑器：http://127.0.0.1:8001/admin/ ；预览网站：http://127.0.0.1:8000/ 。"
        "按 Ctrl+C 关闭。",
    )
    edit.add_argument("--port", type=int, default=8000, help="预览网站的端口，默认 8000")
    edit.add_argument("--editor-port", type=int, default=8001, help="编辑器的端口，默认 8001")
    edit.set_defaults(run=_edit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argparse._ = _in_chinese  # type: ignore[attr-defined]
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ConfigError as error:
        print(f"gongkai 设置有误：\n{error}", file=sys.stderr)
        return 2


def run() -> None:
    """The `gongkai` command. Once a command that loaded the project has printed, the process
    ends at once (`_end_now`), as Instagram ends its workers: freeing the million objects of
    ten thousand entries one by one, then the interpreter's own teardown, took 30 ms of a
    1 s check, and the operating system takes the memory back whole. Everything such a
    command writes to files is written and closed by then, and its worker processes are
    joined. Other commands exit the usual way."""
    try:
        code = main()
    except BrokenPipeError:  # `gongkai check | head`: the reader stopped reading; no traceback
        _end_now(1)
    if _LOADED:
        _end_now(code)
    sys.exit(code)


def _end_now(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
