"""Builders for the resume files the reading tests need, made at test time (no binaries
in the repository) and the shared real resumes."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import docx

SHARED_RESUMES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "resumes"
SHARED_CSV = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "labeled"
    / "UpdatedResumeDataSet.csv"
)


def shared_resume(name: str) -> bytes:
    return (SHARED_RESUMES / name).read_bytes()


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def text_ops(pieces: Sequence[tuple[float, float, str]], size: int = 11) -> bytes:
    """One text object per piece (x, y, text), in the given order, in Helvetica."""
    return b"".join(
        b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, _escape(text))
        for x, y, text in pieces
    )


def _object(number: int, body: bytes) -> bytes:
    return b"%d 0 obj\n%s\nendobj\n" % (number, body)


def _stream(data: bytes, *, flate: bool, extra: bytes = b"") -> bytes:
    payload = zlib.compress(data) if flate else data
    return _stream_raw(payload, (b"/Filter /FlateDecode " if flate else b"") + extra)


def _stream_raw(payload: bytes, entries: bytes) -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(payload), entries, payload)


def minimal_pdf(
    contents: Sequence[bytes],
    *,
    raw_streams: Sequence[bytes] | None = None,
    image: bool = False,
) -> bytes:
    """A PDF with one page per content stream (Flate-compressed), Helvetica as /F1.

    ``raw_streams`` replaces the content streams by already-compressed Flate data.
    ``image`` adds a small grey image XObject /Im1 to every page's resources.
    """
    pages = len(contents) if raw_streams is None else len(raw_streams)
    font_id, image_id, first = 3, 4, 5
    objects = [
        _object(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        _object(
            2,
            b"<< /Type /Pages /Kids [%s] /Count %d >>"
            % (b" ".join(b"%d 0 R" % (first + 2 * i) for i in range(pages)), pages),
        ),
        _object(
            font_id,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ),
        _object(
            image_id,
            _stream(
                bytes(range(64)) * 64,
                flate=True,
                extra=b"/Type /XObject /Subtype /Image /Width 64 /Height 64 "
                b"/ColorSpace /DeviceGray /BitsPerComponent 8 ",
            ),
        ),
    ]
    resources = b"/Font << /F1 %d 0 R >>" % font_id
    if image:
        resources += b" /XObject << /Im1 %d 0 R >>" % image_id
    for i in range(pages):
        page_id = first + 2 * i
        objects.append(
            _object(
                page_id,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources << %s >> /Contents %d 0 R >>" % (resources, page_id + 1),
            )
        )
        content = (
            _stream_raw(raw_streams[i], b"/Filter /FlateDecode ")
            if raw_streams is not None
            else _stream(contents[i], flate=True)
        )
        objects.append(_object(page_id + 1, content))
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for obj in objects:
        offsets.append(out.tell())
        out.write(obj)
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def flate_bomb(uncompressed_bytes: int) -> bytes:
    """Flate data that inflates to ``uncompressed_bytes`` spaces (~1000:1), built in chunks."""
    compressor = zlib.compressobj(9)
    chunk = b" " * 1_000_000
    parts = [compressor.compress(chunk) for _ in range(uncompressed_bytes // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)


def docx_resume() -> bytes:
    """A small resume made with python-docx: heading, a two-cell table row, a bullet."""
    document = docx.Document()
    document.add_paragraph("Jane Roe")
    document.add_heading("Work Experience", level=1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Senior Backend Engineer, Initech"
    table.cell(0, 1).text = "Mar 2019 – Present"
    document.add_paragraph("Built billing services in Go and PostgreSQL.", style="List Bullet")
    document.add_heading("Skills", level=1)
    document.add_paragraph("Go, PostgreSQL, Kubernetes, Terraform")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_TEXT_BOX_RUN = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
    "<w:p><w:r><w:t>SKILLS</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>Python</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>Airflow</w:t></w:r></w:p>"
    "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>SKILLS</w:t></w:r></w:p><w:p><w:r><w:t>Python</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def docx_with_text_box() -> bytes:
    """A DOCX whose sidebar is a text box (stored twice: Word's Choice and Fallback) and
    whose contact line is in the page header."""
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("Jane Roe, Data Engineer")
    paragraph._p.append(parse_xml(_TEXT_BOX_RUN))
    document.add_paragraph("Experience")
    document.sections[0].header.paragraphs[0].text = "jane@example.com"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
