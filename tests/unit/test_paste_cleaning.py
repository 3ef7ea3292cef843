"""The shapes of a copied page's furniture, judged line by line in pasted plain text: teaser lists
(headline, snippet, author), galleries' captions and counters, photo credits, live reports' time
stamps, share labels, keyword runs and paywall notices; and the article's sentences that merely
use a widget's words, which are kept."""

import pytest

from workbench.text.paste_cleaning import clean_text

MENU = ["Home", "News", "Politics", "Business", "Sport", "Culture"]
HEADLINE = "Harbour board votes to close the Eastgate ferry terminal"
STORY = [
    "The harbour board voted on Tuesday to close the Eastgate ferry terminal for eight months of repairs.",
    "Engineers found that the steel piles under the pier had corroded far faster than anyone expected.",
    "A temporary landing stage will open at Mill Quay in March, the board said in a statement on Tuesday.",
    "Local traders said they feared the closure would cost them the commuters who stop for coffee.",
]
FOOTER = ["About us", "Contact", "Privacy policy", "© 2026 The Harbour Courier. All rights reserved."]


def _paste(*parts: list[str]) -> str:
    return "\n".join(line for part in parts for line in part)


def _kept(text: str) -> list[str]:
    return [b.text for b in clean_text(text).blocks if b.kept]


TEASERS = [
    "More from the Courier",
    "Council approves the new cycle lane on Dock Road",
    "The lane will run from the station to the seafront and open in the spring.",
    "Priya Raman",
    "Why the old lighthouse is finally being restored",
    "A local trust raised the money in under a year after a campaign by schoolchildren.",
    "Tom Ellis",
]


def test_a_teaser_list_of_headlines_snippets_and_authors_goes_whole():
    kept = _kept(_paste(MENU, [HEADLINE], STORY, TEASERS, FOOTER))
    assert kept == STORY


def test_a_teaser_list_with_dates_between_its_items_goes_whole():
    teasers = ["Read also", "Council approves the new cycle lane on Dock Road", "12 March 2026",
               "The lane will run from the station to the seafront and open in the spring.",
               "Why the old lighthouse is finally being restored", "10 March 2026",
               "A local trust raised the money in under a year after a campaign by schoolchildren."]
    assert _kept(_paste(MENU, [HEADLINE], STORY, teasers, FOOTER)) == STORY


def test_the_article_resuming_after_a_teaser_box_is_kept():
    box = ["Most popular", "Council approves the new cycle lane on Dock Road", "Priya Raman",
           "Why the old lighthouse is finally being restored", "Tom Ellis"]
    kept = _kept(_paste(MENU, [HEADLINE], STORY[:2], box, STORY[2:], FOOTER))
    assert kept == STORY


def test_a_lone_paragraph_after_a_related_label_is_kept():
    """One paragraph after the label may be the story's own: a list needs two snippets."""
    tail = ["Related", "Ferry timetable changes hit weekend", "The board will publish its full repair plan in May.",
            "What happens next", "A public meeting is planned for April at the town hall, the board said."]
    kept = _kept(_paste(MENU, [HEADLINE], STORY, tail))
    assert "The board will publish its full repair plan in May." in kept
    assert "A public meeting is planned for April at the town hall, the board said." in kept


def test_a_gallery_before_the_article_loses_its_captions_and_counters():
    gallery = ["Workers inspect the corroded piles under the Eastgate pier on Monday.", "Photo: Harbour Board",
               "The ferry Maid of Eastgate leaves the terminal for the last time before repairs.",
               "Commuters queue at Mill Quay, where a temporary landing stage will open.", "Hide caption",
               "1", "2", "3"]
    kept = _kept(_paste(MENU, [HEADLINE], gallery, STORY, FOOTER))
    assert kept == STORY


def test_an_article_ending_above_a_gallery_keeps_its_paragraphs():
    """The captions are the prose just before the numbers only when the article's prose after outweighs them."""
    gallery = ["Workers inspect the corroded piles under the Eastgate pier on Monday.", "1", "2", "3"]
    kept = _kept(_paste(MENU, [HEADLINE], STORY, gallery, FOOTER))
    assert kept[:len(STORY)] == STORY


@pytest.mark.parametrize("credit", ["Credit: Riot Games, ONE Esports", "Screenshot by Amanda Tan/ONE Esports",
                                    "Foto: Robert Michael/dpa", "Фото: ТАСС", "图片来源：江城晚报", "写真：共同"])
def test_a_photo_credit_on_its_own_line_is_dropped(credit):
    assert credit not in _kept(_paste(MENU, [HEADLINE], STORY[:2], [credit], STORY[2:]))


def test_a_sentence_about_a_photograph_is_kept():
    sentence = "Photographs by the harbour board show the steel piles eaten away below the waterline."
    assert sentence in _kept(_paste(MENU, [HEADLINE], STORY[:2], [sentence], STORY[2:]))


def test_a_caption_after_its_credit_is_dropped_but_a_shop_link_is_kept():
    caption = "The harbour master at the Eastgate terminal in 2019"
    assert caption not in _kept(_paste(MENU, [HEADLINE], STORY[:2], ["© Alamy", caption], STORY[2:]))
    link = "ADD TO CART: Eastgate ferry model kit"
    assert link in _kept(_paste(MENU, [HEADLINE], STORY[:2], ["Credit: Harbour Board", link], STORY[2:]))


@pytest.mark.parametrize("sentence", [
    "The regulator found that the cookie banners made it harder to reject tracking than to accept it.",
    "Subscribe buttons and sign-up prompts were not part of the investigation, the regulator said on Monday.",
    "The paper said it had gained 680,000 newsletter subscribers since it launched its morning briefing.",
])
def test_sentences_that_merely_use_a_widgets_words_are_kept(sentence):
    assert sentence in _kept(_paste(MENU, [HEADLINE], STORY[:2], [sentence], STORY[2:], FOOTER))


@pytest.mark.parametrize("prompt", [
    "Sign up for the Breaking News newsletter and receive the latest updates every single morning.",
    "We use cookies to improve your experience on our site. By continuing you accept our use of cookies.",
    "Subscribe to our daily newsletter",
])
def test_prompts_that_speak_to_the_reader_are_dropped(prompt):
    assert prompt not in _kept(_paste(MENU, [HEADLINE], STORY[:2], [prompt], STORY[2:], FOOTER))


def test_a_live_report_keeps_its_entries_and_drops_their_time_stamps():
    page = _paste(MENU, ["Storm live: thousands without power as winds reach 90mph", "Live", "Updated 7 December 2025",
                         "14:32 GMT", "Rail operators cancel all services in Wales",
                         "Transport for Wales said no trains would run for the rest of the day after trees fell.",
                         "Share", "3h ago",
                         "About 45,000 homes are still without electricity in the south-west, the grid said."],
                  FOOTER)
    result = clean_text(page)
    kept = [b.text for b in result.blocks if b.kept]
    assert kept == ["Rail operators cancel all services in Wales",
                    "Transport for Wales said no trains would run for the rest of the day after trees fell.",
                    "About 45,000 homes are still without electricity in the south-west, the grid said."]
    assert result.meta["title"] == "Storm live: thousands without power as winds reach 90mph"


def test_the_title_is_the_line_above_the_byline_not_the_menu():
    page = _paste(MENU, [HEADLINE, "By Priya Raman", "12 March 2026", "Share", "Facebook"], STORY, FOOTER)
    assert clean_text(page).meta["title"] == HEADLINE


def test_chinese_and_japanese_count_characters():
    """Prose has its commas and full stops; a keyword list run together has none; a share label goes."""
    story = ["京都市は20日、観光客の混雑対策として、市民以外の乗客の市バス運賃を引き上げる方針を明らかにした。",
             "現在の均一運賃230円を、観光客は400円程度とする案を検討している。市民は登録で現行運賃のまま利用できる。",
             "市によると、観光シーズンには一部の路線で乗車できない市民が出ており、苦情が相次いでいた。"]
    keywords = "京都市観光公害市バス運賃インバウンド交通政策混雑対策条例改正京都市議会観光税宿泊税嵐山清水寺渋滞対策歩行者優先"
    kept = _kept(_paste(["ニュース", "政治", "経済", "京都市、観光客向けの市バス運賃を引き上げへ", "共有"], story,
                        ["関連キーワード", keywords, "利用規約"]))
    assert kept == story


def test_a_paywall_notice_is_dropped():
    story = ["La SNCF a annoncé lundi la réouverture, dès le mois de mars, des circulations de nuit sur la ligne.",
             "La région financera la moitié des travaux de signalisation, estimés à 12 millions d'euros."]
    page = _paste(["Actualité", "Politique", "La SNCF va rouvrir la ligne de nuit", "Article réservé aux abonnés"],
                  story, ["Il vous reste 78 % de cet article à lire. La suite est réservée aux abonnés.", "Je m'abonne"])
    assert _kept(page) == story


def test_thai_paragraphs_without_full_stops_are_kept():
    story = ["กรุงเทพมหานครเปิดให้บริการเรือโดยสารไฟฟ้าเส้นทางใหม่ในคลองแสนแสบ ตั้งแต่วันจันทร์ที่ผ่านมา",
             "เรือไฟฟ้าจำนวน 12 ลำจะให้บริการทุก 10 นาทีในช่วงเวลาเร่งด่วน และช่วยลดมลพิษทางเสียงและอากาศในพื้นที่ริมคลอง",
             "ผู้ว่าราชการกรุงเทพมหานครกล่าวว่า ค่าโดยสารจะอยู่ที่ 10 ถึง 20 บาท ตามระยะทาง"]
    page = _paste(["หน้าแรก", "ข่าว", "การเมือง", "กรุงเทพฯ เปิดเส้นทางเรือไฟฟ้าสายใหม่ในคลองแสนแสบ", "แชร์"], story,
                  ["ข่าวที่เกี่ยวข้อง", "รถไฟฟ้าสายสีชมพูเปิดให้บริการครบทุกสถานี", "ติดต่อเรา"])
    assert _kept(page) == story


def test_a_credited_byline_is_passed_over_for_the_title():
    page = _paste(MENU, [HEADLINE, "Interview by Laura Chen", "9 July 2025", "Share"], STORY, FOOTER)
    assert clean_text(page).meta["title"] == HEADLINE


def test_a_video_title_above_its_clip_length_is_dropped():
    page = _paste(MENU, [HEADLINE], STORY[:2], ["Watch the ferry leave Eastgate for the last time", "02:12 - Source: Courier"],
                  STORY[2:], FOOTER)
    assert _kept(page) == STORY


@pytest.mark.parametrize("label", ["Image caption Commuters queue at Mill Quay on Monday morning",
                                   "Image copyright Getty Images", "ဓာတ်ပုံ မူပိုင် Khin Maung Win"])
def test_a_labelled_caption_or_credit_is_dropped(label):
    assert label not in _kept(_paste(MENU, [HEADLINE], STORY[:2], [label], STORY[2:], FOOTER))


def test_the_headline_is_found_past_share_buttons_between_it_and_its_date():
    """"Share this article" between the headline and the date is headline-shaped too; the title is
    the line above the buttons."""
    blocks = clean_text("Bridge Tolls Paid For Themselves, Minister Says\n\nShare this article\n\n"
                        "2025-03-14 11:02 GMT\n\nThe minister told the assembly that tolls had paid for the bridge "
                        "twice over.\n\nOpposition members questioned the figure on Thursday.").blocks
    assert [b.text for b in blocks if b.role == "title"] == ["Bridge Tolls Paid For Themselves, Minister Says"]


@pytest.mark.parametrize("sign_off", [
    "（编辑：严玉洁 王辉）",
    "【责任编辑：李华】",
    "(Reporting by Ana Ruiz; Editing by Tom Hale)",
    "Редактор: Анна Петрова",
    "-- By Sam Okafor Follow @samokafor",
])
def test_the_articles_sign_off_just_after_its_last_paragraph_is_kept(sign_off):
    """Who reported and edited the story is printed as part of it; the lists after it are not."""
    kept = _kept(_paste(MENU, [HEADLINE], STORY, [sign_off], TEASERS, FOOTER))
    assert kept == STORY + [sign_off]


def test_an_article_copied_alone_keeps_its_sign_off_and_not_its_photos_file_name():
    """Only the article selected and copied: the photo's file name above it is not its headline."""
    result = clean_text(_paste(["bridge.JPG"], STORY, ["-- By Sam Okafor"], ["Related Stories"]))
    assert [b.text for b in result.blocks if b.kept] == STORY + ["-- By Sam Okafor"]
    assert "title" not in result.meta


@pytest.mark.parametrize("closing", [
    ["No one was injured."], ["He was 84."], ["The vote was 5-2.", "Repairs start in May."],
    ["Contact the reporter at jroe@courier.example."],
])
def test_a_short_last_sentence_is_the_articles(closing):
    """A story may end on a line too short to read as a paragraph of its own; the share buttons,
    teasers and menus after it are not the story's."""
    assert _kept(_paste(MENU, [HEADLINE], STORY, closing, ["Share this article", "Facebook"], TEASERS, FOOTER)) \
        == STORY + closing
    assert _kept(_paste(MENU, [HEADLINE], STORY, closing, FOOTER)) == STORY + closing


def test_a_short_opening_sentence_is_the_articles():
    opening = "It was a wet night."
    assert _kept(_paste(MENU, [HEADLINE], [opening], STORY, FOOTER)) == [opening] + STORY
    assert _kept(_paste(MENU, [HEADLINE], ["Share this article", "Facebook"], [opening], STORY, FOOTER)) \
        == [opening] + STORY


POINTS = ["The board voted 5-2 to close the pier", "Repairs will take eight months", "A temporary stage opens in March"]


@pytest.mark.parametrize("lead_in", [[], ["What we know so far:"]])
def test_a_list_the_article_announces_at_its_end_is_kept_without_its_bullets(lead_in):
    """A browser copies a list's items without their bullets; the page's menu after them is not the list's."""
    story = STORY[:-1] + ([STORY[-1]] if lead_in else ["The board listed what will change:"])
    assert _kept(_paste(MENU, [HEADLINE], story, lead_in, POINTS, FOOTER)) == story + lead_in + POINTS
    assert _kept(_paste(MENU, [HEADLINE], story, lead_in, POINTS, TEASERS, FOOTER)) == story + lead_in + POINTS


def test_the_key_points_above_the_first_paragraph_are_the_articles():
    kept = _kept(_paste(MENU, [HEADLINE, "By Jane Roe"], ["Key points:"], POINTS, STORY, FOOTER))
    assert kept == ["Key points:"] + POINTS + STORY
    trending = ["Trending now:", "Council approves the new cycle lane on Dock Road",
                "Why the old lighthouse is being restored"]
    assert _kept(_paste(MENU, trending, [HEADLINE, "By Jane Roe"], STORY, FOOTER)) == STORY


def test_a_label_over_a_list_of_links_announces_no_list_of_the_articles():
    links = ["Vier Tote bei Unfall auf der Autobahn", "Stadtrat beschließt neuen Radweg am Hafen"]
    assert _kept(_paste(MENU, [HEADLINE], STORY, ["Lesen Sie auch:"], links, FOOTER)) == STORY


def test_a_sign_off_after_a_list_of_teasers_is_not_the_articles():
    kept = _kept(_paste(MENU, [HEADLINE], STORY, TEASERS, ["责任编辑：刘洋"], FOOTER))
    assert kept == STORY


def test_an_author_box_with_the_desk_and_paper_is_passed_over_for_the_title():
    """"National Desk By National Desk The Plain Dealer" above the date is the author's box; the
    headline stands above the photo and its caption."""
    page = _paste(MENU, [HEADLINE, "bridge.JPG", "The Eastgate pier at low tide. (Courier photo)", "Print",
                         "National Desk By National Desk The Plain Dealer",
                         "on March 12, 2026 at 9:06 AM, updated March 12, 2026 at 9:10 AM"], STORY, FOOTER)
    result = clean_text(page)
    assert result.meta["title"] == HEADLINE
    assert [b.text for b in result.blocks if b.kept] == STORY


def test_a_read_more_link_just_after_the_last_paragraph_is_kept_but_not_a_list_of_them():
    link = "Read more: Ferry fares to rise in April"
    assert _kept(_paste(MENU, [HEADLINE], STORY, [link], TEASERS, FOOTER)) == STORY + [link]
    assert link not in _kept(_paste(MENU, [HEADLINE], STORY, TEASERS, [link, "Read more: Pier repairs cost £2m"],
                                    FOOTER))
