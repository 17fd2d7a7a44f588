"""Write a synthetic `tongxin-content/1` site of a given size, for benchmarks and scale tests.

    .venv/bin/python benchmarks/generate_site.py --pages 10000 --out /tmp/site.json [--seed 1]

The mix follows what the sites Tongxin replaces publish: campaigns (organisers, figures, a
fund) each with video series and episodes, a fund launch, their own news and story columns;
site-wide news and stories; a few drafts. Every text is generated here from phrase pools
written for this file; every name is a random combination of a surname and given-name
characters (no real person). Stories are told under a pseudonym (化名), with a county at most,
web + partner consent and a private record whose values never appear in public text, so the
privacy check publishes them. No images: the file stands alone.

The same arguments always write the same file (a seeded random generator).
"""

import argparse
import datetime
import json
import random
import sys

FORMAT = "tongxin-content/1"
DONATION_HOST = "gongyi.qq.com"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程"
    "魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙史陶贺毛"
    "郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
GIVEN = (
    "建国华明丽芳静敏强军伟平红杰涛斌勇超秀兰英志海波宁婷雪梅春晓玉峰辉刚磊洁琳燕颖慧俊鹏"
    "飞翔宇浩然欣怡嘉佳思雨晨阳"
)
# Pseudonyms: 小 + a character no generated real name uses (the privacy check refuses a
# story that writes the child's given name as 小 + given name).
PSEUDO = "禾苗朵果豆米桃叶溪竹麦荷棠柚橙栗"
CITIES = ["青云市", "白溪市", "南岭市", "安平市", "松河市", "临川市", "东阳市", "石泉市"]
COUNTIES = ["云溪县", "石门县", "北川县", "长宁县", "清水县", "桃源县", "丰乐县", "龙泉县"]
ORG_KINDS = [
    ("民政局", "government"),
    ("慈善总会", "charity"),
    ("福利彩票发行中心", "government"),
    ("广播电视台", "media"),
    ("社会工作服务中心", "social_work"),
    ("青年志愿者协会", "volunteer"),
    ("农村商业银行营业部", "company"),
]
ROLES = ["主办", "承办", "协办", "协办", "媒体支持", "监管"]
THEMES = [
    ("童心守护", "关爱困境儿童专项行动"),
    ("春蕾助学", "困境女童助学计划"),
    ("暖冬行动", "留守儿童冬季关爱"),
    ("微心愿", "困境儿童微心愿认领"),
    ("阳光成长", "儿童心理健康关爱项目"),
    ("康复同行", "重病重残儿童康复救助"),
    ("书香童年", "乡村儿童阅读推广"),
    ("护苗行动", "未成年人保护宣传周"),
]
CIRCUMSTANCES = ["农村留守儿童", "事实无人抚养儿童", "孤儿", "重病重残儿童", "困境家庭儿童"]
PURPOSES = ["基本生活", "医疗康复", "教育", "心理健康"]
NEWS_OPENINGS = [
    "本报讯 {date}，{city}{theme}工作推进会召开。",
    "{date}，记者从{org}获悉，{theme}各项工作进展顺利。",
    "近日，{city}各县（市、区）陆续开展{theme}主题活动。",
    "{date}上午，{org}组织儿童主任和社工召开季度工作交流会。",
]
PARAGRAPHS = [
    "儿童主任逐户走访，核实每一名困境儿童的基本生活、就学和健康情况，建立一人一档的信息台账，做到底数清、情况明。",
    "市民政局与教育、卫生健康、残联等部门每月比对一次数据，发现监护缺失等情况后，乡镇儿童督导员须在三个工作日内上门核实。",
    "社会散居孤儿和事实无人抚养儿童的基本生活费按月发放，标准随经济社会发展逐步提高，资金专款专用，接受审计和社会监督。",
    "社工机构为有需要的孩子提供个案服务，陪伴他们度过家庭变故后的适应期，并定期向监护人反馈孩子的变化。",
    "志愿者利用周末和假期开展课业辅导、阅读陪伴和安全教育，活动结束后由儿童主任回访，了解孩子的真实感受。",
    "慈善基金的每一笔支出都在平台上公开，监管银行按季度出具资金使用报告，捐赠人可以随时查询善款去向。",
    "针对重病重残儿童，医疗救助、康复训练和送教上门三项服务一起安排，尽量让孩子少跑路、家长少操心。",
    "心理健康筛查覆盖全部困境儿童，发现情绪困扰的孩子由专业心理咨询师跟进，学校老师和家庭共同配合。",
    "微心愿认领活动发布后反响热烈，书包、台灯、运动鞋等心愿在几天内就被爱心人士和企业认领一空。",
    "工作人员表示，下一步将继续完善关爱服务体系，让政策更快落到每一个需要帮助的孩子身上。",
    "冬季来临前，各地为困境儿童送去棉衣棉被，并检查家中的取暖设施，确保孩子们温暖过冬。",
    "乡村学校图书角陆续建成，捐赠的图书按年龄分级摆放，孩子们课后可以自由借阅。",
]
HEADINGS = ["摸清底数", "保障到位", "关爱服务", "社会参与", "下一步工作", "资金公开", "成长陪伴"]
QUOTES = [
    ("我们不怕多跑几趟，就怕漏掉一个孩子。", "一位村儿童主任"),
    ("每一笔善款都要花在孩子身上，经得起查。", "慈善总会工作人员"),
    ("孩子的笑容就是对我们工作最好的回答。", "一位社工"),
    ("做志愿者以后，我更懂得陪伴的分量。", "一名大学生志愿者"),
]
STORY_OPENINGS = [
    "{age}岁的{p}（化名）和奶奶一起生活在{county}的山里，爸爸妈妈常年在外地打工。",
    "在{county}，{age}岁的{p}（化名）每天要走很远的山路去上学。",
    "{p}（化名）今年{age}岁，家里的变故让这个孩子一度变得沉默寡言。",
    "第一次见到{p}（化名）时，这个{age}岁的孩子正坐在门口的小板凳上看一本旧画册。",
]
STORY_MIDDLES = [
    "儿童主任每月上门走访，帮家里申请了基本生活补贴，又联系志愿者每周来辅导功课。",
    "社工陪伴{p}度过了最难熬的几个月，现在她愿意主动和同学们一起做游戏了。",
    "认领微心愿的爱心人士送来了一盏护眼台灯，{p}说晚上写作业再也不费眼睛了。",
    "康复训练按时进行，{p}已经能自己扶着栏杆走完一段楼梯，全家人都很高兴。",
    "学校安排了课后托管，老师发现{p}很喜欢画画，就把她的作品贴在了教室后墙上。",
]
THINGS = ["台灯", "新书包", "春天", "画册", "小院", "跑鞋"]
STORY_ENDINGS = [
    "问起以后的打算，{p}想了想说：“长大了我也想帮助别人。”",
    "儿童主任说，像{p}这样的孩子还有很多，关爱服务一天也不能松懈。",
    "这个春天，{p}的笑容多了起来。",
]


class Writer:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.names_used = set()

    def person(self):
        for _ in range(50):
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
            )
            if name not in self.names_used:
                break
        self.names_used.add(name)
        return name

    def date(self, start, span_days):
        return (start + datetime.timedelta(days=self.rng.randrange(span_days))).isoformat()

    def paragraphs(self, count, **fill):
        picked = self.rng.sample(PARAGRAPHS, min(count, len(PARAGRAPHS)))
        return [{"type": "paragraph", "text": text.format(**fill)} for text in picked]

    def body(self, opening=None, paragraphs=3, **fill):
        blocks = []
        if opening:
            blocks.append({"type": "paragraph", "text": opening})
        blocks += self.paragraphs(paragraphs, **fill)
        if self.rng.random() < 0.5:
            blocks.insert(1, {"type": "heading", "text": self.rng.choice(HEADINGS)})
        if self.rng.random() < 0.3:
            text, who = self.rng.choice(QUOTES)
            blocks.append({"type": "quote", "text": text, "attribution": who})
        return blocks


def plan(pages):
    """(campaigns, series per campaign, episodes per series): a campaign block is about 250
    pages of the site; the rest are news and stories."""
    campaigns = max(1, pages // 250)
    series, episodes = 2, 12
    fixed = 3 + campaigns * (6 + series * episodes)
    while fixed > pages and episodes > 1:
        episodes -= 1
        fixed = 3 + campaigns * (6 + series * episodes)
    if fixed > pages:
        raise SystemExit(f"--pages must be at least {fixed}")
    return campaigns, series, episodes


def generate(pages, seed=1):
    w = Writer(seed)
    rng = w.rng
    campaigns, series_count, episodes = plan(pages)
    start = datetime.date(2019, 1, 1)
    span = (datetime.date(2026, 10, 1) - start).days
    organizations, funds, items = [], [], []
    home = {
        "type": "home",
        "path": "/",
        "title": "童心",
        "summary": "困境儿童关爱保护信息发布平台：专项行动、系列微专题、儿童故事与新闻动态。",
        "body": w.body(paragraphs=2),
    }
    items.append(home)
    items.append(
        {"type": "news_index", "path": "/xinwen/", "title": "新闻动态", "body": w.body(None, 1)}
    )
    items.append(
        {"type": "story_index", "path": "/gushi/", "title": "儿童故事", "body": w.body(None, 1)}
    )
    news_parents, story_parents = ["/xinwen/"], ["/gushi/"]

    for c in range(campaigns):
        city = CITIES[c % len(CITIES)]
        name, subtitle = THEMES[c % len(THEMES)]
        theme = f"{name}·{c + 1}"
        orgs = []
        for suffix, kind in ORG_KINDS:
            key = f"org-{c + 1}-{len(orgs) + 1}"
            organizations.append(
                {"key": key, "name": f"{city}{suffix}（{c + 1}）", "kind": kind, "region": city}
            )
            orgs.append(key)
        fund_key = f"fund-{c + 1}"
        target = rng.randrange(100, 1000) * 10000
        funds.append(
            {
                "key": fund_key,
                "name": f"{city}{name}儿童慈善基金（{c + 1}）",
                "organization": orgs[1],
                "custodian": orgs[6],
                "record_number": f"5337{rng.randrange(10**14, 10**15)}{c:04d}",
                "platform": "腾讯公益",
                "donate_url": f"https://{DONATION_HOST}/succor/detail.htm?id={100000 + c}",
                "target": target,
                "raised": rng.randrange(target // 10, target),
                "raised_as_of": w.date(start, span),
                "annual_commitment": rng.randrange(10, 200) * 10000,
                "restricted": True,
                "purposes": rng.sample(PURPOSES, 3),
            }
        )
        cpath = f"/campaign-{c + 1}/"
        cdate = w.date(start, span)
        fill = {"city": city, "theme": theme, "org": f"{city}民政局", "date": "近日"}
        items.append(
            {
                "type": "campaign",
                "path": cpath,
                "title": f"{theme}——{city}{subtitle}",
                "summary": f"{city}开展“{theme}”{subtitle}，覆盖全市困境儿童和农村留守儿童。",
                "date": cdate,
                "tags": [name, "困境儿童"],
                "region": city,
                "slogan": "让每一个孩子都被看见",
                "organizers": [
                    {"org": orgs[i], "role": role} for i, role in enumerate(ROLES) if i < len(orgs)
                ],
                "figures": [
                    {
                        "value": str(rng.randrange(500, 20000)),
                        "unit": "名",
                        "label": "纳入关爱服务的儿童",
                        "as_of": cdate,
                    },
                    {
                        "value": str(rng.randrange(50, 5000)),
                        "unit": "万元",
                        "label": "安排的保障资金",
                        "as_of": cdate,
                    },
                ],
                "funds": [fund_key],
                "starts_on": cdate,
                "body": w.body(f"{city}自今年起开展“{theme}”{subtitle}。", 4, **fill)
                + [
                    {
                        "type": "donate",
                        "fund": fund_key,
                        "heading": "为困境儿童尽一份力",
                        "text": "善款专款专用，由监管银行全程监管。",
                        "amounts": [30, 100, 300],
                    }
                ],
            }
        )
        for s in range(series_count):
            spath = f"{cpath}series-{s + 1}/"
            items.append(
                {
                    "type": "series",
                    "path": spath,
                    "title": f"《{theme}》系列微专题之{s + 1}",
                    "summary": f"{episodes}集系列微专题，记录{city}关爱困境儿童的一线故事。",
                    "date": cdate,
                    "planned_episodes": episodes,
                    "credits": [
                        {"role": "出品", "names": [f"{city}民政局"]},
                        {"role": "监制", "names": [w.person()]},
                    ],
                    "body": w.body(None, 1, **fill),
                }
            )
            for e in range(episodes):
                items.append(
                    {
                        "type": "episode",
                        "path": f"{spath}ep-{e + 1}/",
                        "title": f"第{e + 1}集：{rng.choice(HEADINGS)}",
                        "summary": f"第{e + 1}集：{rng.choice(PARAGRAPHS)[:40]}",
                        "date": w.date(start, span),
                        "number": e + 1,
                        "video_url": f"https://v.example.cn/{c + 1}/{s + 1}/ep{e + 1}.mp4",
                        "credits": [
                            {"role": "记者", "names": [w.person(), w.person()]},
                            {"role": "摄像", "names": [w.person()]},
                            {"role": "剪辑", "names": [w.person()]},
                        ],
                        "body": w.body(None, 3, **fill),
                    }
                )
        items.append(
            {
                "type": "fund_launch",
                "path": f"{cpath}fund-launch/",
                "title": f"{city}{name}儿童慈善基金启动（{c + 1}）",
                "summary": "基金正式启动，首批善款到位，专款专用于困境儿童。",
                "date": cdate,
                "region": city,
                "fund": fund_key,
                "event_date": cdate,
                "venue": f"{city}文化艺术中心",
                "organizers": [{"org": orgs[0], "role": "主办"}, {"org": orgs[1], "role": "承办"}],
                "initial_amount": rng.randrange(10, 300) * 10000,
                "annual_commitment": rng.randrange(10, 100) * 10000,
                "custodian": orgs[6],
                "purposes": PURPOSES,
                "programme": [
                    {"time": "10:00", "item": "宣布基金正式启动"},
                    {"time": "10:20", "item": "捐赠签约"},
                    {"time": "11:00", "item": "活动结束"},
                ],
                "body": w.body(None, 2, **fill),
            }
        )
        columns = (("news_index", "xinwen", "行动新闻"), ("story_index", "gushi", "守护故事"))
        for kind, slug, title in columns:
            items.append(
                {"type": kind, "path": f"{cpath}{slug}/", "title": title, "body": w.body(None, 1)}
            )
        news_parents.append(f"{cpath}xinwen/")
        story_parents.append(f"{cpath}gushi/")

    leaves = pages - len(items)
    for n in range(leaves):
        if n % 2 == 0:
            items.append(news_item(w, n // 2 + 1, rng.choice(news_parents), start, span))
        else:
            items.append(story_item(w, n // 2 + 1, rng.choice(story_parents), start, span))
    # A few drafts, as a real site has: about one page in a hundred.
    for item in rng.sample(items[3:], len(items) // 100):
        if item["type"] in ("news", "story", "episode"):
            item["live"] = False
    return {
        "format": FORMAT,
        "settings": {"donation_hosts": [DONATION_HOST], "hant_variant": "tw"},
        "conversion_rules": [],
        "organizations": organizations,
        "funds": funds,
        "pages": items,
    }


def news_item(w, n, parent, start, span):
    rng = w.rng
    city = rng.choice(CITIES)
    name, subtitle = rng.choice(THEMES)
    fill = {"city": city, "theme": name, "org": f"{city}慈善总会", "date": "日前"}
    opening = rng.choice(NEWS_OPENINGS).format(**fill)
    return {
        "type": "news",
        "path": f"{parent}news-{n}/",
        "title": f"{city}{rng.choice(HEADINGS)}：{subtitle}新进展（{n}）",
        "summary": opening,
        "date": w.date(start, span),
        "tags": [name],
        "region": city,
        "source": {"name": f"{city}日报", "url": f"https://news.example.cn/{n}.htm"},
        "byline": [
            {"role": "记者", "names": [w.person()]},
            {"role": "通讯员", "names": [w.person()]},
        ],
        "body": w.body(opening, rng.randrange(2, 6), **fill),
    }


def story_item(w, n, parent, start, span):
    rng = w.rng
    pseudonym = "小" + rng.choice(PSEUDO)
    county = rng.choice(COUNTIES)
    city = rng.choice(CITIES)
    age = rng.randrange(4, 17)
    fill = {"p": pseudonym, "age": age, "county": county}
    obtained = w.date(start, span)
    body = [
        {"type": "paragraph", "text": rng.choice(STORY_OPENINGS).format(**fill)},
        *(
            {"type": "paragraph", "text": text.format(**fill)}
            for text in rng.sample(STORY_MIDDLES, 2)
        ),
        {"type": "paragraph", "text": rng.choice(STORY_ENDINGS).format(**fill)},
    ]
    return {
        "type": "story",
        "path": f"{parent}story-{n}/",
        "title": f"{pseudonym}的{rng.choice(THINGS)}（{n}）",
        "summary": f"{age}岁的{pseudonym}（化名）在{county}生活，关爱服务让这一年有些不一样。",
        "date": w.date(start, span),
        "tags": ["童心故事"],
        "pseudonym": pseudonym,
        "age": age,
        "gender": rng.choice(["女", "男"]),
        "region": f"{city}{county}",
        "circumstances": rng.sample(CIRCUMSTANCES, rng.randrange(1, 3)),
        "consent": {
            "obtained_on": obtained,
            "expires_on": "2036-12-31",
            "scope": ["web", "partners"],
        },
        "private": {
            "real_name": w.person(),
            "guardians": [w.person()],
            "school": f"{county}第{n % 9 + 1}中心小学",
            "address": f"{county}某镇某村{n % 7 + 1}组",
            "notes": "监护人同意故事在本网站和合作平台发布。",
        },
        "body": body,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="number of pages (default 1000)")
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    document = generate(args.pages, args.seed)
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{args.out}: {len(document['pages'])} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
