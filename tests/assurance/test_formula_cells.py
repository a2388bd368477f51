"""Text that a spreadsheet could take for a formula, Unicode look-alikes of its signs included."""

import sys
import unicodedata

import pytest

from assurance.formula_guard import neutralise, read_back


def test_every_character_whose_compatibility_form_is_a_formula_sign_is_neutralised():
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if unicodedata.normalize("NFKC", character)[:1] in ("=", "+", "-", "@"):
            assert neutralise(character + "1+1") == "'" + character + "1+1", hex(code)


@pytest.mark.parametrize("text", ["＝1+1", "−2", "‐cmd", "⁼1", "﹫x", "='quoted'", "'＝x"])
def test_a_neutralised_look_alike_reads_back_as_written(text):
    assert read_back(neutralise(text)) == text


@pytest.mark.parametrize("text", ["– a dash of prose", "Hertfordshire", "5C4", "«note»"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text
