"""The channel statistics of one period as an inline SVG bar chart, one panel per group."""

from __future__ import annotations

from html import escape

from .config import DisclosureConfig
from .statistics import PeriodStatistics


def month_label(key: str) -> str:
    """`01` → `1月`; `2021-07` → `2021年7月`."""
    if "-" in key:
        year, month = key.split("-")
        return f"{year}年{int(month)}月"
    return f"{int(key)}月"


_WIDTH = 720
_MARGIN = 10
_TITLE_HEIGHT = 26
_VALUE_HEIGHT = 18
_BAR_HEIGHT = 80
_AXIS_HEIGHT = 20
_PANEL_GAP = 14
_PANEL_HEIGHT = _TITLE_HEIGHT + _VALUE_HEIGHT + _BAR_HEIGHT + _AXIS_HEIGHT + _PANEL_GAP
# A fallback for when the stylesheet is missing; gongkai.css sets the theme's colour.
_BAR_FILL = "#4051b5"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def chart_svg(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """Items per month per channel group as an inline SVG, one small bar chart per group.

    One panel per group (named in text, not by colour), one shared scale, and the count
    written above every bar: readable in black and white and by screen readers (`<title>`,
    `<desc>`), with no script.
    """
    groups = list(config.groups)
    months = list(stats.months)
    chart_id = f"gk-chart-{stats.period.key.replace('~', '-')}"
    peak = max((t.groups[g] for t in stats.months.values() for g in groups), default=0) or 1
    column = (_WIDTH - 2 * _MARGIN) / max(1, len(months))
    bar_width = column * 0.6
    height = len(groups) * _PANEL_HEIGHT

    panels = []
    for index, group in enumerate(groups):
        top = index * _PANEL_HEIGHT
        base = top + _TITLE_HEIGHT + _VALUE_HEIGHT + _BAR_HEIGHT
        items = [
            (f'<text class="gk-chart__group" x="{_MARGIN}" y="{top + 18}" font-size="15" '
             'font-weight="bold">'
             f"{escape(group)}（共 {stats.overall.groups[group]} 条）</text>"),
            (f'<line class="gk-chart__axis" x1="{_MARGIN}" x2="{_WIDTH - _MARGIN}" '
             f'y1="{base}" y2="{base}" stroke="currentColor"/>'),
        ]
        for number, key in enumerate(months):
            count = stats.months[key].groups[group]
            bar = _BAR_HEIGHT * count / peak
            centre = _MARGIN + column * (number + 0.5)
            label = month_label(key)
            items.append(
                f'<rect class="gk-chart__bar" x="{_number(centre - bar_width / 2)}" '
                f'y="{_number(base - bar)}" width="{_number(bar_width)}" height="{_number(bar)}" '
                f'fill="{_BAR_FILL}"><title>{escape(group)}，{label}：{count} 条</title></rect>'
            )
            items.append(
                f'<text class="gk-chart__value" x="{_number(centre)}" y="{_number(base - bar - 4)}"'
                f' text-anchor="middle">{count}</text>'
            )
            items.append(
                f'<text class="gk-chart__month" x="{_number(centre)}" y="{base + 16}" '
                f'text-anchor="middle">{label}</text>'
            )
        panels.append(f'<g class="gk-chart__panel">{"".join(items)}</g>')

    title = f"{stats.period.label}各渠道分组每月公开信息条数"
    description = "；".join(
        f"{group}：" + "，".join(
            f"{month_label(key)}{stats.months[key].groups[group]}条" for key in months
        )
        for group in groups
    )
    svg = (
        f'<svg class="gk-chart__svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" fill="currentColor" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}。</desc>'
        f'{"".join(panels)}</svg>'
    )
    caption = (
        f"{escape(title)}。每组一行，柱上数字为当月条数；"
        "一条信息经多个分组的渠道公开时，在每个分组中各计一次。"
    )
    # One line: a blank line inside would end Markdown's raw HTML block. tabindex: on narrow
    # screens the figure scrolls sideways, and keyboard users must be able to scroll it too.
    return f'<figure class="gk-chart" tabindex="0">{svg}<figcaption>{caption}</figcaption></figure>'
