"""The paper PDFs are printed on: the setting, else the locale's region, else A4."""

import pytest

from workbench.services.exports.data import paper_size


@pytest.mark.parametrize(("config", "paper"), [
    pytest.param({}, "A4", id="nothing_set_is_a4"),
    pytest.param({"LOCALE": "en-GB"}, "A4", id="british_a4"),
    pytest.param({"LOCALE": "en-US"}, "Letter", id="us_letter"),
    pytest.param({"LOCALE": "en_US.UTF-8"}, "Letter", id="posix_locale_name"),
    pytest.param({"LOCALE": "fr-CA"}, "Letter", id="canadian_french_letter"),
    pytest.param({"LOCALE": "de"}, "A4", id="language_alone_a4"),
    pytest.param({"LOCALE": "en-US", "PDF_PAPER": "a4"}, "A4", id="the_setting_wins"),
    pytest.param({"PDF_PAPER": "LETTER"}, "Letter", id="any_case"),
])
def test_paper_size(config, paper):
    assert paper_size(config) == paper


def test_an_unknown_paper_is_refused_by_name():
    with pytest.raises(ValueError, match="Tabloid"):
        paper_size({"PDF_PAPER": "Tabloid"})
