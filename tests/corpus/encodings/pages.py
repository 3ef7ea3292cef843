"""Invented articles shaped like real news pages: a headline, paragraphs, navigation and footer junk.

``SENTENCES[name]`` are the words a reader must see intact after import, whatever the encoding.
"""

_SHELL = """<!DOCTYPE html>
<html lang="{lang}">
<head>{head}<title>{title}</title></head>
<body>
<nav class="site-nav"><ul><li><a href="/">{nav[0]}</a></li><li><a href="/w">{nav[1]}</a></li>
<li><a href="/s">{nav[2]}</a></li></ul></nav>
<main><article>
<h1>{title}</h1>
<p class="byline">{byline}</p>
{paragraphs}
</article></main>
<aside class="related"><h2>{nav[3]}</h2><ul><li><a href="/x">{nav[4]}</a></li></ul></aside>
<footer><p>{footer}</p></footer>
</body></html>
"""

ARTICLES = {
    "english": dict(
        lang="en", title="Harbour Council Approves £71.6 Million Flood Barrier",
        byline="By Ellen Marsh, Coastal Affairs Correspondent",
        nav=["Home", "World", "Sport", "Most read", "Ferry timetable changes"],
        footer="© 2025 The Harbour Gazette. All rights reserved.",
        paragraphs=[
            "The council’s planning committee voted on Tuesday to approve a £71.6 million flood barrier "
            "across the mouth of the estuary — the largest project in the town’s history.",
            "Councillor Renée Dubois said the barrier would protect more than 4,000 homes that flooded "
            "twice in the past decade, and that work would begin “as soon as the contracts are signed”.",
            "Opponents argued that the cost had risen by £12 million since the first estimate, and that "
            "the café owners on the quay had not been consulted about the two-year closure of the road.",
            "The committee’s chair, Tomás Ortega, replied that the increase reflected the price of steel "
            "and that the quay would reopen in stages — the first by next summer.",
        ]),
    "russian": dict(
        lang="ru", title="Привет, весна: в городе открылся новый парк",
        byline="Автор: Ирина Соколова",
        nav=["Главная", "Новости", "Спорт", "Самое читаемое", "Погода на неделю"],
        footer="© 2025 Городские вести. Все права защищены.",
        paragraphs=[
            "Привет, весна! В субботу в северном районе города открылся новый парк площадью двенадцать гектаров.",
            "На открытие пришли несколько тысяч жителей, а мэр пообещал, что к осени здесь появится каток.",
            "Строительство обошлось бюджету в триста миллионов рублей, сообщили в управлении благоустройства.",
            "Жители соседних домов говорят, что давно ждали этого и теперь будут гулять здесь каждый вечер.",
        ]),
    "japanese": dict(
        lang="ja", title="港町で新しい図書館が開館",
        byline="記者 山田花子",
        nav=["ホーム", "国内", "スポーツ", "よく読まれている記事", "天気予報"],
        footer="Copyright 2025 港町新聞社",
        paragraphs=[
            "港町に新しい市立図書館が土曜日に開館し、初日には三千人を超える市民が訪れた。",
            "新しい図書館には約二十万冊の本が並び、子ども向けの読書室も設けられている。",
            "市長は開館式で「誰もが気軽に立ち寄れる場所にしたい」と述べた。",
            "建設費は約四十億円で、建物の屋根には太陽光パネルが設置されている。",
        ]),
    "chinese": dict(
        lang="zh", title="沿海城市新建跨海大桥正式通车",
        byline="本报记者 李明",
        nav=["首页", "国内", "体育", "热门文章", "天气预报"],
        footer="© 2025 海滨日报 版权所有",
        paragraphs=[
            "经过四年的建设，连接两岸的跨海大桥于周六上午正式通车。",
            "大桥全长十六公里，通车后两地之间的行车时间由一个半小时缩短到二十分钟。",
            "市交通局负责人表示，大桥每天预计可通行车辆五万辆次。",
            "不少市民一早就来到桥头，用手机记录下这一历史时刻。",
        ]),
}

#: What must survive an import verbatim (headline aside: it may become the title).
SENTENCES = {name: a["paragraphs"] for name, a in ARTICLES.items()}
KEY_WORDS = {"english": "£71.6 million", "russian": "Привет", "japanese": "図書館", "chinese": "跨海大桥"}


def page(name: str, head: str = '<meta name="viewport" content="width=device-width">') -> str:
    article = ARTICLES[name]
    paragraphs = "\n".join(f"<p>{text}</p>" for text in article["paragraphs"])
    return _SHELL.format(head=head, paragraphs=paragraphs, **{k: v for k, v in article.items() if k != "paragraphs"})
