"""Reading sources of a posted W3C annotation: the archived copy in each of the shapes an export writes."""

import pytest

from workbench.services.annotation_input import parse_annotation


def source_of(body: dict):
    anno = {"type": "Annotation", "target": {"source": "https://x.example/r/1",
                                             "selector": {"type": "TextQuoteSelector", "exact": "words"}},
            "body": [dict({"type": "SpecificResource", "purpose": "linking", "source": "https://s.example/1"}, **body)]}
    return parse_annotation(anno).sources[0]


@pytest.mark.parametrize(("body", "archived_url", "archived_date"), [
    pytest.param({"state": {"type": "TimeState", "cached": "https://a.example/1", "sourceDate": "2024-03-02T00:00:00Z"}},
                 "https://a.example/1", "2024-03-02T00:00:00Z", id="time_state_with_copy"),
    pytest.param({"state": {"type": "TimeState", "sourceDate": "2024-03-02T00:00:00Z"}}, None, "2024-03-02T00:00:00Z",
                 id="time_state_date_only"),
    pytest.param({"archivedCopy": "https://a.example/1"}, "https://a.example/1", None, id="copy_without_date"),
    pytest.param({"archivedCopy": {"id": "https://a.example/1"}}, "https://a.example/1", None, id="copy_as_node"),
    pytest.param({}, None, None, id="none"),
])
def test_the_archived_copy_is_read_in_every_shape_an_export_writes(body, archived_url, archived_date):
    source = source_of(body)
    assert (source.archived_url, source.archived_date) == (archived_url, archived_date)


@pytest.mark.parametrize("purpose", [{}, ["commenting"], None, 3])
def test_a_textual_body_whose_purpose_is_not_text_is_refused_naming_the_purposes(purpose):
    from workbench.errors import InvalidContentError

    anno = {"type": "Annotation", "target": {"selector": {"type": "TextQuoteSelector", "exact": "words"}},
            "body": [{"type": "TextualBody", "purpose": purpose, "value": "x"}]}
    with pytest.raises(InvalidContentError) as refused:
        parse_annotation(anno)
    assert refused.value.code == "bad_body" and "use one of assessing" in refused.value.message


def test_the_target_source_is_an_iri_written_either_way_and_nothing_else():
    from workbench.errors import InvalidContentError

    def target_source(source):
        return parse_annotation({"type": "Annotation", "target": {
            "source": source, "selector": {"type": "TextQuoteSelector", "exact": "words"}}}).target_source

    assert target_source("https://x.example/r/1") == "https://x.example/r/1"
    assert target_source({"id": "https://x.example/r/1"}) == "https://x.example/r/1"
    assert target_source(None) is None
    for wrong in (5, ["https://x.example/r/1"], {"id": 5}):
        with pytest.raises(InvalidContentError) as refused:
            target_source(wrong)
        assert refused.value.code == "bad_selector" and "IRI of a revision" in refused.value.message
