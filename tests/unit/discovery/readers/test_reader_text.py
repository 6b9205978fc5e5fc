"""Text reader: bounded chunks with offsets and line numbers; undecodable bytes; binaries."""

from __future__ import annotations

from breachdesk.discovery.model import TextChunk


def test_chunks_carry_offsets_and_line_numbers(tmp_path, read, helpers):
    lines = [f"2024-01-01T00:00:{i:02d} login user=u{i}\n" for i in range(100)]
    path = tmp_path / "app.log"
    path.write_text("".join(lines))
    items = read(path, text_chunk_chars=500)
    chunks = [i for i in items if isinstance(i, TextChunk)]
    assert len(chunks) > 3
    assert helpers.text(items) == "".join(lines)
    for chunk in chunks:
        assert "".join(lines)[chunk.offset : chunk.offset + len(chunk.text)] == chunk.text
        assert lines[chunk.first_line - 1] == chunk.text.splitlines(keepends=True)[0]


def test_undecodable_bytes_are_reported(tmp_path, read, helpers):
    path = tmp_path / "n.txt"
    path.write_bytes(("é ok\n" * 20000).encode() + b"bad \xff here\nlast line\n")
    items = read(path)
    skipped = helpers.skips(items)
    assert len(skipped) == 1
    assert "undecodable" in skipped[0].reason
    assert helpers.text(items).endswith("last line\n")


def test_very_long_line_is_bounded(tmp_path, read):
    path = tmp_path / "long.txt"
    path.write_bytes(b"x" * 300_000)
    chunks = [i for i in read(path, text_chunk_chars=100_000) if isinstance(i, TextChunk)]
    assert max(len(c.text) for c in chunks) <= 100_000
    assert sum(len(c.text) for c in chunks) == 300_000


def test_binary_file_is_skipped_as_unrecognised(tmp_path, read, helpers):
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 10)
    items = read(path)
    assert len(items) == 1
    assert "unrecognised" in helpers.skips(items)[0].reason


def test_empty_file_yields_nothing(tmp_path, read):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read(path) == []
