"""Deterministic synthetic disclosure corpora for benchmarks.

`write_corpus(folder, count, seed)` writes entry files in one of two shapes:

- `township` (the default): a township's real output: the 9-digit organisation code in every
  索引号, a 文号 on one entry in seven, Chinese bodies of 0.5–3 KB;
- `county`: a county platform (集约化) where two dozen departments and towns publish, each
  with its own 发布机构, its own 18-character 统一社会信用代码 (valid check characters) opening
  its 索引号, and its own 文号 on every entry; bodies of 1–10 KB drawn from twice as many
  sentences (no sentence twice in a body), in sections as county documents are.

Both have every category and channel, several years, a few drafts and future-dated entries.

Channels: by default the channel mix of a township's year, in which about a quarter of the
entries carry the site's own channel (`website`) and the rest are offline-only records that
never become pages. With `site_only=True` every entry carries `website`, and `count` is the
number of site pages: that many published entries, with the drafts and future-dated entries
(about 1.5% more) written in addition, and no offline-only entries.

The same arguments always give the same files, so two runs (or two machines) measure the
same input.

Usable as a script: `python bench/generate.py FOLDER COUNT [SEED] [--shape county] [--site-only]`.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
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


SHAPES = ("township", "county")

# The county shape. Departments and towns of one county platform: 发布机构 and the short form
# that opens its 文号. Region code 500230 is the sample site's.
COUNTY_PUBLISHERS = [
    ("示例县人民政府", "示府发"), ("示例县人民政府办公室", "示府办发"),
    ("示例县发展和改革委员会", "示发改发"), ("示例县财政局", "示财发"), ("示例县民政局", "示民发"),
    ("示例县教育委员会", "示教发"), ("示例县卫生健康委员会", "示卫健发"),
    ("示例县人力资源和社会保障局", "示人社发"), ("示例县住房和城乡建设委员会", "示住建发"),
    ("示例县农业农村委员会", "示农发"), ("示例县水利局", "示水发"), ("示例县交通运输委员会", "示交发"),
    ("示例县生态环境局", "示环发"), ("示例县应急管理局", "示应急发"), ("示例县市场监督管理局", "示市监发"),
    ("示例县规划和自然资源局", "示规资发"), ("示例县退役军人事务局", "示退役军人发"),
    ("示例县医疗保障局", "示医保发"), ("示例镇人民政府", "示例府发"), ("石桥镇人民政府", "石桥府发"),
    ("青龙乡人民政府", "青龙府发"), ("双河镇人民政府", "双河府发"), ("白果镇人民政府", "白果府发"),
    ("龙泉街道办事处", "龙泉街发"),
]
REGION_CODE = "500230"
TOWNS = ["示例镇", "石桥镇", "青龙乡", "双河镇", "白果镇", "龙泉街道", "金竹镇", "太平乡"]
COUNTY_TITLE_PATTERNS = [
    "{publisher}关于印发《示例县{year}年{subject}实施方案》的通知",
    "{publisher}关于{year}年{subject}工作情况的报告", "{publisher}关于公布{year}年{subject}名单的公告",
    "{publisher}关于进一步加强{subject}工作的实施意见", "{publisher}{year}年{subject}资金分配方案公示",
    "{publisher}关于开展{subject}专项整治行动的通知", "示例县{year}年第{quarter}季度{subject}工作通报",
    "{publisher}关于{subject}项目的批复", "《示例县{subject}管理办法》政策解读",
]
COUNTY_SECTIONS = ["一、总体要求", "二、目标任务", "三、重点工作", "四、实施步骤", "五、保障措施",
                   "六、工作要求", "七、监督考核", "八、其他事项"]
COUNTY_ADDRESSEES = "各乡镇人民政府、街道办事处，县政府各部门，有关单位："
# Sentences of county documents, in our own words: added to the township's so that a 10 KB
# body needs no sentence twice.
COUNTY_SENTENCES = [
    "为深入贯彻落实党中央、国务院和市委、市政府关于{subject}的决策部署，经县政府同意，现提出如下意见。",
    "坚持以人民为中心的发展思想，坚持问题导向和目标导向，统筹推进{subject}各项工作。",
    "到{year}年底，全县{subject}覆盖率达到百分之{percent}以上，群众满意度明显提升。",
    "{town}要落实属地责任，主要负责同志为第一责任人，分管负责同志为直接责任人。",
    "县{office}负责统筹协调，定期调度工作进展，及时研究解决{subject}推进中的困难和问题。",
    "县财政局要加强资金保障，{year}年安排专项资金{amount}万元，实行项目化管理、清单式推进。",
    "各部门要按照职责分工，细化工作措施，明确时间节点，于{month}月{day}日前将工作方案报县{office}备案。",
    "建立健全月调度、季通报、年考核工作机制，考核结果纳入年度目标管理绩效考核。",
    "{town}共涉及{villages}个村（社区）、{households}户{people}人，需分批次组织实施。",
    "第一阶段为动员部署阶段（{month}月{day}日前），主要完成摸底调查、方案制定和宣传发动。",
    "第二阶段为集中实施阶段，各责任单位按照任务清单逐项推进，确保按期完成。",
    "第三阶段为验收总结阶段，县级组织联合验收组对各乡镇（街道）完成情况进行全面验收。",
    "对验收不合格的，限期{fixed}个工作日内整改到位，整改后仍不合格的，扣减相应补助资金。",
    "县审计局将对{subject}专项资金使用情况开展专项审计，审计结果向社会公开。",
    "加大政策宣传力度，通过县融媒体中心、政务新媒体、村村响广播等渠道广泛宣传，营造良好氛围。",
    "严格执行政府采购有关规定，采购金额达到公开招标数额标准的，一律依法公开招标。",
    "项目建设单位要落实安全生产主体责任，加强施工现场管理，严防各类安全事故发生。",
    "各乡镇（街道）要建立工作台账，每月{day}日前通过电子邮件报送上月工作进展情况。",
    "县纪委监委将对{subject}工作开展全过程监督，对履职不力、推诿扯皮的严肃问责。",
    "补助对象按照个人申请、村级评议、乡镇审核、县级审批的程序确定，并在村务公开栏公示。",
    "补助标准为每户{part}元，通过社会保障卡一次性发放，不得以任何形式代领、截留。",
    "对符合条件的困难群众，做到应保尽保、应救尽救，确保不发生冲击社会道德底线的事件。",
    "{town}{village}试点工作取得明显成效，形成了一批可复制、可推广的经验做法。",
    "全县共排查{subject}相关隐患{points}处，已整改{fixed}处，其余正在按计划推进。",
    "截至{month}月底，全县累计完成投资{amount}万元，占年度计划的百分之{percent}。",
    "本年度共受理群众来信来访{meetings}件次，按期办结率百分之{percent}，群众满意率持续提高。",
    "请各单位高度重视，周密安排部署，确保{subject}各项目标任务落到实处、取得实效。",
    "本办法所称{subject}，是指由县级以上人民政府及其有关部门组织实施的相关工作。",
    "县{office}是本办法的主管部门，县{office2}等部门按照各自职责做好相关工作。",
    "申请人对审核结果有异议的，可以自收到通知之日起{fixed}个工作日内申请复核。",
    "违反本办法规定，情节严重的，依法依规追究有关单位和人员的责任；构成犯罪的，依法追究刑事责任。",
    "本办法自{year}年{month}月{day}日起施行，有效期五年，此前有关规定与本办法不一致的，以本办法为准。",
    "现将{year}年度工作情况报告如下，请予审议。",
    "一年来，在县委、县政府的坚强领导下，各项工作取得积极进展，但仍存在一些不足。",
    "一是部分乡镇工作进度不平衡，二是资金拨付不够及时，三是基层专业人员力量不足。",
    "下一步，我们将针对存在的问题，进一步完善制度机制，加强督促指导，推动工作提质增效。",
    "经审核，同意{town}实施{subject}项目，项目总投资{amount}万元，建设期限为{months}个月。",
    "项目资金来源为上级补助资金{part}万元，其余由县级财政和项目业主自筹解决。",
    "请严格按照批复的建设内容、规模和标准组织实施，不得擅自变更。",
    "项目建成后，由{town}负责日常管护，明确管护责任人，确保长期发挥效益。",
    "政策解读：本办法共{articles}条，主要明确了适用范围、职责分工、申请条件、办理程序和监督管理。",
    "与原办法相比，主要有三个方面的变化：放宽了申请条件，简化了办理程序，提高了补助标准。",
    "群众可通过县政务服务中心窗口、“渝快办”平台或所在乡镇便民服务中心办理相关事项。",
    "咨询电话：023-706{phone}（工作日上午9:00—12:00，下午14:00—17:30）。",
    "对公示内容有异议的，请于公示期满前以书面形式向县{office}实名反映，逾期不予受理。",
    "受理反映的单位将依法保护反映人的合法权益，对反映的问题及时核实并书面答复。",
    "各单位要严格落实信息公开保密审查制度，公开前依法对涉及个人隐私的内容进行去标识化处理。",
    "本次公示名单共{people}人，其中{town}{households}人，已隐去身份证号码等个人敏感信息。",
    "县{office}会同县{office2}对申报材料进行了审核，并对{villages}个点位开展了实地核查。",
    "全县{subject}工作领导小组办公室设在县{office}，负责日常工作。",
    "今年汛期以来，全县累计降雨{amount}毫米，较常年同期偏多百分之{fixed}，未发生人员伤亡。",
    "全县共组织开展应急演练{meetings}场次，参演人员{people}人次，进一步提升了应急处置能力。",
    "市场主体登记、行政许可、行政处罚等信息已按规定在七个工作日内上网公示。",
]


COUNTY_SLOTS: dict[str, Callable[[random.Random], object]] = {
    "town": lambda rng: rng.choice(TOWNS),
    "months": lambda rng: rng.randint(3, 24),
    "articles": lambda rng: rng.randint(12, 40),
}


@dataclass(frozen=True)
class Publisher:
    """One 发布机构 of the corpus: its name, its 统一社会信用代码 and the head of its 文号."""

    name: str
    code: str
    doc_prefix: str


def _char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def organisation_code(body: str) -> str:
    """The 9-character 组织机构代码 (GB 11714): 8 characters and their check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(w * _char_value(c) for w, c in zip(weights, body, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(authority_type: str, region: str, organisation: str) -> str:
    """The 18-character 统一社会信用代码 (GB 32100): registration authority and type (`11`
    for a 机关), region code, organisation code, check character."""
    body = authority_type + region + organisation
    check = 31 - sum(w * USCC_CHARS.index(c) for w, c in zip(USCC_WEIGHTS, body, strict=True)) % 31
    return body + USCC_CHARS[check % 31]


def county_publishers(rng: random.Random) -> list[Publisher]:
    """Each publisher's own code: older bodies have an 8-digit organisation code, newer ones
    (机构改革 after 2018) one beginning with MB, as the sample site's `11500230MB0000000X`."""
    publishers = []
    for name, prefix in COUNTY_PUBLISHERS:
        head = f"MB{rng.randint(0, 999999):06d}" if rng.random() < 0.4 else \
            f"{rng.randint(0, 99999999):08d}"
        code = credit_code("11", REGION_CODE, organisation_code(head))
        publishers.append(Publisher(name, code, prefix))
    return publishers


def _sentence(rng: random.Random, template: str, subject: str, year: int) -> str:
    office, office2 = rng.sample(OFFICES, 2)
    households = rng.randint(20, 900)
    problems = rng.randint(2, 40)
    # The county's own slots are drawn only where a template has them, so that the township
    # shape's random draws, and its files, stay what they were.
    county_slots = {name: draw(rng) for name, draw in COUNTY_SLOTS.items()
                    if f"{{{name}}}" in template}
    return template.format(
        **county_slots,
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


COUNTY_BODY_MAX = 10_000
"""Bytes of UTF-8: the county shape's largest body (the pasted table included)."""


def _county_body(rng: random.Random, subject: str, year: int) -> str:
    """1–10 KB in sections (一、总体要求 …), each sentence at most once: the township's and the
    county's sentences together are enough for the largest body."""
    target = rng.randint(1000, COUNTY_BODY_MAX)
    paragraphs: list[str] = [COUNTY_ADDRESSEES] if rng.random() < 0.5 else []
    if rng.random() < 0.3:
        paragraphs.append(TABLE)
    pool = COUNTY_SENTENCES + SENTENCES
    templates = rng.sample(pool, len(pool))
    size = sum(len(paragraph.encode("utf-8")) + 2 for paragraph in paragraphs)
    sections = iter(COUNTY_SECTIONS)
    while size < target and templates:
        heading = next(sections, None) if paragraphs and paragraphs[-1] not in COUNTY_SECTIONS \
            and rng.random() < 0.3 else None
        if heading:
            paragraph = heading
        else:
            count = rng.randint(2, 5)
            paragraph = "".join(_sentence(rng, template, subject, year)
                                for template in templates[:count])
            del templates[:count]
        added = len(paragraph.encode("utf-8")) + 2
        if size + added > COUNTY_BODY_MAX:
            break
        paragraphs.append(paragraph)
        size += added
    if paragraphs and paragraphs[-1] in COUNTY_SECTIONS:
        paragraphs.pop()  # a heading with nothing under it
    return "\n\n".join(paragraphs)


def _channels(rng: random.Random, site_only: bool) -> list[str]:
    choices = [(channels, weight) for channels, weight in CHANNEL_SETS
               if not site_only or "website" in channels]
    sets, weights = zip(*choices)
    return rng.choices(sets, weights=weights)[0]


def write_corpus(folder: Path, count: int, seed: int = 2021, org_code: str = "000014349", *,
                 shape: str = "township", site_only: bool = False) -> Publisher:
    """Write entry files under `folder/<year>/`; about 1% drafts, 0.5% future-dated.

    `count` files, or with `site_only` `count` published entries on the site plus the drafts
    and future-dated ones (see the module's docstring). `org_code` opens the township shape's
    索引号; the county shape's publishers have codes of their own. Returns the site's own
    publisher (the county government for the county shape), for `extra.disclosure`."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
    rng = random.Random(seed)
    county = shape == "county"
    site = Publisher("示例镇人民政府", org_code, "示例府发")
    publishers = county_publishers(random.Random(seed + 1)) if county else [site]
    years = list(range(2019, 2027))
    serials: dict[tuple[str, int], int] = {}
    doc_serials: dict[tuple[str, int], int] = {}
    number = published = 0
    while (published if site_only else number) < count:
        year = years[number % len(years)]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if year == 2026:
            month = min(month, 10)  # keep before the build day
        roll = rng.random()
        draft = roll < 0.01
        future = 0.01 <= roll < 0.015
        published += not (draft or future)
        date_year = 2999 if future else year
        publisher = rng.choice(publishers) if county else site
        # A future-dated entry (year 2999) is numbered in the township shape as before; in the
        # county's, as a real one is, in the year it was written (a 索引号 of year 2999 is no
        # real case, and the personal-number screen knows 索引号 by their year 19xx/20xx).
        index_year = year if county else date_year
        serial = serials[publisher.code, index_year] = \
            serials.get((publisher.code, index_year), 0) + 1
        subject = rng.choice(SUBJECTS)
        pattern = rng.choice(COUNTY_TITLE_PATTERNS if county else TITLE_PATTERNS)
        title = pattern.format(year=year, subject=subject, quarter=rng.randint(1, 4),
                               publisher=publisher.name)
        lines = [
            "---",
            f"title: {title}",
            f"date: {date_year}-{month:02d}-{day:02d}",
            f"category: {CATEGORIES[number % len(CATEGORIES)]}",
            f"channels: [{', '.join(_channels(rng, site_only))}]",
            f"index_no: {publisher.code}/{index_year}-{serial:05d}",
        ]
        if county:
            lines.insert(2, f"publisher: {publisher.name}")
            doc_serial = doc_serials[publisher.code, year] = \
                doc_serials.get((publisher.code, year), 0) + 1
            lines.append(f"doc_no: {publisher.doc_prefix}〔{year}〕{doc_serial}号")
        elif number % 7 == 0:
            lines.append(f"doc_no: 示例府发〔{year}〕{serial}号")
        if number % 3 == 0 and day > 10:  # written a few days before, well within 20 working days
            lines.append(f"written: {date_year}-{month:02d}-{day - rng.randint(1, 9):02d}")
        if number % 4 == 0:
            lines.append(f"summary: {subject}有关情况。")
            lines.append(f"tags: [{subject}, {CATEGORIES[number % len(CATEGORIES)]}]")
        if draft:
            lines.append("draft: true")
        lines.append("---")
        body = (_county_body if county else _body)(rng, subject, year)
        path = folder / str(date_year) / f"{number:06d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n" + body + "\n", "utf-8")
        number += 1
    return publishers[0]


def with_site_publisher(mkdocs_yml: str, site: Publisher) -> str:
    """The sample mkdocs.yml's text with the corpus's own publisher and organisation code."""
    mkdocs_yml = re.sub(r"org_code: .*", f"org_code: '{site.code}'", mkdocs_yml)
    return re.sub(r"publisher: .*", f"publisher: {site.name}", mkdocs_yml, count=1)


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """--shape and --site-only, the same in every benchmark script."""
    parser.add_argument("--shape", choices=SHAPES, default="township",
                        help="township (9-digit code, 0.5-3 KB bodies) or county (18-character "
                             "credit codes, a 文号 on every entry, bodies up to 10 KB)")
    parser.add_argument("--site-only", action="store_true",
                        help="every entry on the site's channel: the count is of published "
                             "pages (default: the township channel mix, ~26%% on the site)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("seed", type=int, nargs="?", default=2021)
    add_corpus_options(parser)
    args = parser.parse_args()
    write_corpus(args.folder, args.count, args.seed, shape=args.shape, site_only=args.site_only)


if __name__ == "__main__":
    main()
