"""Chapter 8's panel checks a typed word before anything trains (no frozen kernel on a long word)."""

from __future__ import annotations

import pytest

from itemsrel.widgets.groups import MAX_EXPONENT, MAX_WORD_LENGTH, check_word


def test_good_words_pass_unchanged():
    assert check_word("x*y*x^-1") == "x*y*x^-1"
    assert check_word(" x * y ") == "x*y"
    assert check_word(f"x^{MAX_EXPONENT}*y") == f"x^{MAX_EXPONENT}*y"


@pytest.mark.parametrize(
    ("word", "message"),
    [
        ("", "type a word"),
        ("x*" * 30 + "y", f"at most {MAX_WORD_LENGTH}"),
        ("x*z", "contains 'z'"),
        ("x^100000000000*y", "exponent 100000000000 is too large"),
        ("x^(-5000)", "exponent -5000 is too large"),
    ],
)
def test_bad_words_are_refused_with_a_message(word, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        check_word(word)


def test_a_non_string_is_a_type_error():
    with pytest.raises(TypeError, match="word must be a string"):
        check_word(12)  # type: ignore[arg-type]
