"""`gongkai init DIR`: a new township (or department) site, ready to build and check.

The site holds only what is its own: `mkdocs.yml` (naming the plugin, the town's settings),
the four standard column pages in Chinese (the 指南 with the 政府信息公开申请表 as a Word file
addressed to the town), empty `disclosures/` and `annual-reports/`, the
pre-commit check, the daily-rebuild example and a two-command README. The theme, scripts and
styles stay in the package. The files are templates under `site_template/`, filled with the
answers; the settings are validated with the same rules as the build before anything is
written, so a new site passes `gongkai check` at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .application_form import FILE_NAME, application_form_docx
from .config import ConfigError, config_from_mapping
from .problems import Problem

TEMPLATE_DIR = Path(__file__).parent / "site_template"
# Template file → path in the new site. Dot files are kept without their dot in the package,
# since package-data globs skip hidden files.
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "Makefile": "Makefile",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "docs/index.md": "docs/index.md",
    "docs/guide.md": "docs/guide.md",
    "docs/rules.md": "docs/rules.md",
    "docs/annual-reports/index.md": "docs/annual-reports/index.md",
    "examples/daily-rebuild.yml": "examples/daily-rebuild.yml",
}
EMPTY_FOLDERS = ("disclosures", "annual-reports")
"""Kept in git by an empty `.gitkeep`: the reader skips hidden files."""
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_ORG_CODE = re.compile(r"[0-9A-Z]{8}-?[0-9A-Z]|[0-9A-Z]{18}")


@dataclass(frozen=True)
class SiteAnswers:
    """What `gongkai init` asks for; `site_id_code` may be empty (no 网站标识码 yet)."""

    town: str
    """The unit's short name, as in the site name: 示例镇."""
    publisher: str
    """发布机构: 示例镇人民政府."""
    org_code: str
    """组织机构代码 or 统一社会信用代码: opens every 索引号."""
    site_url: str
    site_id_code: str = ""


QUESTIONS = {
    "town": "单位简称（用于网站名称，例如 示例镇）",
    "publisher": "发布机构全称（例如 示例镇人民政府）",
    "org_code": "组织机构代码或统一社会信用代码（索引号的开头）",
    "site_url": "网站地址（例如 https://www.example.gov.cn/shilizhen/）",
    "site_id_code": "网站标识码（10位数字，暂无可直接回车）",
}


class ScaffoldError(Exception):
    """Why the site was not written (Chinese)."""


def gongkai_source() -> str:
    """What a new site's Makefile installs: this checkout when gongkai runs from one (so the
    new site uses exactly this version), else the installed release."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "hooks" / "gongkai").is_dir():
        return str(checkout)
    try:
        return f"gongkai=={version('gongkai')}"
    except PackageNotFoundError:
        return "gongkai"


def _yaml_scalar(value: str) -> str:
    """A value safe on one line of mkdocs.yml: quoted when YAML would read it otherwise."""
    if re.fullmatch(r"[\w\u3000-\u9fff\uff00-\uffef（）·—-]+", value) and not value[0].isdigit():
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def validate(answers: SiteAnswers) -> list[Problem]:
    """The answers checked by the rules the build applies to the same settings."""
    problems = []
    for item in fields(SiteAnswers):
        value = getattr(answers, item.name)
        if item.name != "site_id_code" and not value.strip():
            problems.append(Problem("gongkai init", 0, item.name, "不能为空"))
        if any(char in value for char in "\n\r\t\"'{}[]<>&"):
            problems.append(Problem("gongkai init", 0, item.name,
                                    "含有不能写进设置的字符（换行、引号、括号或 < > &）"))
    if answers.org_code and not _ORG_CODE.fullmatch(answers.org_code):
        problems.append(Problem("gongkai init", 0, "org_code",
                                "应为 9 位组织机构代码（如 00001434-9）或 18 位统一社会信用代码"))
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", answers.site_url):
        problems.append(Problem("gongkai init", 0, "site_url",
                                "应为以 http:// 或 https:// 开头的网址"))
    if problems:
        return problems
    settings = {"publisher": answers.publisher, "org_code": answers.org_code}
    if answers.site_id_code:
        settings["site_id_code"] = answers.site_id_code
    try:
        config_from_mapping(settings)
    except ConfigError as error:
        problems.extend(error.problems)
    return problems


def ask_answers(given: dict[str, str | None], ask: Callable[[str], str] = input,
                say: Callable[[str], None] = print) -> SiteAnswers:
    """Ask in Chinese for every answer not given as an option."""
    values = {}
    for name, question in QUESTIONS.items():
        value = given.get(name)
        while value is None:
            value = ask(f"{question}：").strip()
            if not value and name != "site_id_code":
                say("  这一项不能为空，请重新输入。")
                value = None
        values[name] = value.strip()
    return SiteAnswers(**values)


def render_file(template: str, answers: SiteAnswers, source: str) -> str:
    site_id_line = (f'    site_id_code: "{answers.site_id_code}"\n'
                    if answers.site_id_code else "")
    values = {
        "site_name": _yaml_scalar(f"{answers.town}政府信息公开"),
        "publisher": answers.publisher,
        "org_code": answers.org_code,
        "site_url": answers.site_url.rstrip("/") + "/",
        "site_id_code_line": site_id_line,
        "gongkai_source": source,
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def create_site(folder: Path, answers: SiteAnswers, source: str | None = None) -> list[Path]:
    """Write the new site into `folder` (absent or empty); the paths written, in order."""
    problems = validate(answers)
    if problems:
        raise ScaffoldError("\n".join(str(problem) for problem in problems))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} 已存在且不是空文件夹：为避免覆盖已有文件，请换一个文件夹")
    source = source or gongkai_source()
    written = []
    try:
        for template_name, target_name in FILES.items():
            template = (TEMPLATE_DIR / template_name).read_text(encoding="utf-8")
            target = folder / target_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_file(template, answers, source), encoding="utf-8")
            written.append(target)
        form = folder / "docs" / "files" / FILE_NAME
        form.parent.mkdir(parents=True, exist_ok=True)
        form.write_bytes(application_form_docx(answers.publisher, f"受理机构：{answers.publisher}"))
        written.append(form)
        for name in EMPTY_FOLDERS:
            keep = folder / name / ".gitkeep"
            keep.parent.mkdir(parents=True, exist_ok=True)
            keep.touch()
            written.append(keep)
    except OSError as error:
        raise ScaffoldError(f"无法写入 {error.filename}：{error.strerror}") from None
    return written
