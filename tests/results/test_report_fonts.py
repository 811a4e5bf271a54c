"""The project report PDF carries a font for every interface language, Chinese included."""

import io

import pytest
from pypdf import PdfReader

from concord.results import pdf

pytestmark = pytest.mark.django_db


def font_names(content: bytes) -> set[str]:
    return {
        str(font.get_object().get("/BaseFont", ""))
        for page in PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_a_chinese_report_is_set_in_a_cjk_font(project):
    project.title = "沿海社区早期预警"
    project.save(update_fields=["title"])
    fonts = font_names(pdf.project_report(project, "zh-hans"))
    assert any("CJK" in name for name in fonts), fonts
