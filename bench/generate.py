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
# Sentences of township prose, in our own words. A body draws each at most once, with its
# slots filled anew, as a real notice does not repeat itself; an earlier generator repeated a
# handful of sentences to length, which gave a few words a posting in every page many times
# over and made search indexes and query downloads look heavier than real ones.
SENTENCES = [
    "为切实做好{subject}工作，根据上级有关文件精神，结合我镇实际，现将有关事项通知如下。",
    "经{village}村民委员会民主评议、镇人民政府审核，{subject}相关情况予以公开，接受群众监督。",
    "各村（社区）要高度重视，明确专人负责，确保{subject}各项任务于{month}月底前按时保质完成。",
    "{year}年，全镇共落实{subject}资金{amount}万元，惠及群众{people}人。",
    "对公示内容有异议的，请于公示期内向镇{office}反映，联系电话：023-706{phone}。",
    "镇纪委将对{subject}工作开展情况进行监督检查，对工作不力、弄虚作假的严肃追责问责。",
    "本通知自印发之日起施行，由示例镇人民政府负责解释。",
    "{village}要结合实际，进一步完善{subject}台账，做到底数清、情况明、措施实。",
    "下一步，我镇将持续推进{subject}，着力解决群众急难愁盼问题，不断提升群众满意度。",
    "截至{month}月{day}日，{village}已完成入户核查{households}户，发现问题{problems}个，已整改{fixed}个。",
    "{office}牵头，会同{office2}组成联合工作组，分片包村开展督导。",
    "请各村于{month}月{day}日前将汇总表报送镇{office}，逾期未报的视为无变动。",
    "资金通过“一卡通”直接发放到户，严禁截留、挤占、挪用，确保专款专用。",
    "工作中遇到的问题，请及时与{office}联系，重大情况第一时间向镇党委、政府报告。",
    "{village}地处{terrain}，{subject}任务较重，镇里安排驻村工作队予以重点帮扶。",
    "今年以来，共召开院坝会{meetings}场次，发放宣传资料{leaflets}份，群众知晓率明显提高。",
    "申请人须提交户口簿、身份证复印件及相关证明材料，由村委会初审后报镇{office}复核。",
    "复核结果将在村务公开栏张贴，公示时间不少于七日。",
    "对{terrain}的{households}户群众，采取分类施策、一户一策的办法逐户落实。",
    "{year}年度项目预算{amount}万元，其中上级补助资金{part}万元，镇级配套资金按规定足额安排。",
    "施工期间，请过往群众注意安全，服从现场管理人员指挥，给出行带来的不便敬请谅解。",
    "项目实行公开招标，由具有相应资质的单位承建，工程质量接受村民代表全程监督。",
    "{village}成立了由村干部、党员代表和群众代表组成的理事会，负责日常管理和维护。",
    "对弄虚作假、骗取补助资金的，一经查实，追回已发放资金，并依法依规追究责任。",
    "镇{office}设立咨询窗口，工作日上午九时至下午五时接待群众来访。",
    "全镇{households}户农户已签订承诺书，{subject}工作覆盖率达到百分之{percent}。",
    "此次检查共抽查{village}等{villages}个村，查阅资料{files}份，走访群众{people}人。",
    "针对检查发现的{problems}个问题，镇里建立整改清单，明确责任人和完成时限，实行销号管理。",
    "汛期前，{village}对辖区内{points}处隐患点逐一落实监测责任人，确保信息畅通。",
    "镇财政所将于{month}月{day}日前完成资金拨付，并在镇政府网站子站同步公开。",
    "各村要把{subject}与乡村振兴、基层治理结合起来，统筹推进，形成合力。",
    "本方案未尽事宜，由镇{office}负责解释，并根据上级政策变化适时调整。",
    "附件中所列人员名单已隐去敏感信息，如需查阅完整材料，请持有效证件到镇{office}办理。",
    "请{village}广播员于每日早晚各播放一次本通知，确保家喻户晓。",
    "经镇党委会议研究决定，{subject}工作由分管领导牵头，{office}具体负责组织实施。",
    "对群众反映的问题，做到件件有回应、事事有着落，办理结果及时向群众反馈。",
]
VILLAGES = ["示例村", "样板村", "石桥村", "青龙村", "双河村", "新华社区", "白果村", "龙泉村",
            "金竹村", "柏树村", "太平村", "红岩村"]
OFFICES = ["社会事务办公室", "农业服务中心", "党政办公室", "经济发展办公室", "规划建设管理环保办公室",
           "应急管理办公室", "财政所", "便民服务中心", "综合行政执法大队", "社会保障服务所"]
TERRAINS = ["高山地区", "库区沿线", "地质灾害易发区", "偏远山区", "场镇周边", "河谷地带"]


# Pasted lists, as staff publish them: masked personal data (which the guard must let pass),
# an office landline and amounts (which it must not flag), and a table.
TABLE = """| 村（社区） | 姓名 | 身份证号 | 联系电话 | 金额（元） |
|---|---|---|---|---|
| 示例村 | 张某某 | 500230********0018 | 138****5678 | 1,280.00 |
| 样板村 | 李某 | 500230********002X | 139****1234 | 960.50 |"""


def _sentence(rng: random.Random, template: str, subject: str, year: int) -> str:
    office, office2 = rng.sample(OFFICES, 2)
    households = rng.randint(20, 900)
    problems = rng.randint(2, 40)
    return template.format(
        subject=subject, year=year, village=rng.choice(VILLAGES), office=office,
        office2=office2, terrain=rng.choice(TERRAINS), month=rng.randint(1, 12),
        day=rng.randint(1, 28), amount=rng.randint(3, 900), part=rng.randint(1, 300),
        people=rng.randint(10, 3000), households=households, problems=problems,
        fixed=rng.randint(0, problems), meetings=rng.randint(3, 60),
        leaflets=rng.randint(200, 9000), villages=rng.randint(2, 12), files=rng.randint(20, 600),
        points=rng.randint(2, 30), percent=rng.randint(80, 100), phone=rng.randint(1000, 9999),
    )


def _body(rng: random.Random, subject: str, year: int) -> str:
    target = rng.randint(500, 3000)  # bytes of UTF-8, about a third as many characters
    paragraphs: list[str] = [TABLE] if rng.random() < 0.3 else []
    templates = rng.sample(SENTENCES, len(SENTENCES))  # each sentence at most once
    size = 0
    while size < target and templates:
        count = rng.randint(2, 5)
        paragraph = "".join(_sentence(rng, template, subject, year)
                            for template in templates[:count])
        del templates[:count]
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
