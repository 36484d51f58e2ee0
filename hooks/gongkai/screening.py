"""Screening every text that reaches the public before it may be published.

One path, used identically by the build and `gongkai check`, so their verdicts cannot differ:
entries (body and every front-matter value), the annual-report files, the names and labels in
mkdocs.yml and the site's own pages in docs/. Findings are problems naming the file, the line
and what to do; messages never repeat an unmasked number, so logs stay free of personal data.

Active content is judged on what the public gets: a Markdown text is converted with the
site's own Markdown extensions (`TextScreen`) and the HTML judged by active_content.py's
allowlist, as a browser parses it. A finding is traced back to its source line by converting
ever shorter beginnings of the text. Most bodies hold no character from which Markdown could
make an element or attribute outside the allowlist (`_MARKUP_TRIGGERS`); they skip conversion,
which keeps `gongkai check` within its time budget.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .active_content import Finding, Kind, find_in_html, plainly_allowed
from .config import CONFIG_FILE, CONFIG_KEY, ConfigError, DisclosureConfig, read_project_mapping
from .entry import Entry
from .privacy import (
    REWRITTEN_CHARACTERS,
    find_personal_data,
    mask,
    may_hold_personal_data_each,
)
from .privacy import Finding as PersonalFinding
from .problems import Problem, Severity

BODY_FIELD = "正文"
ALLOWANCE_FIELD = "personal_data_allowed"

MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
"""Extensions MkDocs always adds before those of mkdocs.yml's `markdown_extensions`."""
PLAIN_SAFE_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "abbr",
    "def_list", "footnotes", "sane_lists", "nl2br", "smarty", "meta",
})
"""Extensions under which a text without `_MARKUP_TRIGGERS` renders into allowed HTML only.

Python-Markdown escapes text; it makes elements out of raw HTML and autolinks (`<`), links,
images, references, footnotes and abbreviations (`[`) and attribute lists (`{`), and
otherwise only the structure these extensions define (paragraphs, headings, lists, tables,
code, quotes, admonitions, ids of headings), all inside the allowlist. With any other
extension (pymdownx.*…) every text is converted."""
_MARKUP_TRIGGERS = frozenset("<[{")
"""Looked for one by one with `in` (a search in C) in a short text, rather than with the
class `[<\\[{]`: the regex engine tests each character against the class, three times slower.
A body's are among its `BodyMarks`."""
RAW_HTML_KEPT_EXTENSIONS = PLAIN_SAFE_EXTENSIONS - {"nl2br", "smarty"}
"""Extensions under which a text passing `_INLINE_BEFORE_HTML` and `plainly_allowed` (one
line per tag) renders into allowed HTML only, so pasted Word tables skip conversion.

Python-Markdown stashes each raw HTML tag as written, unless a block or inline pattern that
runs before its HTML pattern cuts into the tag first: code spans (`` ` ``), backslash
escapes, links and references (`[`), attribute lists (`{`), table cells (`|`), hard line
breaks (two spaces before a line end, so tags must be on one line); nl2br and smarty rewrite
text inside tags too. Without those, each tag is kept or (when not recognised, or inside a
code block) escaped into text, and Markdown adds only its own allowed structure. Since every
`<` opens a plainly allowed tag and no comment or raw-text element can hide one, the result
is inside the allowlist (tests/test_hardening_html.py checks it on generated texts)."""
_INLINE_BEFORE_HTML = re.compile(r"[\[{`\\|]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
"""YAML front matter as MkDocs strips it from a page before Markdown sees it."""
_NAME_MARKUP = re.compile(r"[<>{}\[\]&`\\]")
_BODY_MARKS = re.compile("[" + REWRITTEN_CHARACTERS + r"\[\]{\r]")
_NOT_REWRITTEN = frozenset("[]{\r")


@dataclass(frozen=True, slots=True)
class BodyMarks:
    """The characters of a body that its checks ask about, found in one search: the
    personal-data reading (`REWRITTEN_CHARACTERS`), control characters, Markdown's markup
    triggers and the brackets of links. A search per question cost a county's ten thousand
    bodies a tenth of a second more: each goes over every character of every body."""

    found: list[str]
    """Each such character of the body, in order."""
    present: frozenset[str]

    @property
    def rewritten(self) -> frozenset[str]:
        return self.present - _NOT_REWRITTEN

    @property
    def may_hold_control(self) -> bool:
        # Every character of _CONTROL is in REWRITTEN_CHARACTERS, but CR, marked on its own.
        return any(map(_CONTROL.match, self.present))


_last_marks: tuple[str, BodyMarks] | None = None


def body_marks(body: str) -> BodyMarks:
    """The body's `BodyMarks`; the last body's are kept, as the checks of one body come one
    after another (corpus.py, then `screen_entry`)."""
    global _last_marks
    if _last_marks is not None and _last_marks[0] is body:
        return _last_marks[1]
    found = _BODY_MARKS.findall(body)
    marks = BodyMarks(found, frozenset(found))
    _last_marks = body, marks
    return marks


@dataclass(frozen=True)
class MarkdownSettings:
    """The Markdown extensions and their settings, as MkDocs resolves mkdocs.yml's."""

    extensions: tuple[Any, ...] = MKDOCS_BUILTIN_EXTENSIONS
    configs: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, extensions: list[Any], configs: dict[str, Any]) -> MarkdownSettings:
        return cls(tuple(extensions), tuple(configs.items()))


def settings_from_yaml(data: Any) -> MarkdownSettings:
    """mkdocs.yml's `markdown_extensions` resolved as MkDocs does: its built-ins first, then
    each listed name once; `name: {…}` gives that extension's settings."""
    extensions: list[Any] = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, Any] = {}
    listed = data.get("markdown_extensions") if isinstance(data, dict) else None
    for item in listed if isinstance(listed, list) else []:
        if isinstance(item, dict) and len(item) == 1:
            ((name, settings),) = item.items()
            if isinstance(settings, dict):
                # A `!!python/name:` value cannot be read without MkDocs: left to its default.
                configs[name] = {key: value for key, value in settings.items()
                                 if value is not None}
            item = name
        if isinstance(item, str) and item not in extensions:
            extensions.append(item)
    return MarkdownSettings.of(extensions, configs)


class TextScreen:
    """Judges texts as the public gets them: Markdown converted with the site's settings."""

    def __init__(self, settings: MarkdownSettings = MarkdownSettings()):
        self.settings = settings
        self._converter: Any = None
        names = [name.removeprefix("markdown.extensions.") if isinstance(name, str) else None
                 for name in settings.extensions]
        self._plain_is_safe = all(name in PLAIN_SAFE_EXTENSIONS for name in names)
        self._raw_html_is_kept = all(name in RAW_HTML_KEPT_EXTENSIONS for name in names)

    def render(self, text: str) -> str:
        """The HTML the site makes of a Markdown text (made once, reset for each text)."""
        if self._converter is None:
            import markdown  # here: most runs of `gongkai check` never convert a text

            self._converter = markdown.Markdown(extensions=list(self.settings.extensions),
                                                extension_configs=dict(self.settings.configs))
        return self._converter.reset().convert(text)

    def markdown_findings(self, text: str, forms: bool = False,
                          present: frozenset[str] | None = None) -> list[Finding]:
        """`present`: the text's `BodyMarks.present`, when known."""
        # _MARKUP_TRIGGERS written out: a generator over them cost more than the searches.
        if self._plain_is_safe and (
                _MARKUP_TRIGGERS.isdisjoint(present) if present is not None
                else "<" not in text and "[" not in text and "{" not in text):
            return []
        if (self._raw_html_is_kept and not _INLINE_BEFORE_HTML.search(text)
                and plainly_allowed(text, forms, one_line_tags=True)):
            return []
        return find_in_html(self.render(text), forms)

    def screen(self, path: str, first_line: int, field: str, text: str, *,
               markdown_text: bool = True, forms: bool = False,
               one_line: bool = False, marks: BodyMarks | None = None) -> list[Problem]:
        """Problems of one text whose first line is `first_line` of `path`: control
        characters, and active content in what it renders to (`markdown_text`) or in the
        text read as HTML (front-matter values, which pages escape but feed readers and
        other sites' software may not). `one_line`: every finding is on `first_line`.
        `marks`: the text's, when the caller has them (`body_marks`)."""
        may_hold_control = marks.may_hold_control if marks is not None else bool(
            _CONTROL.search(text))
        problems = [] if not may_hold_control else [
            Problem(path, first_line + (0 if one_line else text.count("\n", 0, match.start())),
                    field, _control_message(match.group()))
            for match in _CONTROL.finditer(text)]
        if not markdown_text and "<" not in text:
            return problems  # most front-matter values: no element, so nothing to judge

        def judge(part: str) -> list[Finding]:
            if markdown_text:
                return self.markdown_findings(part, forms)
            return [found for found in find_in_html(part) if found.kind is Kind.SCRIPT]
        found = self.markdown_findings(text, forms, marks.present) if (
            markdown_text and marks is not None) else judge(text)
        if not found:
            return problems
        lines = text.split("\n")
        for finding in found:
            line = 1 if one_line else _first_line_showing(lines, judge, finding)
            problems.append(Problem(path, first_line + line - 1, field,
                                    _active_message(finding, path)))
        return problems


def _first_line_showing(lines: list[str], judge: Callable[[str], list[Finding]],
                        finding: Finding) -> int:
    """The line (1 = first) that completes `finding`: the fewest leading lines of the text
    whose rendering shows it, by bisection (only texts with a finding pay for this)."""
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        if finding in judge("\n".join(lines[:middle])):
            high = middle
        else:
            low = middle + 1
    return low


def _control_message(char: str) -> str:
    return (f"含有不可见的控制字符 U+{ord(char):04X}：网页、订阅源和表格文件中会成为乱码，"
            "请删除（多半来自复制粘贴，或 YAML 中 \\0、\\e 这样的转义）")


def _active_message(finding: Finding, path: str) -> str:
    if finding.kind is Kind.SCRIPT:
        return (f"含有可执行的活动内容（{finding.what}），本站不予发布：请删除；"
                "表格和普通格式可以保留")
    if finding.kind is Kind.WORD:
        return (f"含有从 Word/WPS 粘贴带来的格式代码（{finding.what}），本站不予发布："
                f"请运行 gongkai tidy {path} 清理，或手工删除这段代码")
    return (f"含有本站不允许的网页代码（{finding.what}），本站不予发布：请删除；"
            "段落、表格、图片文件、http/https 链接和普通格式可以保留")


# --- Entries -------------------------------------------------------------------------------


def _field_texts(entry: Entry) -> list[tuple[str, str]]:
    """(field, text) of every front-matter value the public reads: the entry page's metadata
    table and meta tags, listings, feeds, search and open data. A text's line is that of
    its field (`entry.line_of`), looked up only for a text with a problem."""
    texts = [("title", entry.title)]
    if entry.index_no:
        texts.append(("index_no", entry.index_no))
    if "publisher" in entry.field_lines:  # else the site's own, from mkdocs.yml
        texts.append(("publisher", entry.publisher))
    if entry.doc_no:
        texts.append(("doc_no", entry.doc_no))
    texts.extend(("tags", tag) for tag in entry.tags)
    if entry.summary:
        texts.append(("summary", entry.summary))
    texts.extend(("related", link.relation) for link in entry.related)
    # An attachment's title is on the page; its name is in the page's download link and URL.
    for attachment in entry.attachments:
        texts.append(("attachments", attachment.title))
        texts.append(("attachments", attachment.name))
    return texts


def _unpublished_texts(entry: Entry) -> Iterator[tuple[str, str, int]]:
    """Texts that reach logs and reports but not pages: screened for control characters."""
    if entry.late_reason:
        yield "late_reason", entry.late_reason, entry.line_of("late_reason")
    for allowance in entry.personal_data_allowed:
        yield ALLOWANCE_FIELD, allowance.reason, entry.line_of(ALLOWANCE_FIELD)


def screen_entry(
    entry: Entry, config: DisclosureConfig, used_in_attachments: frozenset[str] = frozenset(),
    screen: TextScreen | None = None,
) -> tuple[list[Problem], list[Problem]]:
    """The entry's problems, and notes of personal data it publishes with a written reason.
    `used_in_attachments`: allowed numbers found in the entry's attachments (attachments.py)."""
    screen = screen or TextScreen()
    problems: list[Problem] = []
    notes: list[Problem] = []
    reasons = {allowance.value: allowance.reason for allowance in entry.personal_data_allowed}
    used: set[str] = set(used_in_attachments)

    def add_findings(findings: list[PersonalFinding], field: str, text: str,
                     first_line: int) -> None:
        for finding in findings:
            # Front-matter texts are one logical line, however YAML wrapped them.
            line = first_line + (text.count("\n", 0, finding.start) if field == BODY_FIELD
                                 else 0)
            masked = mask(finding, config.masking)
            if finding.value in reasons:
                used.add(finding.value)
                notes.append(Problem(
                    entry.path, line, field,
                    f"按所写理由公开{finding.label} {masked}：{reasons[finding.value]}",
                    Severity.WARNING,
                ))
            else:
                problems.append(Problem(
                    entry.path, line, field,
                    f"含有未去标识化的{finding.label}：请改写为「{masked}」；"
                    f"依法确需公开的，在 {ALLOWANCE_FIELD} 中写明该号码和公开依据",
                ))

    fields = _field_texts(entry)
    field_texts = [text for _, text in fields]
    # Front-matter values with neither a control character nor a `<` have nothing for
    # `screen` to find: one search of them all spares six calls an entry.
    joined = "\n".join(field_texts)
    fields_need_screening = "<" in joined or _CONTROL.search(joined) is not None
    may_hold = may_hold_personal_data_each(field_texts)
    for (field, text), may_hold_personal_data in zip(
            fields, may_hold) if fields_need_screening or any(may_hold) else ():
        if may_hold_personal_data:
            add_findings(find_personal_data(text, config.masking), field, text,
                         entry.line_of(field))
        if fields_need_screening:
            problems += screen.screen(entry.path, entry.line_of(field), field, text,
                                      markdown_text=False, one_line=True)
    body = entry.body
    marks = body_marks(body)
    findings = find_personal_data(body, config.masking, marks.rewritten)
    if findings:
        add_findings(findings, BODY_FIELD, body, entry.body_line)
    problems += screen.screen(entry.path, entry.body_line, BODY_FIELD, body, marks=marks)
    for field, text, first_line in _unpublished_texts(entry):
        problems += screen.screen(entry.path, first_line, field, text,
                                  markdown_text=False, one_line=True)
    for number, allowance in enumerate(entry.personal_data_allowed, start=1):
        if allowance.value not in used:
            problems.append(Problem(
                entry.path, entry.line_of(ALLOWANCE_FIELD), ALLOWANCE_FIELD,
                f"第 {number} 项的号码在标题、文号、关键词、概述和正文等公开内容中都没有出现："
                "请核对号码，或删除这一项",
                Severity.WARNING,
            ))
    return (sorted(problems, key=Problem.sort_key) if problems else problems), notes


# --- The site's own files: mkdocs.yml and docs/ ----------------------------------------------


@dataclass(frozen=True)
class ProjectFiles:
    """What screening needs from mkdocs.yml, read without MkDocs (for `gongkai check`)."""

    text: str
    """mkdocs.yml itself, for the line of each setting."""
    docs_dir: str
    markdown: MarkdownSettings


def read_project_files(project_dir: Path, data: dict[str, Any] | None = None) -> ProjectFiles:
    """mkdocs.yml of the project; an unreadable one gives MkDocs' defaults (the command has
    already reported it when reading the settings). `data`: the file as
    `read_project_mapping` read it, when the caller has it already."""
    try:
        text = (project_dir / CONFIG_FILE).read_text(encoding="utf-8-sig")
        if data is None:
            data = read_project_mapping(project_dir)
    except (OSError, UnicodeDecodeError, ConfigError):
        return ProjectFiles("", "docs", MarkdownSettings())
    docs_dir = data.get("docs_dir")
    return ProjectFiles(text, docs_dir if isinstance(docs_dir, str) else "docs",
                        settings_from_yaml(data))


def project_screen(project_dir: Path) -> TextScreen:
    """A screen with the Markdown settings of the project's mkdocs.yml."""
    return TextScreen(read_project_files(project_dir).markdown)


def _value_lines(config_text: str) -> dict[tuple[str, ...], int]:
    """Line of every scalar under extra.disclosure in mkdocs.yml, by its path of keys (and
    list positions); a mapping key's own line under the path ending in ("key", name)."""
    try:
        root = yaml.compose(config_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value)
                lines[(*path, "key", name)] = key.start_mark.line + 1
                walk(value, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, (*path, str(position)))
        else:
            lines[path] = node.start_mark.line + 1
    if root is not None:
        walk(root, ())
    return lines


def _setting_texts(config: DisclosureConfig) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(setting, text, path in mkdocs.yml) of every name and label the public reads."""
    base = ("extra", "disclosure")
    for name in ("publisher", "sponsor", "contact", "icp_record", "police_record"):
        value = getattr(config, name)
        if value:
            yield name, value, (*base, name)
    for position, category in enumerate(config.categories):
        yield "categories", category, (*base, "categories", str(position))
    for key, label in config.channels.items():
        yield f"channels.{key}", label, (*base, "channels", key)
    for group in config.groups:
        yield "groups", group, (*base, "groups", "key", group)


def screen_settings(config_text: str, config: DisclosureConfig) -> list[Problem]:
    """Names and labels of mkdocs.yml are plain text: the statistics page and the annual
    report put them into Markdown tables, where markup would become live HTML."""
    lines = _value_lines(config_text)
    problems = []
    for setting, text, path in _setting_texts(config):
        line = lines.get(path, 0)
        field = f"{CONFIG_KEY}.{setting}"
        problems += [Problem(CONFIG_FILE, line, field, _control_message(match.group()))
                     for match in _CONTROL.finditer(text)]
        markup = _NAME_MARKUP.search(text)
        if markup:
            problems.append(Problem(CONFIG_FILE, line, field, (
                f"「{text}」含有网页或 Markdown 符号「{markup.group()}」：名称会显示在网站的"
                "表格和标题中，请只用文字、数字和常用标点"
            )))
    return problems


def _page_files(docs: Path) -> Iterator[Path]:
    for path in sorted(docs.rglob("*.md")):
        if not any(part.startswith(".") for part in path.relative_to(docs).parts):
            yield path


def screen_pages(project_dir: Path, docs_dir: str, screen: TextScreen) -> list[Problem]:
    """The site's own pages (docs/*.md) are public too: judged like entry bodies, except
    that forms are allowed (the search page has one)."""
    docs = project_dir / docs_dir
    problems: list[Problem] = []
    if not docs.is_dir():
        return problems
    for path in _page_files(docs):
        relative = path.relative_to(project_dir).as_posix()
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports a page it cannot read
        front = _FRONT_MATTER.match(text)
        first_line = 1
        if front:
            first_line += front.group().count("\n")
            text = text[front.end():]
        problems += screen.screen(relative, first_line, BODY_FIELD, text, forms=True)
    return problems


def screen_site_files(project_dir: Path, files: ProjectFiles, config: DisclosureConfig,
                      screen: TextScreen) -> list[Problem]:
    """Problems of mkdocs.yml's names and labels and of the pages in docs/."""
    return screen_settings(files.text, config) + screen_pages(project_dir, files.docs_dir, screen)
