"""A whole page copied from a browser and pasted as plain text: the article is kept, the menus,
link lists, comments and footer around it are dropped, and an article pasted on its own loses
nothing (its subheadings, its announced lists, its last short line)."""

from workbench.text.paste_cleaning import clean_text

MENU = ["Skip to content", "Home", "News", "Politics", "Business", "Sport", "Culture", "Opinion", "Weather"]
HEADLINE = "Harbour board votes to close the Eastgate ferry terminal"
STORY = [
    "The harbour board voted on Tuesday to close the Eastgate ferry terminal for eight months of repairs.",
    "Engineers found that the steel piles under the pier had corroded far faster than anyone expected.",
    "Repairs",
    "A temporary landing stage will open at Mill Quay in March, the board said in a statement on Tuesday.",
    "Local traders said they feared the closure would cost them the commuters who stop for coffee.",
]
RELATED = ["Related stories", "Port authority names new chief after long search", "Ferry timetable changes hit weekend",
           "Opinion: the harbour deserves a better plan"]
COMMENTS = ["Comments (3)", "harbourwatcher", "This is exactly what happened last time and nobody learned a thing from it.",
            "jdoe77", "I take that ferry every single day and nobody ever asked the passengers what they think of it."]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2026 The Harbour Courier. All rights reserved."]


def _paste(*parts: list[str]) -> str:
    return "\n".join(line for part in parts for line in part)


def test_a_whole_page_keeps_only_its_article():
    result = clean_text(_paste(MENU, [HEADLINE, "ShareFacebookTwitterWhatsAppEmail"], STORY, RELATED, COMMENTS, FOOTER))
    assert result.kept_text() == "\n\n".join(STORY)
    assert result.meta["title"] == HEADLINE


def test_a_short_story_is_kept_over_longer_comments_after_it():
    long_comments = [COMMENTS[0]] + [f"{COMMENTS[4]} And another thing, number {i}." for i in range(8)]
    result = clean_text(_paste(MENU, [HEADLINE], STORY[:2], long_comments, FOOTER))
    assert result.kept_text() == "\n\n".join(STORY[:2])


def test_an_article_pasted_alone_loses_nothing():
    text = _paste([HEADLINE], STORY, ["What happens next:", "1. The board publishes its plan", "2. Traders are consulted",
                                      "Ends"])
    kept = clean_text(text).kept_text()
    for line in STORY + ["What happens next:", "1. The board publishes its plan", "2. Traders are consulted", "Ends"]:
        assert line in kept


def test_a_chinese_page_keeps_its_article():
    menu = ["首页", "时政", "资讯", "财经", "文化", "图片", "视频", "专栏"]
    story = ["市政府周二宣布，东门轮渡码头将关闭八个月进行维修，工程师发现码头下的钢桩腐蚀速度远超预期。",
             "临时码头将于三月在磨坊码头启用，市政府在声明中表示，维修费用约为七千万元。"]
    links = ["友情链接：", "央广网", "中国新闻网", "光明网", "国际在线", "央视网", "新华网", "人民网"]
    result = clean_text(_paste(menu, ["东门轮渡码头将关闭八个月"], story, links))
    assert result.kept_text() == "\n\n".join(story) and result.meta["title"] == "东门轮渡码头将关闭八个月"


def test_a_thai_page_keeps_its_article():
    # Thai writes a phrase's words together and ends no sentence with a full stop.
    menu = ["หน้าแรก", "การเมือง", "เศรษฐกิจ", "ต่างประเทศ", "แรงงาน", "สิ่งแวดล้อม", "ความมั่นคง"]
    story = ["คณะกรรมการท่าเรือลงมติเมื่อวันอังคารให้ปิดท่าเรือข้ามฟากฝั่งตะวันออกเป็นเวลาแปดเดือน เพื่อซ่อมแซมเสาเหล็กใต้สะพานที่ผุกร่อนเร็วกว่าที่คาดไว้มาก",
             "ท่าเรือชั่วคราวจะเปิดให้บริการที่ท่าโรงสีในเดือนมีนาคม ตามแถลงการณ์ของคณะกรรมการ ซึ่งระบุว่าค่าใช้จ่ายในการซ่อมแซมจะสูงกว่าที่ประเมินไว้"]
    result = clean_text(_paste(menu, ["ปิดท่าเรือข้ามฟากแปดเดือน"], story, ["เรื่องที่เกี่ยวข้อง", "ข่าวอื่น ๆ", "ติดต่อเรา"]))
    assert result.kept_text() == "\n\n".join(story)


def test_a_long_menu_line_and_a_long_copyright_line_are_furniture():
    menu_line = ("World News Politics Business Science Technology Health Entertainment Sports Travel Style Food "
                 "Opinion Video Audio Weather Local Markets Education Environment Climate Books Music Film Television")
    legal = ("© 2026 The Harbour Courier Media Group. All rights reserved. Use of this site constitutes acceptance of "
             "our User Agreement and Privacy Policy and Cookie Statement and your privacy rights in the state.")
    result = clean_text(_paste([menu_line, HEADLINE], STORY, FOOTER[:4], [legal]))
    assert result.kept_text() == "\n\n".join(STORY)


def test_teasers_after_the_article_are_dropped_though_their_snippets_are_sentences():
    teasers = []
    for n, (headline, snippet) in enumerate([
            ("Port authority names a new chief", "The authority chose a former shipping executive after a search lasting a year."),
            ("Ferry timetable changes hit weekend", "Commuters will wait longer for the first boat on Saturdays from next month."),
            ("Why the harbour deserves a better plan", "Our columnist argues that the repairs are only the start of what is needed."),
            ("The lifeboat crew that never sleeps", "Volunteers answered more than two hundred calls last year, a record for the station.")]):
        teasers += [headline, snippet, f"Staff writer {n}"]
    result = clean_text(_paste(MENU, [HEADLINE], STORY, teasers, FOOTER))
    assert result.kept_text() == "\n\n".join(STORY)


def test_widget_lines_are_dropped_but_a_sentence_with_their_words_stays():
    body = ("The council voted on Tuesday to close the old bridge for repairs over the summer months. "
            "Residents said the detour would add ten minutes to every trip into town.")
    kept_sentence = "The report is a 7 minute read, and readers can view comments below it."
    text = "\n".join(["7 minute read", "Video Ad Feedback", "02:12 - Source: CNN", body, kept_sentence, body[:60] + " again today."])
    kept = [b.text for b in clean_text(text).blocks if b.kept]
    assert "Video Ad Feedback" not in kept and "7 minute read" not in kept and "02:12 - Source: CNN" not in kept
    assert kept_sentence in kept
