"""The site's disclosure settings: `extra: disclosure:` in mkdocs.yml, validated once.

The defaults below are the only place a default lives. The build reads the settings from the
MkDocs config it is given; the `gongkai` command reads the same block straight from
mkdocs.yml (without starting MkDocs, but resolving `INHERIT` and `!ENV` with the libraries
MkDocs itself uses), so both see exactly the same values.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import mergedeep  # type: ignore[import-untyped]
import yaml
import yaml_env_tag  # type: ignore[import-untyped]

from .entry import china_today
from .problems import Problem

CONFIG_FILE = "mkdocs.yml"
CONFIG_KEY = "extra.disclosure"
TODAY_VARIABLE = "GONGKAI_TODAY"

DEFAULT_CHANNELS = {
    "website": "县政府信息公开网站子站",
    "zwy": "政务易平台",
    "broadcast": "村村响广播",
    "bulletin": "信息公告栏",
    "village_board": "村级公示栏",
    "wechat": "政务公众号",
}
DEFAULT_GROUPS = {
    "网站子站": ["website"],
    "政务易平台和村村响广播": ["zwy", "broadcast"],
    "信息公告栏和村级公示栏": ["bulletin", "village_board"],
    "政务公众号": ["wechat"],
}
DEFAULT_INDEX_PATTERN = "{org_code}/{year}-{serial:05d}"
INDEX_PATTERN_FIELDS = ("org_code", "year", "serial")
# Digits kept at the start and at the end of each kind of personal number; the rest become *.
DEFAULT_MASKING = {"id_card": [6, 4], "mobile": [3, 4], "bank_card": [4, 4]}
# The shortest number of each kind, so a rule always hides at least MIN_MASKED digits.
MASKED_KIND_LENGTHS = {"id_card": 15, "mobile": 11, "bank_card": 16}
MIN_MASKED = 4
# Months a category may go without a new item (DOMAIN §6 inspection rules); 0 = no limit.
DEFAULT_STALENESS = {"通知公告": 6, "政策文件": 6, "人事信息": 12, "规划计划": 12}
MAX_STALENESS_MONTHS = 1200
"""A hundred years: longer limits mean nothing, and dates that far out do not exist."""
DEFAULT_ATTACHMENT_FORMATS = ("pdf", "docx", "xlsx", "csv", "txt", "jpg", "jpeg", "png")
"""Every format attachments.py can inspect; a site may publish fewer."""
DEFAULT_CATEGORIES = [
    "机构职能", "政策文件", "规划计划", "重大决策", "财政信息", "行政执法", "民生保障",
    "乡村振兴", "重大建设项目", "公共资源配置", "应急管理", "人事信息", "法治政府建设", "通知公告",
]


@dataclass(frozen=True)
class DisclosureConfig:
    """Validated settings. Every attribute has its default here and nowhere else."""

    publisher: str = "示例镇人民政府"
    """发布机构 used when an entry names none."""
    org_code: str = "000000000"
    """Organisation code that opens every 索引号 (组织机构代码 or 统一社会信用代码)."""
    source_dir: str = "disclosures"
    """Folder, relative to mkdocs.yml, that holds one Markdown file per disclosure."""
    categories: list[str] = field(default_factory=lambda: list(DEFAULT_CATEGORIES))
    """公开类别, in the order listings and reports show them."""
    channels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CHANNELS))
    """公开渠道: key used in front matter → label shown to the public."""
    groups: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_GROUPS))
    """Channel groups named in the annual report → the channel keys they contain."""
    site_channel: str = "website"
    """The channel this site is (网站子站): only entries carrying it become web pages; the
    others are records of offline disclosure, counted in the statistics and nowhere shown."""
    page_size: int = 50
    """Rows per page of the 信息公开目录 and the category and year listings."""
    latest_count: int = 10
    """Entries shown on the home page."""
    index_pattern: str = DEFAULT_INDEX_PATTERN
    """索引号 made by `gongkai new`: `{org_code}`, `{year}` and `{serial}` (e.g. `{serial:05d}`)."""
    masking: dict[str, list[int]] = field(
        default_factory=lambda: {kind: list(keep) for kind, keep in DEFAULT_MASKING.items()}
    )
    """Site-wide de-identification rule: [digits kept at the start, at the end] per kind of
    number (`id_card`, `mobile`, `bank_card`); one rule, so fragments cannot be recombined."""
    staleness: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_STALENESS))
    """Months each 公开类别 may go without a new item before a reminder (0: no limit);
    categories not named have no limit. A partial mapping changes only the ones it names."""
    max_entry_kb: int = 2048
    """Largest entry file read, in KB: a larger one is refused before it is read whole."""
    reports_dir: str = "annual-reports"
    """Folder, relative to mkdocs.yml, of the yearly `<year>.yml` files of the annual report."""
    site_id_code: str | None = None
    """网站标识码 (10 digits), written as the SiteIDCode meta tag and in the footer."""
    sponsor: str | None = None
    """主办单位 shown in the footer."""
    contact: str | None = None
    """联系方式 shown in the footer (an address or a telephone number)."""
    icp_record: str | None = None
    """ICP备案号 shown in the footer, linked to the MIIT register."""
    police_record: str | None = None
    """公安机关备案号 shown in the footer."""
    error_report_url: str | None = None
    """Address of the 政府网站找错 (national site error report) form for this site, linked from
    the footer, e.g. `https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5000000001`."""
    badge_image: str | None = None
    """党政机关标识 image, a path inside docs_dir (e.g. `assets/dzjg.png`), shown in the footer."""
    badge_url: str | None = None
    """Address the 党政机关标识 links to (its registration page at conac.cn)."""
    attachment_formats: list[str] = field(
        default_factory=lambda: list(DEFAULT_ATTACHMENT_FORMATS)
    )
    """Suffixes of the files entries may publish as attachments (附件); each one gongkai can
    check (see attachments.FORMATS)."""
    attachment_max_mb: int = 50
    """Largest attachment, in MB."""


class ConfigError(Exception):
    """The settings are unusable; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


_FIELD_NAMES = [f.name for f in fields(DisclosureConfig)]


def _problem(name: str, message: str) -> Problem:
    return Problem(CONFIG_FILE, 0, f"{CONFIG_KEY}.{name}", message)


def _check_text(name: str, value: Any, problems: list[Problem]) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(_problem(name, "应为非空文字"))


def _check_text_list(name: str, value: Any, problems: list[Problem]) -> None:
    if not isinstance(value, list) or not value or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        problems.append(_problem(name, "应为非空的文字列表"))
    elif len(set(value)) != len(value):
        problems.append(_problem(name, "列表中有重复项"))


def _check_path_safe(name: str, value: Any, problems: list[Problem]) -> None:
    """Category names become folder names in URLs."""
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, str):
            continue
        if any(char in item for char in '/\\?#%<>:"|*'):
            problems.append(_problem(name, f"「{item}」含有不能用于网址的字符（如 / ? # %）"))
        elif item.strip() and item != item.strip(" .\t\u3000") or item.strip(".") == "":
            # "." and ".." would name the catalogue folder itself or its parent; a leading
            # dot hides the folder, and trailing dots and spaces are dropped by Windows.
            problems.append(_problem(
                name, f"「{item}」不能用作文件夹名：不能只由点组成，也不能以点或空格开头或结尾",
            ))


FOOTER_TEXT_SETTINGS = ("sponsor", "contact", "icp_record", "police_record", "badge_image")
FOOTER_URL_SETTINGS = ("error_report_url", "badge_url")


def _check_optional_url(name: str, value: Any, problems: list[Problem]) -> None:
    if value is not None and not (
        isinstance(value, str) and re.fullmatch(r"https?://\S+", value.strip())
    ):
        problems.append(_problem(name, f"「{value}」应为以 http:// 或 https:// 开头的网址"))
_SITE_ID_CODE = re.compile(r"\d{10}")


def _check_optional_text(name: str, value: Any, problems: list[Problem]) -> None:
    if value is not None:
        _check_text(name, value, problems)


def _check_site_id_code(value: Any, problems: list[Problem]) -> None:
    """网站标识码: 6-digit 行政区划代码 + 4-digit serial; quoted, or YAML reads it as a number."""
    if value is not None and not (isinstance(value, str) and _SITE_ID_CODE.fullmatch(value)):
        problems.append(_problem(
            "site_id_code", f"「{value}」应为加引号的 10 位数字，例如 \"5001070012\"",
        ))


def _check_positive_int(name: str, value: Any, problems: list[Problem]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(_problem(name, "应为正整数"))


def _check_channels(value: Any, problems: list[Problem]) -> None:
    if not isinstance(value, dict) or not value:
        problems.append(_problem("channels", "应为“渠道代码: 渠道名称”的映射，且不能为空"))
        return
    for key, label in value.items():
        if not isinstance(key, str) or not key.isidentifier() or not key.isascii():
            problems.append(
                _problem("channels", f"渠道代码「{key}」只能用英文字母、数字和下划线")
            )
        if not isinstance(label, str) or not label.strip():
            problems.append(_problem("channels", f"渠道「{key}」缺少名称"))


def _check_groups(value: Any, channels: Any, problems: list[Problem]) -> None:
    if not isinstance(value, dict):
        problems.append(_problem("groups", "应为“分组名称: [渠道代码, …]”的映射"))
        return
    known = list(channels) if isinstance(channels, dict) else []
    for name, members in value.items():
        if not isinstance(members, list) or not members:
            problems.append(_problem("groups", f"分组「{name}」应列出至少一个渠道代码"))
            continue
        for key in members:
            if key not in known:
                problems.append(
                    _problem("groups", f"分组「{name}」中的渠道「{key}」未在 channels 中定义")
                )


def _check_site_channel(value: Any, channels: Any, problems: list[Problem]) -> None:
    known = list(channels) if isinstance(channels, dict) else []
    if not isinstance(value, str) or value not in known:
        problems.append(_problem(
            "site_channel",
            f"「{value}」不是 channels 中的渠道代码：请填写本网站自己的渠道，"
            f"可选：{'、'.join(str(key) for key in known)}",
        ))


def _index_pattern_fields(value: str) -> list[str] | None:
    """The replacement fields of `value`, or None when one is anything but a bare name
    (`{serial[0]}`, `{org_code.x}`, `{year!r}`, a nested `{serial:{year}}`) or a format
    spec sits on a field other than serial: those would fail, or quietly change the
    number, when `gongkai new` fills the pattern in."""
    names: list[str] = []
    try:
        for _, name, spec, conversion in string.Formatter().parse(value):
            if name is None:
                continue
            if (
                name not in INDEX_PATTERN_FIELDS or conversion is not None
                or (spec and (name != "serial" or "{" in spec))
            ):
                return None
            names.append(name)
        value.format(org_code="X", year=2021, serial=1)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None
    return names


def _check_index_pattern(value: Any, problems: list[Problem]) -> None:
    if not isinstance(value, str):
        problems.append(_problem("index_pattern", "应为文字，例如 {org_code}/{year}-{serial:05d}"))
        return
    names = _index_pattern_fields(value)
    if names is None or sorted(names) != sorted(INDEX_PATTERN_FIELDS):
        problems.append(_problem(
            "index_pattern",
            f"「{value}」无效：{{org_code}}、{{year}}、{{serial}} 应各出现一次，"
            "花括号里只能写这三个名称（{serial} 可加格式，如 {serial:05d}），"
            "例如 {org_code}/{year}-{serial:05d}",
        ))


def _check_attachment_formats(value: Any, problems: list[Problem]) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(_problem("attachment_formats", "应为扩展名列表，例如 [pdf, docx, xlsx]"))
        return
    unknown = [item for item in value if item not in DEFAULT_ATTACHMENT_FORMATS]
    if unknown:
        problems.append(_problem(
            "attachment_formats",
            f"不支持的格式「{'、'.join(unknown)}」：本站能检查的只有 {'、'.join(DEFAULT_ATTACHMENT_FORMATS)}",
        ))


def _merge_masking(value: Any, problems: list[Problem]) -> dict[str, list[int]]:
    """The configured rule over the defaults; a partial mapping changes only the kinds it names."""
    merged = {kind: list(keep) for kind, keep in DEFAULT_MASKING.items()}
    if not isinstance(value, dict):
        problems.append(_problem("masking", "应为映射，例如 mobile: [3, 4]"))
        return merged
    for kind, keep in value.items():
        if kind not in DEFAULT_MASKING:
            problems.append(_problem(
                "masking", f"未知号码类型「{kind}」，可选：{'、'.join(DEFAULT_MASKING)}"
            ))
        elif not (isinstance(keep, list) and len(keep) == 2 and all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in keep
        )):
            problems.append(_problem("masking", f"{kind} 应写成 [保留开头位数, 保留末尾位数]"))
        elif sum(keep) > MASKED_KIND_LENGTHS[kind] - MIN_MASKED:
            problems.append(_problem(
                "masking", f"{kind} 保留的位数太多：至少要隐去 {MIN_MASKED} 位",
            ))
        else:
            merged[kind] = list(keep)
    return merged


def _merge_staleness(value: Any, categories: Any, problems: list[Problem]) -> dict[str, int]:
    """The configured limits over the defaults, keeping only configured categories (a
    default for a category the site does not have is dropped, not an error)."""
    known = categories if isinstance(categories, list) else []
    merged = {name: months for name, months in DEFAULT_STALENESS.items() if name in known}
    if not isinstance(value, dict):
        problems.append(_problem("staleness", "应为“公开类别: 月数”的映射，例如 通知公告: 6"))
        return merged
    for name, months in value.items():
        if name not in known:
            problems.append(_problem("staleness", f"「{name}」不是 categories 中的公开类别"))
        elif (
            isinstance(months, bool) or not isinstance(months, int)
            or not 0 <= months <= MAX_STALENESS_MONTHS
        ):
            problems.append(_problem(
                "staleness", f"{name} 应为 0 到 {MAX_STALENESS_MONTHS} 之间的月数（0 表示不检查）",
            ))
        else:
            merged[name] = months
    return merged


def config_from_mapping(raw: Any) -> DisclosureConfig:
    """Validate the `extra: disclosure:` mapping and fill in defaults; raise ConfigError."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError([_problem("", "应为映射（键: 值）")])
    problems: list[Problem] = []
    for key in raw:
        if key not in _FIELD_NAMES:
            import difflib  # only for a mistake: not on every command's path

            near = difflib.get_close_matches(str(key), _FIELD_NAMES, n=1)
            hint = f"，是否想写「{near[0]}」？" if near else f"，可用的设置：{'、'.join(_FIELD_NAMES)}"
            problems.append(_problem(str(key), f"未知设置{hint}"))
    values = {name: raw[name] for name in _FIELD_NAMES if name in raw}
    defaults = DisclosureConfig()
    merged = {name: values.get(name, getattr(defaults, name)) for name in _FIELD_NAMES}
    for name in ("publisher", "org_code", "source_dir", "reports_dir"):
        _check_text(name, merged[name], problems)
    _check_text_list("categories", merged["categories"], problems)
    _check_path_safe("categories", merged["categories"], problems)
    _check_channels(merged["channels"], problems)
    _check_groups(merged["groups"], merged["channels"], problems)
    _check_site_channel(merged["site_channel"], merged["channels"], problems)
    for name in ("page_size", "latest_count", "max_entry_kb"):
        _check_positive_int(name, merged[name], problems)
    _check_index_pattern(merged["index_pattern"], problems)
    for name in FOOTER_TEXT_SETTINGS:
        _check_optional_text(name, merged[name], problems)
    for name in FOOTER_URL_SETTINGS:
        _check_optional_url(name, merged[name], problems)
    _check_site_id_code(merged["site_id_code"], problems)
    _check_attachment_formats(merged["attachment_formats"], problems)
    _check_positive_int("attachment_max_mb", merged["attachment_max_mb"], problems)
    merged["masking"] = _merge_masking(merged["masking"], problems)
    # Defaults are filtered by the categories, so they are merged here, not taken whole.
    merged["staleness"] = _merge_staleness(
        values.get("staleness", {}), merged["categories"], problems
    )
    if problems:
        raise ConfigError(problems)
    return DisclosureConfig(**merged)


def folders_inside_docs(
    project_dir: Path, docs_dir: Path, config: DisclosureConfig
) -> list[Problem]:
    """`source_dir` or `reports_dir` inside MkDocs' docs_dir: MkDocs itself would then publish
    every file there as it is — drafts and entries not yet due included — whatever gongkai
    decides. Paths are resolved, so `./docs`, `docs/../docs/x` and links are caught too."""
    project = project_dir.resolve()
    docs = docs_dir.resolve()

    def shown(path: Path) -> str:
        return Path(os.path.relpath(path, project)).as_posix()

    problems = []
    for name in ("source_dir", "reports_dir"):
        folder = (project / getattr(config, name)).resolve()
        if folder == docs or docs in folder.parents:
            problems.append(_problem(
                name,
                f"文件夹「{shown(folder)}」在 docs_dir（{shown(docs)}）之内：MkDocs 会把其中的文件"
                "原样发布，草稿和未到发布日期的信息也会公开。请把它移到 "
                f"{shown(docs)} 之外（默认是 {getattr(DisclosureConfig, name)}），并修改此设置",
            ))
    return problems


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does (`!ENV`), without importing MkDocs: other tags, such as
    `!relative` or `!!python/name`, mean nothing to gongkai's settings and become None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
# MkDocs' own constructor, so that a setting taken from the environment reads the same.
_TolerantLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)

INHERIT_KEY = "INHERIT"


def _config_problem(path: Path, project_dir: Path, line: int, message: str,
                    setting: str = "") -> ConfigError:
    shown = os.path.relpath(path, project_dir) if path.is_absolute() else str(path)
    return ConfigError([Problem(Path(shown).as_posix(), line, setting, message)])


def _inherit_line(path: Path) -> int:
    """Line of the INHERIT key, for messages about the file it names."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next((n for n, line in enumerate(lines, 1) if line.startswith(INHERIT_KEY)), 0)


def _load_config_file(path: Path, project_dir: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """One configuration file with the files it inherits merged under it, as MkDocs merges
    them (`INHERIT`, resolved against the file's folder, deep-merged by mergedeep): a county's
    shared base file gives `gongkai check` the same settings it gives the build."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        if not chain:
            raise ConfigError(
                [Problem(CONFIG_FILE, 0, "", "找不到 mkdocs.yml：请在网站项目的根目录下运行此命令")]
            ) from None
        raise _config_problem(chain[-1], project_dir, _inherit_line(chain[-1]),
                              f"指向的文件 {path} 不存在：请核对路径", INHERIT_KEY) from None
    except (OSError, UnicodeDecodeError):
        raise _config_problem(path, project_dir, 0, "无法读取（不是 UTF-8 文本文件）") from None
    try:
        data = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise _config_problem(path, project_dir, line, "YAML 格式错误，无法读取") from None
    if not isinstance(data, dict):
        return {}
    parent = data.pop(INHERIT_KEY, None)
    if not isinstance(parent, str):
        return data
    parent_path = Path(os.path.normpath(path.parent / parent))
    if parent_path in chain or parent_path == path:
        raise _config_problem(path, project_dir, _inherit_line(path),
                              f"循环引用了 {parent}：请删除这一行或改为县级公共设置文件",
                              INHERIT_KEY)
    base = _load_config_file(parent_path, project_dir, (*chain, path))
    return dict(mergedeep.merge(base, data))


def read_project_mapping(project_dir: Path) -> dict[str, Any]:
    """The project's mkdocs.yml as MkDocs reads it (INHERIT merged, !ENV resolved), without
    MkDocs; a ConfigError when it cannot be read."""
    return _load_config_file(project_dir / CONFIG_FILE, project_dir, ())


def read_project_config(project_dir: Path, data: dict[str, Any] | None = None
                        ) -> DisclosureConfig:
    """Settings of the project whose mkdocs.yml is in `project_dir` (used by the command line);
    `data`: that file as `read_project_mapping` read it, when the caller has it already."""
    if data is None:
        data = read_project_mapping(project_dir)
    extra = data.get("extra")
    return config_from_mapping(extra.get("disclosure") if isinstance(extra, dict) else None)


def read_docs_dir(project_dir: Path) -> str:
    """mkdocs.yml's docs_dir (MkDocs' default `docs` when it names none or cannot be read)."""
    try:
        data = read_project_mapping(project_dir)
    except ConfigError:
        return "docs"
    value = data.get("docs_dir")
    return value if isinstance(value, str) and value.strip() else "docs"


def build_day() -> dt.date:
    """The day that decides what is published: today in China, or GONGKAI_TODAY=YYYY-MM-DD
    to preview the site as it will be on another day."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return china_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError([Problem(
            "环境变量", 0, TODAY_VARIABLE, f"「{value}」不是 YYYY-MM-DD 格式的日期",
        )]) from None


def served_path(project_dir: Path) -> str:
    """The URL path `mkdocs serve` serves the project under: the path of a plain `site_url`,
    or / when site_url is unset or a tag such as `!ENV` (the preview commands set
    GONGKAI_SITE_URL to the preview's root)."""
    try:
        text = (project_dir / CONFIG_FILE).read_text(encoding="utf-8-sig")
        data = yaml.load(text, Loader=_TolerantLoader) or {}
    except (OSError, yaml.YAMLError):
        return "/"
    site_url = data.get("site_url") if isinstance(data, dict) else None
    path = urlsplit(site_url).path if isinstance(site_url, str) else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"
