"""Archives and compression: nesting, locators, bomb guards, truncated and corrupt containers."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from pathlib import Path

from breachdesk.discovery.readers.archive import inner_name

CSV = b"id,email\n1,a@example.com\n2,b@example.com\n"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_nested_archives_and_locators(tmp_path, read, helpers):
    inner = _zip({"inner/data.csv": CSV, "notes.txt": b"call 555-0100\n"})
    tgz = gzip.compress(_tar({"dump/inner.zip": inner, "dump/x.json": b'[{"k": "v"}]'}))
    items = read(_write(tmp_path, "outer.tgz", tgz))
    assert helpers.skips(items) == []
    paths = {i.locator.path for i in items}
    assert "outer.tgz!outer.tar!dump/inner.zip!inner/data.csv" in paths
    assert "outer.tgz!outer.tar!dump/inner.zip!notes.txt" in paths
    assert "outer.tgz!outer.tar!dump/x.json" in paths
    csv_rows = helpers.rows(items, path="outer.tgz!outer.tar!dump/inner.zip!inner/data.csv")
    assert [r["email"] for r in csv_rows] == ["a@example.com", "b@example.com"]


def test_single_file_compressions(tmp_path, read, helpers):
    for name, data in {
        "d.csv.gz": gzip.compress(CSV),
        "d.csv.bz2": bz2.compress(CSV),
        "d.csv.xz": lzma.compress(CSV),
    }.items():
        items = read(_write(tmp_path, name, data))
        assert helpers.skips(items) == [], name
        assert len(helpers.rows(items)) == 2, name
        assert items[0].locator.path == f"{name}!d.csv"


def test_zip_bomb_ratio_is_skipped(tmp_path, read, helpers):
    bomb = _zip({"zeros.csv": b"a\n" + b"0" * 5_000_000, "ok.csv": CSV})
    items = read(_write(tmp_path, "bomb.zip", bomb), ratio_grace_bytes=1 << 16)
    skipped = helpers.skips(items)
    assert [s.locator.path for s in skipped] == ["bomb.zip!zeros.csv"]
    assert "ratio" in skipped[0].reason
    assert len(helpers.rows(items, path="bomb.zip!ok.csv")) == 2


def test_gzip_bomb_stops_while_streaming(tmp_path, read, helpers):
    data = gzip.compress(b"0" * 5_000_000)
    items = read(_write(tmp_path, "z.txt.gz", data), ratio_grace_bytes=1 << 16)
    assert any("ratio" in s.reason for s in helpers.skips(items))


def test_total_size_member_count_and_depth_limits(tmp_path, read, helpers):
    many = _zip({f"f{i}.txt": b"hello\n" for i in range(10)})
    items = read(_write(tmp_path, "many.zip", many), max_members=3)
    assert sum("member count" in s.reason for s in helpers.skips(items)) == 7
    total = read(_write(tmp_path, "total.zip", many), max_total_bytes=20)
    assert any("total expanded size" in s.reason for s in helpers.skips(total))
    nested = CSV
    for level in range(4):
        nested = _zip({f"l{level}.zip" if level else "d.csv": nested})
    deep = read(_write(tmp_path, "deep.zip", nested), max_depth=2)
    assert any("depth" in s.reason for s in helpers.skips(deep))


def test_truncated_gzip_keeps_what_was_read(tmp_path, read, helpers):
    body = b"id,email\n" + b"".join(b"%d,u%d@example.com\n" % (i, i) for i in range(20000))
    data = gzip.compress(body)
    items = read(_write(tmp_path, "t.csv.gz", data[: len(data) // 2]))
    skipped = helpers.skips(items)
    assert len(skipped) == 1
    assert skipped[0].locator.path == "t.csv.gz!t.csv"
    assert "@" not in skipped[0].reason


def test_corrupt_zip_and_corrupt_member(tmp_path, read, helpers):
    items = read(_write(tmp_path, "bad.zip", b"PK\x03\x04" + b"\x00" * 100))
    assert len(helpers.skips(items)) == 1
    good = bytearray(_zip({"a.csv": CSV, "b.csv": CSV}, zipfile.ZIP_STORED))
    at = good.find(b"1,a@example.com", good.find(b"b.csv"))
    good[at : at + 3] = b"XYZ"  # CRC mismatch in the second member only
    damaged = read(_write(tmp_path, "crc.zip", bytes(good)))
    assert len(helpers.rows(damaged, path="crc.zip!a.csv")) == 2
    assert [s.locator.path for s in helpers.skips(damaged)] == ["crc.zip!b.csv"]


def test_corrupt_tar(tmp_path, read, helpers):
    data = bytearray(_tar({"a.txt": b"x" * 2000, "b.txt": b"y\n"}))
    items = read(_write(tmp_path, "t.tar", bytes(data[:1200])))
    assert all(type(i).__name__ in ("TextChunk", "Skipped") for i in items)
    assert helpers.skips(items)


def test_inner_names():
    assert inner_name("a/b/data.csv.gz") == "data.csv"
    assert inner_name("x.zip!logs.tgz") == "logs.tar"
    assert inner_name("weird") == "weird.out"


def test_chunked_csv_inside_a_zip_matches_plain_read(tmp_path, read, helpers):
    rows = [b"id,email,note"]
    rows += [b'%d,u%d@example.com,"a\nb, ""c"""' % (i, i) for i in range(3000)]
    body = b"\n".join(rows) + b"\n"
    path = _write(tmp_path, "z.zip", _zip({"d.csv": body}))
    fast = read(path, fast_path_bytes=0, csv_chunk_bytes=5000, batch_rows=700)
    slow = read(path, fast_path_bytes=1 << 40)
    assert helpers.skips(fast) == []
    assert helpers.rows(fast) == helpers.rows(slow)
    assert len(helpers.rows(fast)) == 3000
    assert helpers.rows(fast)[7]["note"] == 'a\nb, "c"'


def test_random_access_formats_inside_archives(tmp_path, read, helpers):
    from breachdesk.discovery.readers.sqlite import sample_database
    from breachdesk.discovery.readers.xlsx import minimal_xlsx

    inner = {
        "db/customers.sqlite": sample_database(),
        "sheets/book.xlsx": minimal_xlsx([["email"], ["x@example.com"]]),
    }
    data = gzip.compress(_tar(inner))
    items = read(_write(tmp_path, "leak.tar.gz", data))
    assert helpers.skips(items) == []
    base = "leak.tar.gz!leak.tar!"
    assert len(helpers.rows(items, path=base + "db/customers.sqlite", table="customers")) == 2
    assert helpers.rows(items, path=base + "sheets/book.xlsx") == [{"email": "x@example.com"}]
