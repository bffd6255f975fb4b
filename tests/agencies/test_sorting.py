"""Vietnamese alphabetical order."""

from dongthap.qlvb.utils.sorting import vietnamese_sort_key


def test_letters_with_marks_follow_their_base():
    words = ["Đào", "Dung", "Ân", "Ăn", "An", "Ơn", "Ôn", "On", "Ưu", "Uy"]
    assert sorted(words, key=vietnamese_sort_key) == [
        "An", "Ăn", "Ân", "Dung", "Đào", "On", "Ôn", "Ơn", "Uy", "Ưu",
    ]


def test_tones_break_ties_in_dictionary_order():
    words = ["bá", "bạ", "ba", "bả", "bà", "bã"]
    assert sorted(words, key=vietnamese_sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]


def test_case_insensitive():
    assert sorted(["b", "A", "a", "B"], key=vietnamese_sort_key)[:2] in (["A", "a"], ["a", "A"])
