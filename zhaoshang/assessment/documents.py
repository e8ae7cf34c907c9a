"""Word documents laid out the way Chinese government documents are (GB/T 9704-2012
habits): A4 with 37/35/28/26 mm margins; a red issuing-authority line and a red rule;
the title centred in 二号 小标宋; body text in 三号 仿宋 with a two-character first-line
indent and a fixed 28-point line pitch; first-level headings 一、 in 黑体, second-level
（一） in 楷体; the signature and the date (Arabic numerals) at the right; page numbers
“— 1 —” in 四号 宋体 at the foot.

Each Chinese font is written with its GB2312-era name first and a font-table entry naming
the fallbacks Word should use when it is missing (方正小标宋简体 → 华文中宋/宋体,
仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 黑体 → SimHei).
"""

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {
    TITLE_FONT: "华文中宋,宋体,SimSun",
    BODY_FONT: "仿宋,FangSong,STFangsong",
    SUBHEADING_FONT: "楷体,KaiTi,STKaiti",
    HEADING_FONT: "SimHei,STHeiti",
    PAGE_NUMBER_FONT: "SimSun",
}
RED = RGBColor(0xE6, 0x00, 0x12)

# Sizes in points: 初号 42, 小初 36, 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5.
SIZE_ISSUER = Pt(36)
SIZE_TITLE = Pt(22)
SIZE_BODY = Pt(16)
SIZE_TABLE = Pt(12)
SIZE_PAGE_NUMBER = Pt(14)
LINE_PITCH = Pt(28)

CHINESE_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_NUMERALS[tens - 1]) + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def set_font(run, east_asian: str, size=None, bold=None, color=None):
    run.font.name = LATIN_FONT
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _register_fallbacks(document) -> None:
    """Font-table entries naming each Chinese font's fallbacks (w:altName)."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    present = {font.get(f"{{{w}}}name") for font in root.findall(f"{{{w}}}font")}
    for name, alternatives in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        alt = etree.SubElement(font, f"{{{w}}}altName")
        alt.set(f"{{{w}}}val", alternatives)
        charset = etree.SubElement(font, f"{{{w}}}charset")
        charset.set(f"{{{w}}}val", "86")
        family = etree.SubElement(font, f"{{{w}}}family")
        family.set(f"{{{w}}}val", "modern" if name != TITLE_FONT else "script")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_footer(section) -> None:
    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)
    run = set_font(paragraph.add_run(), PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_PAGE_NUMBER)


class GovDocument:
    """A document built paragraph by paragraph in the house layout."""

    def __init__(self):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.name = LATIN_FONT
        normal.font.size = SIZE_BODY
        normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        _register_fallbacks(self.doc)
        _page_number_footer(section)
        self._headings = 0

    def _paragraph(self, align=None, indent=False, pitch=True):
        paragraph = self.doc.add_paragraph()
        fmt = paragraph.paragraph_format
        if align is not None:
            paragraph.alignment = align
        if indent:
            fmt.first_line_indent = Pt(32)
        if pitch:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        return paragraph

    def masthead(self, issuer: str, number: str = "") -> None:
        """The red issuing-authority line, the document number and the red rule."""
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, pitch=False)
        paragraph.paragraph_format.space_after = Pt(12)
        set_font(paragraph.add_run(issuer), TITLE_FONT, SIZE_ISSUER, color=RED)
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        set_font(paragraph.add_run(number or " "), BODY_FONT, SIZE_BODY)
        p_pr = paragraph._element.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "E60012")):
            bottom.set(qn(key), value)
        borders.append(bottom)
        p_pr.append(borders)
        self.blank()

    def blank(self) -> None:
        self._paragraph()

    def title(self, text: str) -> None:
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, pitch=False)
        paragraph.paragraph_format.space_after = Pt(16)
        set_font(paragraph.add_run(text), TITLE_FONT, SIZE_TITLE)

    def addressees(self, text: str) -> None:
        set_font(self._paragraph().add_run(text), BODY_FONT, SIZE_BODY)

    def text(self, text: str, lead: str = "") -> None:
        """A body paragraph; `lead` is set in 仿宋 bold before it (e.g. a highlighted sentence)."""
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        if lead:
            set_font(paragraph.add_run(lead), BODY_FONT, SIZE_BODY, bold=True)
        set_font(paragraph.add_run(text), BODY_FONT, SIZE_BODY)

    def heading(self, text: str) -> None:
        """一、… numbered automatically."""
        self._headings += 1
        paragraph = self._paragraph(indent=True)
        set_font(paragraph.add_run(f"{numeral(self._headings)}、{text}"), HEADING_FONT, SIZE_BODY)
        self._subheadings = 0

    def subheading(self, text: str) -> None:
        """（一）… numbered within the current heading."""
        self._subheadings = getattr(self, "_subheadings", 0) + 1
        paragraph = self._paragraph(indent=True)
        set_font(paragraph.add_run(f"（{numeral(self._subheadings)}）{text}"), SUBHEADING_FONT, SIZE_BODY)

    def table(self, headers: list[str], rows: list[list], caption: str = "", widths_mm: list[float] | None = None) -> None:
        if caption:
            paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
            set_font(paragraph.add_run(caption), HEADING_FONT, SIZE_TABLE + Pt(2))
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers):
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(paragraph.add_run(str(header)), HEADING_FONT, SIZE_TABLE)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values):
                paragraph = cell.paragraphs[0]
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                set_font(paragraph.add_run("" if value is None else str(value)), BODY_FONT, SIZE_TABLE)
        if widths_mm:
            for row in table.rows:
                for cell, width in zip(row.cells, widths_mm):
                    cell.width = Mm(width)
        self.blank()

    def signature(self, issuer: str, date: dt.date) -> None:
        self.blank()
        for text in (issuer, f"{date.year}年{date.month}月{date.day}日"):
            paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(64)
            set_font(paragraph.add_run(text), BODY_FONT, SIZE_BODY)

    def landscape_section(self) -> None:
        """A new landscape page (for a wide attachment table)."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)

    def attachment_label(self, text: str) -> None:
        paragraph = self._paragraph()
        set_font(paragraph.add_run(text), HEADING_FONT, SIZE_BODY)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
