"""Resume files -> text (accounts/resumes/reading.py, isolation.py): the ten shared real
PDFs, and broken or hostile files generated here."""

from __future__ import annotations

import io
from functools import cache

import pypdf
import pytest

from accounts.resumes import errors
from accounts.resumes.errors import ResumeReadError, error_from_payload
from accounts.resumes.isolation import extract_text_isolated
from accounts.resumes.reading import ExtractedText, extract_text, sniff_kind
from tests.accounts.resume_files import (
    SHARED_RESUMES,
    docx_resume,
    docx_with_text_box,
    flate_bomb,
    minimal_pdf,
    shared_resume,
    text_ops,
    zip_bytes,
)

REAL_PDFS = sorted(path.name for path in SHARED_RESUMES.glob("*.pdf"))

needs_shared = pytest.mark.skipif(len(REAL_PDFS) < 10, reason="shared resumes not available")


def read(
    data: bytes,
    *,
    max_pages: int = 20,
    max_bytes: int = 5_000_000,
    timeout_s: float = 30.0,
    memory_mb: int = 512,
) -> ExtractedText:
    return extract_text_isolated(
        data, max_pages=max_pages, max_bytes=max_bytes, timeout_s=timeout_s, memory_mb=memory_mb
    )


@cache
def isolated(name: str) -> ExtractedText:
    return read(shared_resume(name))


def lines_of(name: str) -> list[str]:
    return isolated(name).text.split("\n")


def section(lines: list[str], start: str, stop: str) -> list[str]:
    """The lines strictly between the heading ``start`` and the next heading ``stop``."""
    first = lines.index(start)
    return lines[first + 1 : lines.index(stop, first + 1)]


# --------------------------------------------------------------------------- real PDFs


@needs_shared
@pytest.mark.parametrize("name", REAL_PDFS)
def test_every_shared_pdf_is_read_in_the_child(name: str) -> None:
    result = isolated(name)
    assert result.kind == "pdf"
    assert result.pages is not None and 1 <= result.pages <= 5
    assert len(result.text) > 1000
    # No layout residue: no runs of spaces, no invisible glyphs, no mojibake lead bytes.
    assert "  " not in result.text
    assert not any(char in result.text for char in "\r\xa0\u200b\xad\x00")
    assert "Ã" not in result.text and "ï¼" not in result.text


@needs_shared
def test_isolated_and_in_process_extraction_agree() -> None:
    name = "resumematcher__modern-two-column.pdf"
    assert extract_text(shared_resume(name), kind="pdf", max_pages=20) == isolated(name)


@needs_shared
def test_deedy_two_columns_come_out_one_after_the_other() -> None:
    lines = lines_of("deedy__deedy_resume-openfont.pdf")
    # The left column (education, links, coursework, skills) is contiguous ...
    education = section(lines, "EDUCATION", "LINKS")
    assert education[:3] == [
        "CORNELL UNIVERSITY",
        "MENG IN COMPUTER SCIENCE",
        "Dec 2014 | Ithaca, NY",
    ]
    skills = section(lines, "SKILLS", "EXPERIENCE")
    assert [line for line in skills if line] == [
        "PROGRAMMING",
        "Over 5000 lines:",
        "Java • Shell • Python • Javascript",
        "OCaml • Matlab • Rails • LATEX",
        "Over 1000 lines:",
        "C • C++ • CSS • PHP • Assembly",
        "Familiar:",
        "AS3 • iOS • Android • MySQL",
    ]
    # ... and so is the right one: every job with its dates and bullets, nothing from the
    # left column in between.
    experience = section(lines, "EXPERIENCE", "RESEARCH")
    assert experience[:2] == ["FACEBOOK\t| SOFTWARE ENGINEER", "Jan 2015 - Present | New York, NY"]
    assert "GOOGLE\t| SOFTWARE ENGINEERING INTERN" in experience
    assert not {"Machine Learning", "Operating Systems", "UNDERGRADUATE"} & set(experience)


@needs_shared
def test_modern_two_column_keeps_summary_and_skills_together() -> None:
    lines = lines_of("resumematcher__modern-two-column.pdf")
    summary = section(lines, "SUMMARY", "EXPERIENCE")
    assert summary[0].startswith("Senior Software Engineer with 5+ years")
    assert summary[1].startswith("and building scalable backend systems")
    assert all("Database Optimization" not in line for line in summary)
    experience = section(lines, "EXPERIENCE", "PROJECTS")
    assert experience[0] == "Senior Software Engineer\tJan 2023 - Present"
    assert "Software Engineer\tJul 2019 - May 2021" in experience
    skills = section(lines, "SKILLS", "LINKS")
    assert skills[:2] == ["Go\tPython\tNode.js\tTypeScript", "JavaScript\tSQL\tPostgreSQL"]
    assert "Observability\tDatadog\tPagerDuty" in skills


@needs_shared
def test_single_column_files_are_not_split() -> None:
    # Right-aligned places and dates (RenderCV) and a narrow date column on the left
    # (Resume-Matcher) stay on the line of the entry they belong to.
    rendercv = lines_of("rendercv__John_Doe_ClassicTheme_CV.pdf")
    assert "Nexus AI, Co-Founder & CTO\tSan Francisco, CA" in rendercv
    harvey = lines_of("resumematcher__harvey_dent_mle.pdf")
    assert "2018 – 2021\tData Scientist, Uber, San Francisco, USA" in harvey
    accountant = lines_of("livecareer__ACCOUNTANT__10554236.pdf")
    assert "Company Name July 2011 to November 2012 Accountant" in accountant


@needs_shared
def test_two_column_list_inside_a_single_column_page() -> None:
    # The chef's "Core Strengths" table: both halves under their heading, in column order.
    lines = lines_of("livecareer__CHEF__10001727.pdf")
    strengths = [line for line in section(lines, "Core Strengths", "Accomplishments") if line]
    assert strengths[1:3] == ["Supervising", "Resolving guest disputes"]
    assert strengths[-2:] == ["Accounting", "Revenue Management"]


@needs_shared
def test_word_export_with_tab_separated_words_is_rejoined() -> None:
    text = isolated("openresume__laverne-resume.pdf").text
    assert "Leo Leopard" in text
    assert "To obtain an on-campus position serving my fellow students" in text
    assert "(909) 555-5555" in text
    assert (
        "Computer: Proficient in Windows and Mac OS, Microsoft Word, PowerPoint, and Excel" in text
    )


@needs_shared
def test_mojibake_from_the_html_export_is_repaired() -> None:
    text = isolated("livecareer__CHEF__10001727.pdf").text
    assert "Worked the sauté and fry stations." in text
    assert "Company Name City , State" in text


def test_interleaved_content_stream_is_read_column_by_column() -> None:
    # The producer writes each row left-then-right (as Word tables and many HTML
    # exporters do), so content-stream order interleaves the columns.
    left = [
        "EXPERIENCE",
        "Senior Data Engineer at Acme",
        "Built pipelines with Python and Spark",
        "Led a team of four engineers",
        "Designed the warehouse in Snowflake",
    ]
    right = [
        "SKILLS",
        "Python, SQL, Spark, Airflow",
        "Kubernetes and Docker",
        "Terraform on AWS",
        "Tableau dashboards for sales",
    ]
    pieces = []
    for row, (lhs, rhs) in enumerate(zip(left, right, strict=True)):
        pieces += [(50.0, 700.0 - 14 * row, lhs), (330.0, 700.0 - 14 * row, rhs)]
    data = minimal_pdf([text_ops(pieces)])
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "Senior Data Engineer at Acme Python" in reader.pages[0].extract_text()
    lines = [line for line in extract_text(data, kind="pdf", max_pages=5).text.split("\n") if line]
    assert lines == left + right


# --------------------------------------------------------------------------- PDF failures


def test_password_protected_pdf() -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(errors.EncryptedFile) as caught:
        read(buffer.getvalue())
    assert "password" in caught.value.user_message


@needs_shared
def test_pdf_with_only_an_owner_password_is_read() -> None:
    # Copy/print restrictions without an open password: every viewer opens it, so do we.
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(shared_resume("resumematcher__john_doe.pdf")))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    result = read(buffer.getvalue())
    assert "Full Stack Java Developer, ABC Company, Inc." in result.text


@needs_shared
@pytest.mark.parametrize("fraction", [0.2, 0.6, 0.95])
def test_truncated_pdf(fraction: float) -> None:
    data = shared_resume("deedy__deedy_resume-openfont.pdf")
    with pytest.raises(errors.CorruptFile) as caught:
        read(data[: int(len(data) * fraction)])
    assert "damaged or incomplete" in caught.value.user_message


def test_decompression_bomb_is_stopped_by_the_stream_limit() -> None:
    bomb = minimal_pdf([], raw_streams=[flate_bomb(300_000_000)])
    assert len(bomb) < 1_000_000
    with pytest.raises(errors.ExtractionResourceLimit) as caught:
        read(bomb)
    assert "limit" in str(caught.value)


def test_child_out_of_memory_is_a_resource_error() -> None:
    # 20 MB of address space is less than the interpreter with pypdf needs: the child
    # dies (MemoryError or abort) and the caller gets a clean error, not a crash.
    data = minimal_pdf([text_ops([(50.0, 700.0, "Software Engineer with Python")])])
    with pytest.raises(errors.ExtractionResourceLimit):
        read(data, memory_mb=20)


def test_pathologically_slow_pdf_times_out() -> None:
    # 150,000 positioned text fragments on one page: seconds of layout work.
    ops = b"".join(
        b"BT /F1 1 Tf %d %d Td (ab) Tj ET\n" % (i % 600, i % 790) for i in range(150_000)
    )
    with pytest.raises(errors.ExtractionTimeout):
        read(minimal_pdf([ops]), timeout_s=1.0)


def test_500_page_pdf_is_refused_by_page_count() -> None:
    writer = pypdf.PdfWriter()
    for _ in range(500):
        writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(errors.TooManyPages) as caught:
        read(buffer.getvalue())
    assert (caught.value.pages, caught.value.limit) == (500, 20)
    assert "500 pages" in caught.value.user_message


def test_image_only_pdf_has_no_text() -> None:
    data = minimal_pdf([b"q 400 0 0 500 100 150 cm /Im1 Do Q"], image=True)
    with pytest.raises(errors.NoTextFound) as caught:
        read(data)
    assert "No text was found" in caught.value.user_message
    assert "paste" in caught.value.user_message


def test_file_over_the_size_limit() -> None:
    with pytest.raises(errors.FileTooLarge) as caught:
        read(b"%PDF-1.7\n" + b" " * 2_000, max_bytes=1_000)
    assert caught.value.limit == 1_000


# --------------------------------------------------------------------------- other types


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    data = docx_resume()
    assert sniff_kind(data) == "docx"
    result = read(data)
    assert (result.kind, result.pages) == ("docx", None)
    assert result.text.split("\n") == [
        "Jane Roe",
        "Work Experience",
        "Senior Backend Engineer, Initech\tMar 2019 – Present",
        "Built billing services in Go and PostgreSQL.",
        "Skills",
        "Go, PostgreSQL, Kubernetes, Terraform",
    ]


def test_docx_text_box_is_read_once_and_header_first() -> None:
    result = read(docx_with_text_box())
    assert result.text.split("\n") == [
        "jane@example.com",
        "Jane Roe, Data Engineer",
        "SKILLS",
        "Python\tAirflow",
        "Experience",
    ]


def test_truncated_docx_is_corrupt() -> None:
    data = docx_resume()
    with pytest.raises(errors.CorruptFile):
        read(data[: len(data) // 2])


def test_markdown_is_unwrapped() -> None:
    markdown = (
        "# Jane Roe\n\n## Work Experience\n\n**Senior Engineer** at [Initech](https://initech.example)"
        " — *Mar 2019 – Present*\n\n* Built `billing` services in __Go__\n\n---\n\n"
        "| Skill | Years |\n|---|---:|\n| Python | 6 |\n"
    )
    result = read(markdown.encode())
    assert result.kind == "text"
    assert result.text.split("\n") == [
        "Jane Roe",
        "",
        "Work Experience",
        "",
        "Senior Engineer at Initech — Mar 2019 – Present",
        "",
        "• Built billing services in Go",
        "",
        "Skill | Years",
        "Python | 6",
    ]


@pytest.mark.parametrize(
    "encoded",
    [
        "\ufeffRésumé of José Müller, Software Engineer at Zürich Versicherung".encode(),
        "Résumé of José Müller, Software Engineer at Zürich Versicherung".encode("utf-16"),
        "Résumé of José Müller, Software Engineer at Zürich Versicherung".encode("utf-16-le"),
        "Résumé of José Müller, Software Engineer at Zürich Versicherung".encode("cp1252"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16-no-bom", "cp1252"],
)
def test_text_encodings(encoded: bytes) -> None:
    result = read(encoded)
    assert result.text == "Résumé of José Müller, Software Engineer at Zürich Versicherung"


def test_shebang_script_is_text() -> None:
    script = b"#!/bin/sh\n# Jane Roe, DevOps Engineer: Bash, Terraform, Ansible and AWS\n"
    assert sniff_kind(script) == "text"


# --------------------------------------------------------------------------- refused input


@pytest.mark.parametrize(
    ("data", "error", "message_part"),
    [
        (b"", errors.EmptyFile, "empty"),
        (b" \n\t\n", errors.EmptyFile, "empty"),
        (zip_bytes({"resume.txt": b"Jane Roe"}), errors.UnsupportedFile, "archive"),
        (
            zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            errors.UnsupportedFile,
            "OpenDocument",
        ),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(56), errors.UnsupportedFile, "program"),
        (b"MZ\x90\x00\x03" + bytes(60), errors.UnsupportedFile, "program"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(24), errors.UnsupportedFile, "program"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17), errors.UnsupportedFile, "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", errors.UnsupportedFile, "image"),
        (b'<?xml version="1.0"?>\n<svg xmlns="x"></svg>', errors.UnsupportedFile, "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), errors.UnsupportedFile, ".doc"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            errors.EncryptedFile,
            "password",
        ),
        (b"{\\rtf1\\ansi Jane Roe}", errors.UnsupportedFile, "RTF"),
        (bytes(range(256)) * 8, errors.UnsupportedFile, "not supported"),
        (b"PK\x03\x04 truncated", errors.CorruptFile, "damaged"),
    ],
)
def test_refused_files(data: bytes, error: type[ResumeReadError], message_part: str) -> None:
    with pytest.raises(error) as caught:
        read(data)
    assert message_part in caught.value.user_message


def test_errors_survive_the_process_boundary() -> None:
    originals: list[ResumeReadError] = [
        errors.TooManyPages(31, 20),
        errors.FileTooLarge(12_000_000, 5_000_000),
        errors.UnsupportedFile("png", user_message="This file is an image."),
        errors.NoTextFound("0 characters"),
        errors.ExtractionTimeout("slow"),
    ]
    for original in originals:
        rebuilt = error_from_payload(original.payload())
        assert type(rebuilt) is type(original)
        assert rebuilt.payload() == original.payload()
    assert type(error_from_payload({"code": "nonsense"})) is ResumeReadError
