"""The character memo and the light label rows behind notice rendering give what the plain way gives (no Qt)."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from xinfang_desk.printing import document as D
from xinfang_desk.printing import fonts
from xinfang_desk.printing.document import Paragraph
from xinfang_desk.printing.fonts import MAIN, MissingGlyph


def test_character_memo_keeps_field_and_base_per_call() -> None:
    bad = "\x01"
    for field in ("a", "b"):
        with pytest.raises(MissingGlyph) as err:
            fonts.runs(f"王{bad}", field)
        assert err.value.field == field
    for base in ("葛", "王"):
        with pytest.raises(MissingGlyph) as err:
            fonts.runs(base + "\U000e0100")
        assert err.value.base == base
    assert fonts.runs("a\r\nb\u200bc\td", keep_breaks=True) == [(MAIN, "a"), ("", "\n"), (MAIN, "bc d")]
    assert fonts.runs("a\r\nb") == [(MAIN, "a b")]
    assert fonts.runs("王𠮷伟") == [(MAIN, "王"), ("XFHanaMinA", "𠮷"), (MAIN, "伟")]


def _rows(st: D.Styles) -> list[list[Paragraph]]:
    values = [("机关", "某某区人力资源和社会保障局劳动人事争议仲裁委员会"), ("地址", "某某路1号" * 12),
              ("电话", "010-12345678"), ("办公时间", "工作日 9:00-17:00")]
    return [[Paragraph(k + "：", st.table_head), Paragraph(v, st.table)] for k, v in values]


def test_label_rows_measure_like_plain_table() -> None:
    st = D.make_styles()
    widths = [28 * mm, D.BODY_W - 2 * D.SIZE_BODY - 28 * mm]
    table = D.plain_table(_rows(st), widths, hAlign="RIGHT")
    rows = D.LabelRows(_rows(st), widths, hAlign="RIGHT")
    tw, th = table.wrap(D.BODY_W, D.BODY_H)
    rw, rh = rows.wrap(D.BODY_W, D.BODY_H)
    assert rw == pytest.approx(tw)
    assert rh == pytest.approx(th)
    assert rows._heights == pytest.approx(table._rowHeights)


def test_label_rows_split_between_rows() -> None:
    st = D.make_styles()
    widths = [28 * mm, D.BODY_W - 2 * D.SIZE_BODY - 28 * mm]
    rows = D.LabelRows(_rows(st), widths)
    rows.wrap(D.BODY_W, D.BODY_H)
    first_two = sum(rows._heights[:2])
    parts = rows.split(D.BODY_W, first_two + 1)
    assert [len(p.rows) for p in parts] == [2, 2]
    assert rows.split(D.BODY_W, rows._heights[0] - 1) == []  # nothing fits: the frame moves it on
    assert rows.split(D.BODY_W, D.BODY_H) == []  # everything fits: no split needed
