from delphi_site.spreadsheets import neutralise


def test_formula_like_text_is_neutralised():
    values = ["=1+1", "+66", "-5", "@SUM(A1)", "Dr. A", "", None]

    assert [neutralise(v) for v in values] == [
        "'=1+1",
        "'+66",
        "'-5",
        "'@SUM(A1)",
        "Dr. A",
        "",
        "",
    ]
