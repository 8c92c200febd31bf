"""Sentence spans, tokens and language detection shared by ingest and the assistant."""

from __future__ import annotations

from vectorstore.text import detect_language, split_sentences, tokenize


def test_sentence_spans_are_exact_slices_and_keep_abbreviations() -> None:
    text = (
        "  The U.S. envoy resigned on Monday. He left on Tuesday!  Why? Nobody said.\nHeadline line"
    )
    spans = split_sentences(text, 0, len(text))
    pieces = [text[s:e] for s, e in spans]
    assert pieces[0] == "The U.S. envoy resigned on Monday."
    assert "He left on Tuesday!" in pieces
    assert pieces[-1] == "Headline line"
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()


def test_sentence_spans_inside_a_window_are_offsets_of_the_whole_text() -> None:
    text = "Intro. First sentence here. Second one."
    start = text.index("First")
    spans = split_sentences(text, start, len(text))
    assert [text[s:e] for s, e in spans] == ["First sentence here.", "Second one."]


def test_tokens_are_stemmed_lower_cased_words_of_two_letters_or_more() -> None:
    assert tokenize("Talks STALLED by the Taliban's demands") == tokenize(
        "talk stalls by the Taliban demand"
    )
    assert tokenize("a 5 x envoy") == ["5", "envoy"]
    assert tokenize("overtager posten", "da")[0] == tokenize("overtage", "da")[0]


def test_language_prefers_the_collection_languages_for_short_questions() -> None:
    assert detect_language("Hvem overtog posten efter ham?", frozenset({"da", "en"})) == "da"
    assert detect_language("Who took over the post after him?", frozenset({"da", "en"})) == "en"


def test_a_hard_wrapped_sentence_stays_whole_but_a_heading_line_is_its_own() -> None:
    text = (
        "Storm damage\n"
        "The harbour was restored in 2019 after decades of neglect, and the old keeper's\n"
        "cottage is now a museum. It opened in May."
    )
    pieces = [text[s:e] for s, e in split_sentences(text, 0, len(text))]
    assert pieces[0] == "Storm damage"
    assert pieces[1].startswith("The harbour") and pieces[1].endswith("now a museum.")
    assert pieces[2] == "It opened in May."


def test_an_unclosed_quotation_does_not_swallow_the_sentences_after_it() -> None:
    text = (
        "He admits “the plan did not go forward as envisaged. The reasons are too complex and "
        'I will share my thoughts in the coming weeks." He led several rounds of talks with the '
        "Taliban in Qatar that resulted in an agreement to leave Afghanistan by May 2021. "
        "Biden pulled out the troops by August 31. The envoy, who served on Obama's team, "
        "will now lead the diplomatic efforts. Gen. Milley called the war a “strategic failure”."
    )
    spans = split_sentences(text, 0, len(text), "en")
    sentences = [text[s:e] for s, e in spans]
    assert all(len(s) <= 300 for s in sentences)
    assert "Gen. Milley called the war a “strategic failure”." in sentences
    assert "Biden pulled out the troops by August 31." in sentences
