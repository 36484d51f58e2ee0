"""The `gongkai` command: staff tools that work on the entries without building the site.

Run from the folder that holds mkdocs.yml. Every subcommand reads the settings and the entries
the same way the build does, so its messages are the build's messages.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .config import ConfigError, build_day, read_project_config
from .corpus import load_corpus
from .problems import errors, warnings


def _check(args: argparse.Namespace) -> int:
    """Validate every entry; exit 0 only when everything is publishable."""
    config = read_project_config(Path.cwd())
    today = build_day()
    corpus = load_corpus(Path.cwd(), config)
    for problem in corpus.problems:
        print(problem)
    pending = corpus.pending(today)
    if pending:
        print(f"\n待发布（{len(pending)} 条，不会出现在网站上）：")
        for entry in pending:
            reason = "草稿" if entry.draft else f"将于 {entry.date} 发布"
            print(f"  {entry.path}: {reason}：{entry.title}")
    error_count, warning_count = len(errors(corpus.problems)), len(warnings(corpus.problems))
    published = len(corpus.published(today))
    print(
        f"\n检查了 {len(corpus.entries) + len(corpus.rejected)} 个文件："
        f"{published} 条已可公开，{len(pending)} 条待发布，"
        f"{len(corpus.rejected)} 个文件有错误（共 {error_count} 个错误、{warning_count} 个警告）。"
    )
    return 1 if corpus.problems else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai", description="政务公开网站工具：在 mkdocs.yml 所在的文件夹中运行。"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    check = commands.add_parser("check", help="检查全部公开信息文件，不生成网站")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except ConfigError as error:
        print(f"gongkai 设置有误：\n{error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
