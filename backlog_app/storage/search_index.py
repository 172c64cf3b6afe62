"""The full-text index of documents (SQLite FTS5): keeping it current, querying it, rebuilding it.

The index is a copy of words that live elsewhere (title, notes, tags, text), so it can always be
rebuilt from them; ``backlog check --repair`` does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

FTS_TABLE = "document_fts"
# Snippet highlight markers: control characters that never occur in indexed text; the UI turns
# them into bold and the CLI into brackets.
MARK_START = "\x02"
MARK_END = "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A document that matches, best first, with a snippet whose matches are marked."""

    document_id: int
    snippet: str
    rank: float


def index_document(
    session: Session, document_id: int, *, title: str, notes: str, tags: str, body: str
) -> None:
    """Put (or replace) one document's words in the index, inside the caller's transaction."""
    remove_document(session, document_id)
    session.execute(
        text(
            f"INSERT INTO {FTS_TABLE} (rowid, title, notes, tags, body) "
            "VALUES (:id, :title, :notes, :tags, :body)"
        ),
        {"id": document_id, "title": title, "notes": notes, "tags": tags, "body": body},
    )


def remove_document(session: Session, document_id: int) -> None:
    session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document_id})


def clear_index(session: Session) -> None:
    session.execute(text(f"DELETE FROM {FTS_TABLE}"))


def indexed_ids(session: Session) -> set[int]:
    return set(session.scalars(text(f"SELECT rowid FROM {FTS_TABLE}")).all())


def match_expression(query: str) -> str | None:
    """An FTS5 query for what a person typed: every word must appear; the last one as a prefix.

    Each word is quoted, so operators and punctuation typed by the user ("AND", "-", '"', "*")
    are searched as words instead of breaking the query. None when nothing searchable was typed.
    """
    words = _WORD.findall(query)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def rank(session: Session, query: str) -> list[tuple[int, float]]:
    """Every document matching ``query`` as (id, rank), best first. Cheap: no snippets."""
    expression = match_expression(query)
    if expression is None:
        return []
    rows = session.execute(
        text(
            f"SELECT rowid, bm25({FTS_TABLE}, 10.0, 4.0, 6.0, 1.0) AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :query ORDER BY rank"
        ),
        {"query": expression},
    ).all()
    return [(int(row[0]), float(row[1])) for row in rows]


def snippets(session: Session, query: str, document_ids: list[int]) -> dict[int, str]:
    """Marked snippets for some matching documents (about 0.1 ms each: ask only for those shown)."""
    expression = match_expression(query)
    if expression is None or not document_ids:
        return {}
    wanted = ",".join(str(int(i)) for i in document_ids)
    rows = session.execute(
        text(
            f"SELECT rowid, snippet({FTS_TABLE}, -1, :start, :end, '…', 12) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :query AND rowid IN ({wanted})"
        ),
        {"start": MARK_START, "end": MARK_END, "query": expression},
    )
    return {int(row[0]): str(row[1]) for row in rows}


def search(
    session: Session, query: str, *, limit: int = 200, snippet_count: int = 60
) -> list[SearchHit]:
    """The best ``limit`` documents for ``query``; the first ``snippet_count`` get a snippet."""
    ranked = rank(session, query)[:limit]
    marked = snippets(session, query, [doc_id for doc_id, _ in ranked[:snippet_count]])
    return [SearchHit(doc_id, marked.get(doc_id, ""), score) for doc_id, score in ranked]


def alembic_include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's filter: the FTS5 table and its shadow tables are made by hand (revision 0003),
    so autogenerate must neither drop them nor try to model them."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))
