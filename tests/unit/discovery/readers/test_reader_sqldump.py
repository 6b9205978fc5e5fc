"""SQL dump reader: mysqldump INSERTs, pg_dump COPY and INSERTs, escapes, garbled statements."""

from __future__ import annotations

from pathlib import Path

from breachdesk.discovery.model import TableBatch

MYSQL = (
    rb"""-- MySQL dump 10.13  Distrib 8.0.36
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(255) NOT NULL,
  `password_hash` char(60) DEFAULT NULL,
  `bio` text,
  PRIMARY KEY (`id`),
  UNIQUE KEY `email` (`email`),
  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `x` (`id`)
) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
"""
    + rb"INSERT INTO `users` VALUES (1,'a@example.com','$2b$12$abc',NULL),"
    + rb"(2,'o\'brien@example.com',NULL,'line1\nline2; \"q\" \\ end'),"
    + rb"(3,'c@example.com',NULL,'it''s (fine), really');"
    + b"\n"
    + rb"""INSERT INTO `users` VALUES (4,'d@example.com',NULL,'multi
line;
value');
UNLOCK TABLES;
"""
)

PG = rb"""--
-- PostgreSQL database dump
--
SET standard_conforming_strings = on;
CREATE TABLE public.customers (
    id integer NOT NULL,
    name text,
    note text
);
COPY public.customers (id, name, note) FROM stdin;
1	Ann	tab\there
2	\N	back\\slash
3	Bob	nl\nhere
\.
INSERT INTO public.customers VALUES (4, 'C:\path', 'it''s');
INSERT INTO public.customers (id, name, note) VALUES (5, E'esc\'aped', NULL);
"""


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_mysqldump_multi_row_inserts(tmp_path, read, helpers):
    items = read(_write(tmp_path, "m.sql", MYSQL))
    assert helpers.skips(items) == []
    out = helpers.rows(items, table="users")
    assert list(out[0]) == ["id", "email", "password_hash", "bio"]
    assert [r["id"] for r in out] == ["1", "2", "3", "4"]
    assert out[0]["bio"] is None
    assert out[1]["email"] == "o'brien@example.com"
    assert out[1]["bio"] == 'line1\nline2; "q" \\ end'
    assert out[2]["bio"] == "it's (fine), really"
    assert out[3]["bio"] == "multi\nline;\nvalue"


def test_pg_dump_copy_and_inserts(tmp_path, read, helpers):
    items = read(_write(tmp_path, "p.sql", PG))
    assert helpers.skips(items) == []
    out = helpers.rows(items, table="public.customers")
    assert out[0] == {"id": "1", "name": "Ann", "note": "tab\there"}
    assert out[1] == {"id": "2", "name": None, "note": "back\\slash"}
    assert out[2]["note"] == "nl\nhere"
    assert out[3] == {"id": "4", "name": "C:\\path", "note": "it's"}
    assert out[4] == {"id": "5", "name": "esc'aped", "note": None}
    firsts = [b.first_row for b in items if isinstance(b, TableBatch)]
    assert firsts == sorted(firsts)


def test_garbled_insert_is_skipped_and_reading_continues(tmp_path, read, helpers):
    data = (
        b"CREATE TABLE t (a int, b text);\n"
        b"INSERT INTO t VALUES (1,'secret-one'),(2,,);\n"
        b"INSERT INTO t VALUES (3,'unterminated);\n"
        b"INSERT INTO t VALUES (4,'x'),(5,'y','extra');\n"
        b"INSERT INTO t VALUES (6,'after');\n"
    )
    items = read(_write(tmp_path, "g.sql", data))
    skipped = helpers.skips(items)
    assert len(skipped) == 3
    assert all("secret" not in s.reason and "unterminated" not in s.reason for s in skipped)
    values = [r["b"] for r in helpers.rows(items, table="t")]
    assert values[-1] == "after"
    assert "x" in values


def test_unterminated_final_statement(tmp_path, read, helpers):
    items = read(_write(tmp_path, "u.sql", b"INSERT INTO t VALUES (1,'a'),(2,'b"))
    assert len(helpers.skips(items)) == 1


def test_insert_without_create_names_columns(tmp_path, read, helpers):
    items = read(
        _write(tmp_path, "n.sql", b"INSERT INTO x (email, ip) VALUES ('a@b.c','1.2.3.4');\n")
    )
    assert helpers.rows(items, table="x") == [{"email": "a@b.c", "ip": "1.2.3.4"}]
    bare = read(_write(tmp_path, "b.sql", b"INSERT INTO y VALUES (1, 'q');\n"))
    assert helpers.rows(bare, table="y") == [{"column_1": "1", "column_2": "q"}]


def test_batches_per_table(tmp_path, read):
    rows = ",".join(f"({i},'v{i}')" for i in range(7))
    data = f"INSERT INTO t VALUES {rows};\n".encode()
    batches = [
        i for i in read(_write(tmp_path, "b.sql", data), batch_rows=3) if isinstance(i, TableBatch)
    ]
    assert [(b.first_row, b.frame.height) for b in batches] == [(1, 3), (4, 3), (7, 1)]
