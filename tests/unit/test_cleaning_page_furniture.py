"""The plain-text cleaner knows a site's furniture by its shape, and keeps sentences that only mention it."""

import pytest

from workbench.text.cleaning import classify
from workbench.text.paste_cleaning import clean_text


@pytest.mark.parametrize("line", [
    "Latest News Applications OS Channel Security Gaming Reviews Deals",
    "Home News Weather Traffic Sports Community Contests",
    "News Opinion Sport Culture Lifestyle",
    "新闻 财经 科技 汽车 房产 教育 体育",
    "Новости Политика Экономика Общество Спорт Культура",
    "Ειδήσεις Πολιτική Οικονομία Κόσμος Αθλητισμός",
    "Actualité Politique Économie Société Sport",
    "Início / Saúde",
])
def test_menus_are_navigation(line):
    assert classify(line)[0] == "junk" and "navigation" in classify(line)[1]


@pytest.mark.parametrize("line", [
    "17 comments", "Log in to comment", "Sort by", "Comments are closed for this story.", "Leave a comment",
    "Войдите, чтобы оставить комментарий", "登录后发表评论", "还没有评论，快来抢沙发吧", "Connectez-vous pour commenter",
    "Inicia sesión para comentar", "Συνδεθείτε για να σχολιάσετε", "أضف تعليقك",
])
def test_comment_widgets_are_junk(line):
    assert classify(line)[0] == "junk"


@pytest.mark.parametrize("line", [
    "Subscribe to our daily tech newsletter", "Sign up for our morning briefing", "Newsletter abonnieren",
    "Подписывайтесь на наш канал в Телеграме", "Abonnez-vous à notre newsletter", "Suscríbete a nuestro boletín",
    "We use cookies to improve your experience. Accept all cookies", "Accept all cookies",
])
def test_prompts_and_cookie_notices_are_junk(line):
    assert classify(line)[0] == "junk"


@pytest.mark.parametrize("line", ["TRENDING NOW", "Most viewed", "Explore more on these topics", "热点推荐",
                                  "Самое читаемое", "Popular"])
def test_teaser_headings_are_junk(line):
    assert classify(line) == ("junk", "related or recent news list")


@pytest.mark.parametrize("line,role", [
    ("Priya Raman Media reporter", "byline"), ("Redacción Valdeluz", "byline"),
    ("本文来源：南江日报 作者：陈静", "junk"), ("Publié le 5 novembre 2025 à 18h02", "dateline"),
])
def test_bylines_datelines_and_credits(line, role):
    assert classify(line)[0] == role


@pytest.mark.parametrize("sentence", [
    "The Guardian US added 680,000 newsletter subscribers in the year to March, its annual report shows.",
    "Executives said the cookie consent rules introduced last year had cut advertising income by about a tenth.",
    "The developer said 23 comments had been received during the formal consultation.",
    "Residents can sign up for the scheme online from Monday, the council said.",
    "Sort by any measure and the project is the largest the town has seen.",
    "Newsletters Drive Growth At News Group",
    "Reporter Wins Award For Flood Coverage",
    "Helix Pulls Its Pocket Tablets From Europe",
    "Sport and culture budgets were cut by a third.",
])
def test_sentences_that_mention_such_words_stay(sentence):
    assert classify(sentence) is None


def test_a_trailing_numbered_headline_list_goes_with_its_heading():
    result = clean_text("Big Headline\n\nThe mayor said the plan would be published in May.\n\nMost read\n\n"
                        "1. Storm warning for the coast\n\n2. Council tax to rise")
    assert result.kept_text() == "The mayor said the plan would be published in May."


def test_a_numbered_headline_list_after_the_article_is_dropped_without_a_heading():
    text = ("Big Headline\n\nThe mayor said the plan would be published in May, after the consultation.\n\n"
            "1. Storm warning for the coast\n\n2. Council tax to rise\n\n3 Teenager wins chess title")
    assert clean_text(text).kept_text() == "The mayor said the plan would be published in May, after the consultation."


def test_a_numbered_list_inside_the_article_stays():
    text = ("Big Headline\n\nThe union set out its demands on Monday, in three points.\n\n1. A pay rise\n\n"
            "2. Shorter shifts\n\nThe employer said it would answer the demands within a week of the meeting.")
    assert "1. A pay rise\n\n2. Shorter shifts" in clean_text(text).kept_text()


def test_a_numbered_list_the_article_announces_stays_at_its_end():
    text = ("Big Headline\n\nThe mayor said the plan would be published in May, after the consultation.\n\n"
            "What happens next:\n\n1. The council votes\n\n2. The plan is published")
    assert clean_text(text).kept_text().endswith("1. The council votes\n\n2. The plan is published")
