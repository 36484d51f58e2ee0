"""Deterministic synthetic disclosure corpora for benchmarks.

`write_corpus(folder, count, seed)` writes `count` entry files shaped like a township's real
output: Chinese titles and bodies of 0.5–3 KB, every category and channel, several years,
a few drafts and future-dated entries. The same seed always gives the same files, so two runs
(or two machines) measure the same input.

Usable as a script: `python bench/generate.py FOLDER COUNT [SEED]`.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CATEGORIES = [
    "机构职能", "政策文件", "规划计划", "重大决策", "财政信息", "行政执法", "民生保障",
    "乡村振兴", "重大建设项目", "公共资源配置", "应急管理", "人事信息", "法治政府建设", "通知公告",
]
# Weighted like a township's year: boards and broadcasts carry most notices.
CHANNEL_SETS = [
    (["website"], 12), (["zwy", "broadcast"], 14), (["bulletin", "village_board"], 30),
    (["website", "wechat"], 8), (["bulletin"], 10), (["village_board"], 10),
    (["zwy"], 6), (["broadcast"], 4), (["website", "bulletin", "village_board"], 6),
]
SUBJECTS = [
    "城乡低保对象", "特困人员救助供养", "临时救助", "农村危房改造", "耕地地力保护补贴", "高标准农田建设",
    "人居环境整治", "森林防火", "防汛抗旱", "农村公路养护", "饮水安全巩固提升", "集体经济组织",
    "退役军人优待", "医疗保障", "义务教育", "公益性岗位", "财政预算", "财政决算", "三公经费",
    "政府采购", "土地承包经营权流转", "宅基地审批", "安全生产", "食品安全", "河长制",
]
TITLE_PATTERNS = [
    "关于{year}年{subject}名单的公示", "示例镇{year}年{subject}工作方案", "关于做好{subject}工作的通知",
    "示例镇关于{subject}的公告", "{year}年第{quarter}季度{subject}情况公开", "关于{subject}资金发放情况的公示",
    "示例镇{subject}实施细则（试行）", "关于开展{subject}专项检查的通知",
]
SENTENCES = [
    "为切实做好{subject}工作，根据上级有关文件精神，结合我镇实际，现将有关事项通知如下。",
    "经村（居）民委员会民主评议、镇人民政府审核，{subject}相关情况予以公开，接受群众监督。",
    "各村（社区）要高度重视，明确专人负责，确保{subject}各项任务按时保质完成。",
    "{year}年，全镇共落实{subject}资金{amount}万元，惠及群众{people}人。",
    "对公示内容有异议的，请于公示期内向镇社会事务办公室反映，联系电话：023-70600000。",
    "镇纪委将对{subject}工作开展情况进行监督检查，对工作不力、弄虚作假的严肃追责问责。",
    "本通知自印发之日起施行，由示例镇人民政府负责解释。",
    "各村要结合实际，进一步完善{subject}台账，做到底数清、情况明、措施实。",
    "下一步，我镇将持续推进{subject}，着力解决群众急难愁盼问题，不断提升群众满意度。",
]


# Pasted lists, as staff publish them: masked personal data (which the guard must let pass),
# an office landline and amounts (which it must not flag), and a table.
TABLE = """| 村（社区） | 姓名 | 身份证号 | 联系电话 | 金额（元） |
|---|---|---|---|---|
| 示例村 | 张某某 | 500230********0018 | 138****5678 | 1,280.00 |
| 样板村 | 李某 | 500230********002X | 139****1234 | 960.50 |"""


def _body(rng: random.Random, subject: str, year: int) -> str:
    target = rng.randint(500, 3000)  # bytes of UTF-8, about a third as many characters
    paragraphs: list[str] = [TABLE] if rng.random() < 0.3 else []
    size = 0
    while size < target:
        sentences = [
            rng.choice(SENTENCES).format(subject=subject, year=year, amount=rng.randint(3, 900),
                                         people=rng.randint(10, 3000))
            for _ in range(rng.randint(2, 5))
        ]
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8"))
    return "\n\n".join(paragraphs)


def _channels(rng: random.Random) -> list[str]:
    sets, weights = zip(*CHANNEL_SETS)
    return rng.choices(sets, weights=weights)[0]


def write_corpus(folder: Path, count: int, seed: int = 2021, org_code: str = "000014349") -> None:
    """Write `count` entry files under `folder/<year>/`; about 1% drafts, 0.5% future-dated."""
    rng = random.Random(seed)
    years = list(range(2019, 2027))
    serials: dict[int, int] = {}
    for number in range(count):
        year = years[number % len(years)]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if year == 2026:
            month = min(month, 10)  # keep before the build day
        roll = rng.random()
        draft = roll < 0.01
        future = 0.01 <= roll < 0.015
        date_year = 2999 if future else year
        serials[date_year] = serials.get(date_year, 0) + 1
        subject = rng.choice(SUBJECTS)
        title = rng.choice(TITLE_PATTERNS).format(year=year, subject=subject,
                                                  quarter=rng.randint(1, 4))
        lines = [
            "---",
            f"title: {title}",
            f"date: {date_year}-{month:02d}-{day:02d}",
            f"category: {CATEGORIES[number % len(CATEGORIES)]}",
            f"channels: [{', '.join(_channels(rng))}]",
            f"index_no: {org_code}/{date_year}-{serials[date_year]:05d}",
        ]
        if number % 7 == 0:
            lines.append(f"doc_no: 示例府发〔{year}〕{serials[date_year]}号")
        if number % 3 == 0 and day > 10:  # written a few days before, well within 20 working days
            lines.append(f"written: {date_year}-{month:02d}-{day - rng.randint(1, 9):02d}")
        if number % 4 == 0:
            lines.append(f"summary: {subject}有关情况。")
            lines.append(f"tags: [{subject}, {CATEGORIES[number % len(CATEGORIES)]}]")
        if draft:
            lines.append("draft: true")
        lines.append("---")
        path = folder / str(date_year) / f"{number:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n" + _body(rng, subject, year) + "\n", "utf-8")


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2021)
