"""`manage.py import_jobs`: every shared RemoteOK file, JSONL and CSV with --map, bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jobs.models import Company, Job

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REMOTEOK = SHARED / "remoteok"

# (file, created, rejected): counted by hand from the files (see tests/sources for the
# per-element reasons). The 2024 file has one posting without a position (id 1057180).
FILES = [
    ("remoteok-2017-05-legacy-format.json", 289, 0),
    ("remoteok-2021-01.json", 276, 0),
    ("remoteok-2021-03-sample-string-epoch.json", 3, 0),
    ("remoteok-2024-12-04.json", 97, 1),
]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_jobs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "created", "rejected"), FILES)
def test_each_remoteok_file_imports_with_exact_counts_and_twice_creates_nothing(
    name: str, created: int, rejected: int
) -> None:
    out, err = run(str(REMOTEOK / name))
    assert f"created {created}, updated 0, unchanged 0, rejected {rejected}" in out
    assert Job.objects.count() == created
    assert Job.objects.filter(source="remoteok").count() == created
    if rejected:
        assert "rejected element 57: missing position (id 1057180)" in err

    again, _ = run(str(REMOTEOK / name))
    assert f"created 0, updated 0, unchanged {created}, rejected {rejected}" in again
    assert Job.objects.count() == created


@pytest.mark.django_db
def test_imported_fields_are_normalised_and_sanitised() -> None:
    run(str(REMOTEOK / "remoteok-2024-12-04.json"))
    job = Job.objects.get(external_id="1059249")
    assert job.position == "Senior Backend Golang Engineer Mailgun Send"
    assert job.company_name == "Mailgun"
    assert (job.salary_min, job.salary_max, job.salary_currency) == (70000, 110000, "USD")
    assert job.tags == ["golang", "senior", "engineer", "backend"]
    assert job.remote_policy == "remote"
    assert "<script" not in job.description_html
    assert job.posted_at.year == 2024

    run(str(REMOTEOK / "remoteok-2017-05-legacy-format.json"))
    legacy = Job.objects.get(external_id="29860")
    assert legacy.position == "Lead DevOps Engineer – Wirecutter"  # mojibake repaired
    assert legacy.company_name == "New York Times Wirecutter"


@pytest.mark.django_db
def test_csv_with_mapped_columns_keeps_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text(
        "Title,Company,Description,Where,Link\n"
        'Data Engineer,Acme Inc.,"<p>Spark &amp; SQL</p>",Remote - EU,https://acme.example/1\n'
        ",Acme,No title here,Berlin,https://acme.example/2\n"
        "Accountant,Books Ltd,Ledgers,London,https://books.example/3\n"
    )
    args = [str(path), "--map", "position=Title", "--map", "company=Company"]
    args += ["--map", "description=Description", "--map", "location=Where", "--map", "url=Link"]
    out, err = run(*args)
    assert "3 records" in out
    assert "created 2, updated 0, unchanged 0, rejected 1" in out
    assert "rejected line 3: missing position" in err
    engineer = Job.objects.get(position="Data Engineer")
    assert engineer.company.name == "Acme Inc."
    assert engineer.company.normalized_name == "acme"
    assert engineer.description_text == "Spark & SQL"
    assert engineer.remote_policy == "remote"
    assert engineer.source == "import"
    assert Job.objects.get(position="Accountant").remote_policy == "onsite"

    again, _ = run(*args)
    assert "created 0, updated 0, unchanged 2, rejected 1" in again


@pytest.mark.django_db
def test_jsonl_of_remoteok_objects_needs_no_mapping(tmp_path: Path) -> None:
    items = json.loads((REMOTEOK / "remoteok-2021-03-sample-string-epoch.json").read_text())[1:]
    path = tmp_path / "jobs.jsonl"
    path.write_text(
        "\n".join(json.dumps(item) for item in items) + '\n"just a string"\n{"id": "9"}\n'
    )
    out, err = run(str(path), "--source", "archive")
    assert "5 records" in out
    assert "created 3, updated 0, unchanged 0, rejected 2" in out
    assert "rejected line 4: expected a JSON object, got str" in err
    assert "rejected line 5: missing position" in err
    assert set(Job.objects.values_list("source", flat=True)) == {"archive"}
    assert Job.objects.filter(external_id="103113").exists()


@pytest.mark.django_db
def test_a_changed_posting_is_updated_not_duplicated(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    record = {
        "id": "1",
        "position": "Go Developer",
        "company": "Gophers",
        "url": "https://g.example/1",
    }
    path.write_text(json.dumps(record))
    run(str(path))
    first = Job.objects.get()
    path.write_text(json.dumps({**record, "position": "Senior Go Developer"}))
    out, _ = run(str(path))
    assert "created 0, updated 1, unchanged 0" in out
    job = Job.objects.get()
    assert job.pk == first.pk
    assert job.position == "Senior Go Developer"
    assert job.first_seen_at == first.first_seen_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("DIR", "is a directory"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "is a binary file"),
        ('{"id": "1", "position": "A"}\n{"id": "2", "position": \n', "line 2: invalid JSON"),
    ],
)
def test_unreadable_input_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    existing = Job.objects.count()
    path = tmp_path / "input.jsonl"
    if content == "DIR":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run(str(path), "--format", "jsonl")
    assert Job.objects.count() == existing
    assert Company.objects.count() == 0


@pytest.mark.django_db
def test_malformed_csv_midway_rolls_back_the_rows_before_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    rows = "".join(f"Engineer {i},Acme,https://a.example/{i}\n" for i in range(1500))
    path.write_text("position,company,url\n" + rows + 'Broken,"unterminated\n')
    with pytest.raises(CommandError, match=r"line \d+: malformed CSV"):
        run(str(path))
    assert Job.objects.count() == 0  # the first 1,000-row batch was rolled back too


@pytest.mark.django_db
def test_unknown_map_field_and_unknown_column_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Title\nEngineer\n")
    with pytest.raises(CommandError, match="unknown job field 'salary'"):
        run(str(path), "--map", "salary=Pay")
    with pytest.raises(CommandError, match="not in the header: Name"):
        run(str(path), "--map", "position=Name")
    with pytest.raises(CommandError, match="not a RemoteOK API response"):
        run(str(path), "--format", "remoteok")
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_reposts_are_grouped_and_shown_once(tmp_path: Path) -> None:
    path = tmp_path / "reposts.jsonl"
    base = {"company": "Acme, Inc.", "url": "https://a.example/x"}
    lines = [
        {**base, "id": "1", "position": "Senior Python Engineer", "date": "2026-11-01T00:00:00Z"},
        {
            **base,
            "id": "2",
            "position": "Remote Senior Python Engineer",
            "date": "2026-11-10T00:00:00Z",
        },
        {**base, "id": "3", "position": "Senior Python Engineer", "date": "2025-01-01T00:00:00Z"},
        {
            "company": "ACME",
            "url": "https://a.example/y",
            "id": "4",
            "position": "Designer",
            "date": "2026-11-10T00:00:00Z",
        },
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    out, _ = run(str(path))
    assert "grouped as reposts 1" in out
    first, second, old = (Job.objects.get(external_id=i) for i in "123")
    assert second.duplicate_of == first
    assert first.duplicate_of is None
    assert old.duplicate_of is None  # outside the 30-day window: a new opening
    assert Company.objects.filter(normalized_name="acme").count() == 1


def _jsonl_lines(count: int) -> str:
    return "".join(
        json.dumps(
            {
                "id": str(i),
                "position": f"Engineer {i % 50}",
                "company": f"Co {i % 300}",
                "url": f"https://e.example/{i}",
                "description": f"<p>Job {i}</p>",
            }
        )
        + "\n"
        for i in range(count)
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_import_stores_everything_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text(_jsonl_lines(2500) + '"not an object"\n')
    out, err = run(str(path), "--workers", "2")
    assert "2501 records" in out and "2 worker(s)" in out
    assert "created 2500, updated 0, unchanged 0, rejected 1" in out
    assert "rejected line 2501: expected a JSON object" in err
    assert Job.objects.count() == 2500
    assert Company.objects.count() == 300
    again, _ = run(str(path), "--workers", "2")
    assert "created 0, updated 0, unchanged 2500, rejected 1" in again


@pytest.mark.django_db(transaction=True)
def test_parallel_import_of_a_malformed_file_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(_jsonl_lines(2500) + '{"id": "oops", \n')
    with pytest.raises(CommandError, match="line 2501: invalid JSON"):
        run(str(path), "--workers", "2")
    assert Job.objects.count() == 0
    assert Company.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_jsonl_counts_lines_like_text_mode(tmp_path: Path) -> None:
    # Workers read their own byte ranges; blank lines, CRLF and a lone CR must still give
    # the line numbers a text-mode reader gives.
    lines = _jsonl_lines(1500).splitlines()
    body = "\r\n".join(lines[:1200]) + "\r\n\r\n\n" + "\n".join(lines[1200:])
    body += '\n"a string"\r[1]\n'
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(body.encode())
    out, err = run(str(path), "--workers", "2")
    assert "created 1500, updated 0, unchanged 0, rejected 2" in out
    assert "rejected line 1503: expected a JSON object, got str" in err
    assert "rejected line 1504: expected a JSON object, got list" in err


@pytest.mark.django_db(transaction=True)
def test_parallel_import_of_non_utf8_jsonl_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    tail = json.dumps({"id": "x", "position": "Caf\u00e9 Manager"}).encode("latin-1")
    path.write_bytes(_jsonl_lines(1500).encode() + tail.replace(b"\\u00e9", b"\xe9") + b"\n")
    with pytest.raises(CommandError, match="is not UTF-8 text; nothing was imported"):
        run(str(path), "--workers", "2")
    assert Job.objects.count() == 0
