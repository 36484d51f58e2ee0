"""The `gongkai` command: staff tools that work on the entries without building the site.

Run from the folder that holds mkdocs.yml. Every subcommand reads the settings and the entries
the same way the build does, so its messages are the build's messages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from . import annual_report
from . import report as reports
from .annual_data import FIRST_YEAR, LAST_YEAR, data_path, load_all_annual_data, load_annual_data
from .config import ConfigError, DisclosureConfig, build_day, read_project_config
from .corpus import Corpus, load_corpus
from .new_entry import Cancelled, CreatedEntry, NewEntryRequest, ask_missing, create_entry
from .problems import Problem, errors, warnings
from .statistics import Period, count_period
from .timing import add_timing_findings


def _check(args: argparse.Namespace) -> int:
    """Validate every entry; exit 0 only when everything is publishable."""
    config = read_project_config(Path.cwd())
    today = build_day()
    corpus = load_corpus(Path.cwd(), config)
    reminders = add_timing_findings(corpus, config, today)
    _, annual_problems = load_all_annual_data(Path.cwd(), config.reports_dir)
    problems = sorted(corpus.problems + annual_problems, key=Problem.sort_key)
    for problem in problems:
        print(problem)
    if corpus.notes:
        print(f"\n依法公开的个人信息（{len(corpus.notes)} 处，已写明理由，仅作记录）：")
        for note in corpus.notes:
            print(f"  {note}")
    pending = corpus.pending(today)
    if pending:
        print(f"\n待发布（{len(pending)} 条，不会出现在网站上）：")
        for entry in pending:
            reason = "草稿" if entry.draft else f"将于 {entry.date} 发布"
            print(f"  {entry.path}: {reason}：{entry.title}")
    if reminders:
        print(f"\n提醒（{len(reminders)} 条，不影响检查结果）：")
        for reminder in reminders:
            print(f"  {reminder}")
    error_count, warning_count = len(errors(problems)), len(warnings(problems))
    published = len(corpus.published(today))
    print(
        f"\n检查了 {len(corpus.entries) + len(corpus.rejected)} 个文件："
        f"{published} 条已可公开，{len(pending)} 条待发布，"
        f"{len(corpus.rejected)} 个文件有错误（共 {error_count} 个错误、{warning_count} 个警告）。"
    )
    return 1 if problems else 0


def _new(args: argparse.Namespace) -> int:
    """Write a new entry file with the next 索引号; ask for whatever the options lack."""
    config = read_project_config(Path.cwd())
    request = NewEntryRequest(args.title, args.category, args.channels)
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


# --- gongkai report: channel statistics (issue 3) -------------------------------------------


def _year(value: str) -> int:
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
    config = read_project_config(Path.cwd())
    today = build_day()
    period = _report_period(args, today)
    if isinstance(period, str):
        print(f"gongkai report：{period}", file=sys.stderr)
        return 2
    corpus = _complete_corpus(config)
    if corpus is None:
        return 1
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


def _complete_corpus(config: DisclosureConfig) -> Corpus | None:
    """The corpus, its problems printed to stderr as the build words them; None when a file
    was left out, since a figure that silently leaves out a broken file must not reach the
    annual report."""
    try:
        corpus = load_corpus(Path.cwd(), config)
    except OSError as error:
        print(f"无法读取 {error.filename}：{error.strerror}", file=sys.stderr)
        return None
    for problem in corpus.problems:  # the build's messages, word for word
        print(problem, file=sys.stderr)
    if corpus.rejected:
        print(
            f"有 {len(corpus.rejected)} 个文件未通过检查（见上方），统计数字不完整，未输出报告。",
            file=sys.stderr,
        )
        return None
    return corpus


def _write(text: str, encoding: str = "utf-8") -> None:
    """Bytes, so a redirected file is UTF-8 on every system."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode(encoding))
    sys.stdout.buffer.flush()


# --- gongkai annual-report (issue 7) ----------------------------------------------------------


def _annual_report(args: argparse.Namespace) -> int:
    """Print the year's whole annual report as Markdown: the site's page, word for word."""
    config = read_project_config(Path.cwd())
    today = build_day()
    corpus = _complete_corpus(config)
    if corpus is None:
        return 1
    data, problems = load_annual_data(Path.cwd(), config.reports_dir, args.year)
    for problem in problems:
        print(problem, file=sys.stderr)
    if errors(problems):
        print("年度报告数据文件有错误（见上方），未输出报告。", file=sys.stderr)
        return 1
    if data.path is None:
        print(
            f"没有找到 {data_path(config.reports_dir, args.year)}：表三、表四按 0 计，"
            "第五、六部分为“无”。填写方法见使用指南。",
            file=sys.stderr,
        )
    published = corpus.published(today)
    _write(annual_report.render(published, data, config, args.year, today))
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
    new.set_defaults(run=_new)
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
    report.add_argument("--format", choices=reports.FORMATS, default="text",
                        help="text：一句话（默认）；md：Markdown 表格；csv：表格文件；json：数据")
    report.add_argument("--by", choices=["category"], help="category：另附公开类别 × 公开渠道表")
    report.set_defaults(run=_report)
    annual = commands.add_parser(
        "annual-report", help="生成某年的政府信息公开工作年度报告（Markdown，一至六部分）",
        description="第一、二部分由公开信息自动统计，第三至六部分取自 "
        "annual-reports/<年份>.yml。报告输出到屏幕，可用 > 文件名.md 保存。",
    )
    annual.add_argument("--year", type=_year, required=True, help="年份，例如 2021")
    annual.set_defaults(run=_annual_report)
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


if __name__ == "__main__":
    sys.exit(main())
