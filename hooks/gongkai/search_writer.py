"""Writes the search index (read by theme/assets/js/gk-search.js), in bounded memory.

The folder (search.INDEX_FOLDER) holds, all static:

- `meta.json`, the fixed part a visit loads first: format version, page count, bucket count,
  display block size, each page's title length and the facet tables (per facet its values and
  per page its value codes), so that filter counts and listings without a query need no more;
- `b/N.bin`, the hash buckets of keys: character bigrams (with the position of each
  occurrence, which verify a longer query), single characters (pages only) and whole
  identifiers (an exact 索引号 or 文号, pages only). A bucket holds each of its keys' page list
  and positions, or, for a key whose postings pass INLINE_LIMIT bytes, points to `k/N.d` (its
  pages) and `k/N.p` (its positions), so a rare key never shares a download with 的 or 政府 and
  a two-character query fetches no positions;
- `d/N.json`, display data (url, title, date, category, 索引号, 文号, kind) in blocks of
  BLOCK_SIZE pages; pages are numbered newest first, so a date-sorted first page of results
  touches one or two blocks;
- `t/N.bin`, a page's searchable text in UTF-16LE (fields joined by FIELD_SEPARATOR, its
  first TEXT_LIMIT characters), read by HTTP Range: character position p of a page without
  characters outside the Basic Multilingual Plane (meta.json's `astral` lists the others) is
  byte 2p, so a shown result's excerpt costs a window of ~200 bytes, and a long query whose
  pairs' positions are costly is verified on windows at its candidate starts. The `.bin`
  name makes servers send it as application/octet-stream, which they do not gzip by default
  (nginx turns ranges off for a response it gzips); a server that ignores Range sends the
  whole file, which the reader then slices itself.

Integers are varints (7 bits a byte, low first); see gk-search.js for the reading side.

Memory: pages are streamed through once. Their (key, page, position) rows are buffered up to
BATCH_ROWS and appended to one temporary file per group of buckets; then the groups are built
one at a time. The number of groups grows with the corpus (CHARACTERS_PER_GROUP), so a group's
rows, and the memory to sort and encode them, stay the same size whatever the corpus; what
grows with it is a few integers per page (title length, facet codes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import numpy as np

from .search import FIELD_SEPARATOR, SearchDocument, fold

FORMAT_VERSION = 2
BLOCK_SIZE = 32
"""Pages per display block: a query's scattered results fetch one block each, a catalogue
page of 50 rows two or three."""
TEXT_LIMIT = 20_000
"""Characters of a page's text kept for excerpts and window checks (a long attachment's text
is searched whole, by positions past this, but shown only from its first part)."""
CHARACTERS_PER_BUCKET = 10_000
"""Sets the bucket count from the corpus size: a bucket of rare keys stays a few KiB."""
CHARACTERS_PER_GROUP = 300_000
"""Characters (so about as many rows) per group of buckets built at once: ~5 MB of rows,
which sorting and encoding take to ~60 MB."""
BATCH_ROWS = 1 << 20
INLINE_LIMIT = 2048
"""A key whose page list and positions pass this many bytes gets files of its own."""

IDENTIFIER_BASE = 1 << 21
"""A key is two numbers (first, second): a bigram (code point, code point + 1), a character
(code point, 0), or a whole identifier (IDENTIFIER_BASE + 21 bits of one hash, another hash):
identifiers' first numbers are above every code point."""
_SEPARATOR_CODE = ord(FIELD_SEPARATOR)
_SPACE_CODE = ord(" ")
_ROW = np.dtype([("key", "<u8"), ("doc", "<u4"), ("pos", "<u4")])
_NO_POSITION = np.uint32(0xFFFFFFFF)
_HASH_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE35)
_FNV_PRIME = 0x01000193
_FNV_BASES = (0x811C9DC5, 0x050C5D1F)


def bucket_of(first: np.ndarray, second: np.ndarray, buckets: int) -> np.ndarray:
    """The bucket of keys (first, second) as uint32 arrays; gk-search.js's bucketOf."""
    one, two, three = (np.uint32(value) for value in _HASH_MULTIPLIERS)
    with np.errstate(over="ignore"):
        mixed = (first.astype(np.uint32) * one) ^ (second.astype(np.uint32) * two)
        mixed ^= mixed >> np.uint32(15)
        mixed = mixed * three
        mixed ^= mixed >> np.uint32(13)
    return mixed % np.uint32(buckets)


def fold_codes(codes: np.ndarray) -> np.ndarray:
    """search.fold on code points (str.translate is slow on long texts)."""
    folded = codes.copy()
    wide_digit = (codes >= 0xFF10) & (codes <= 0xFF19)
    wide_upper = (codes >= 0xFF21) & (codes <= 0xFF3A)
    wide_lower = (codes >= 0xFF41) & (codes <= 0xFF5A)
    upper = (codes >= 0x41) & (codes <= 0x5A)
    folded[wide_digit | wide_lower] -= np.uint32(0xFEE0)
    folded[wide_upper] -= np.uint32(0xFEE0 - 0x20)
    folded[upper] += np.uint32(0x20)
    return folded


def identifier_key(folded: str) -> int:
    """The key of a whole identifier (folded): two FNV-1a hashes over its code points."""
    hashes = []
    for basis in _FNV_BASES:
        value = basis
        for character in folded:
            value = ((value ^ ord(character)) * _FNV_PRIME) & 0xFFFFFFFF
        hashes.append(value)
    return ((IDENTIFIER_BASE | (hashes[0] >> 11)) << 32) | hashes[1]


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The varint bytes of `values` (non-negative) one after another, and each one's length."""
    values = values.astype(np.uint64)
    lengths = np.ones(len(values), np.int64)
    for shift in range(7, 64, 7):
        lengths += values >= np.uint64(1 << shift)
    starts = np.cumsum(lengths) - lengths
    out = np.empty(int(lengths.sum()), np.uint8)
    for index in range(int(lengths.max(initial=1))):
        chosen = lengths > index
        piece = (values[chosen] >> np.uint64(7 * index)) & np.uint64(0x7F)
        more = (lengths[chosen] > index + 1).astype(np.uint64) << np.uint64(7)
        out[starts[chosen] + index] = (piece | more).astype(np.uint8)
    return out, lengths


def _segment_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    if len(starts) == 0:
        return np.zeros(0, np.int64)
    return np.add.reduceat(values, starts).astype(np.int64)


class IndexWriter:
    """Takes the pages one by one (`add`), newest entries first, and writes the index
    (`finish`) into `folder`, with temporary files in `scratch`."""

    def __init__(self, folder: Path, scratch: Path, characters: int):
        self._folder = folder
        self._scratch = scratch
        self._buckets = max(1, min(1 << 16, characters // CHARACTERS_PER_BUCKET))
        self._groups = max(1, min(self._buckets, characters // CHARACTERS_PER_GROUP + 1))
        for name in ("b", "k", "d", "t"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        scratch.mkdir(parents=True, exist_ok=True)
        # Open from the first page to finish(), which closes them (the worker's exit on error).
        self._group_files: list[IO[bytes]] = [
            open(scratch / f"group-{group}.rows", "wb")  # noqa: SIM115
            for group in range(self._groups)]
        self._pending: list[np.ndarray] = []
        self._pending_rows = 0
        self._count = 0
        self._title_lengths: list[int] = []
        self._astral: list[int] = []
        self._block: list[list[str]] = []
        self._facet_values: dict[str, dict[str, int]] = {}
        self._facet_codes: list[dict[str, list[int]]] = []
        self._next_file = 1

    def add(self, document: SearchDocument, fields: list[str]) -> None:
        """`fields`: the page's texts in search_text form, its title first."""
        number = self._count
        self._count += 1
        text = FIELD_SEPARATOR.join([fields[0], *(part for part in fields[1:] if part)])
        self._title_lengths.append(len(fields[0]))
        stored = text[:TEXT_LIMIT].encode("utf-16-le", "surrogatepass")
        if len(stored) != 2 * min(len(text), TEXT_LIMIT):
            self._astral.append(number)
        (self._folder / "t" / f"{number}.bin").write_bytes(stored)
        self._block.append([document.url, document.title, document.date, document.category,
                            document.index_no, document.doc_no, document.kind])
        if len(self._block) == BLOCK_SIZE:
            self._write_block()
        codes: dict[str, list[int]] = {}
        for facet, values in document.facets.items():
            known = self._facet_values.setdefault(facet, {})
            codes[facet] = [known.setdefault(value, len(known) + 1) for value in values]
        self._facet_codes.append(codes)
        self._add_rows(number, text, document)

    def _add_rows(self, number: int, text: str, document: SearchDocument) -> None:
        codes = fold_codes(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32))
        first, second = codes[:-1], codes[1:]
        keep = (first != _SEPARATOR_CODE) & (second != _SEPARATOR_CODE)
        bigrams = (first[keep].astype(np.uint64) << np.uint64(32)) | (
            second[keep].astype(np.uint64) + np.uint64(1))
        bigram_positions = np.flatnonzero(keep).astype(np.uint32)
        characters, first_seen = np.unique(codes, return_index=True)
        wanted = (characters != _SEPARATOR_CODE) & (characters != _SPACE_CODE)
        unigrams = characters[wanted].astype(np.uint64) << np.uint64(32)
        identifiers = [identifier_key(fold(value)) for value in (document.index_no,
                                                                   document.doc_no) if value]
        rows = np.empty(len(bigrams) + len(unigrams) + len(identifiers), _ROW)
        rows["doc"] = number
        end = len(bigrams)
        rows["key"][:end], rows["pos"][:end] = bigrams, bigram_positions
        rows["key"][end:end + len(unigrams)] = unigrams
        rows["pos"][end:end + len(unigrams)] = first_seen[wanted]
        end += len(unigrams)
        rows["key"][end:] = np.array(identifiers, np.uint64)
        rows["pos"][end:] = _NO_POSITION
        self._pending.append(rows)
        self._pending_rows += len(rows)
        if self._pending_rows >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        rows = np.concatenate(self._pending)
        self._pending, self._pending_rows = [], 0
        groups = self._bucket_of(rows["key"]) % np.uint32(self._groups)
        order = np.argsort(groups, kind="stable")
        rows, groups = rows[order], groups[order]
        bounds = np.searchsorted(groups, np.arange(self._groups + 1))
        for group in range(self._groups):
            if bounds[group] < bounds[group + 1]:
                rows[bounds[group]:bounds[group + 1]].tofile(self._group_files[group])

    def _bucket_of(self, keys: np.ndarray) -> np.ndarray:
        return bucket_of((keys >> np.uint64(32)).astype(np.uint32),
                         (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), self._buckets)

    def _write_block(self) -> None:
        if not self._block:
            return
        number = (self._count - 1) // BLOCK_SIZE
        (self._folder / "d" / f"{number}.json").write_text(
            json.dumps(self._block, ensure_ascii=False, separators=(",", ":")), "utf-8")
        self._block = []

    def finish(self) -> None:
        self._flush()
        self._write_block()
        for stream in self._group_files:
            stream.close()
        title_lengths = np.array(self._title_lengths, np.int64)
        for group in range(self._groups):
            path = self._scratch / f"group-{group}.rows"
            self._write_group(group, np.fromfile(path, _ROW), title_lengths)
            path.unlink()
        meta = {
            "version": FORMAT_VERSION, "count": self._count, "buckets": self._buckets,
            "block": BLOCK_SIZE, "titleLength": self._title_lengths,
            "textLimit": TEXT_LIMIT, "astral": self._astral,
            "facets": self._facet_tables(),
        }
        (self._folder / "meta.json").write_text(
            json.dumps(meta, ensure_ascii=False, separators=(",", ":")), "utf-8")

    def _facet_tables(self) -> dict[str, dict[str, object]]:
        tables: dict[str, dict[str, object]] = {}
        for facet, known in self._facet_values.items():
            per_page = [codes.get(facet, []) for codes in self._facet_codes]
            # 0: no value; k: values[k - 1]; a list for a facet a page may have several of.
            pages: list[int] | list[list[int]] = per_page
            if not any(len(codes) > 1 for codes in per_page):
                pages = [codes[0] if codes else 0 for codes in per_page]
            tables[facet] = {"values": list(known), "pages": pages}
        return tables

    def _write_group(self, group: int, rows: np.ndarray, title_lengths: np.ndarray) -> None:
        buckets = range(group, self._buckets, self._groups)
        if len(rows) == 0:
            for number in buckets:
                (self._folder / "b" / f"{number}.bin").write_bytes(b"\0")
            return
        # Rows were appended page by page, each page's in position order: a stable sort by
        # key gives (key, page, position) order; the keys are then put in bucket order.
        rows = rows[np.argsort(rows["key"], kind="stable")]
        count = len(rows)
        new_key = np.ones(count, bool)
        new_key[1:] = rows["key"][1:] != rows["key"][:-1]
        key_starts = np.flatnonzero(new_key)
        key_lengths = np.diff(np.append(key_starts, count))
        by_bucket = np.argsort(self._bucket_of(rows["key"][key_starts]), kind="stable")
        starts, lengths = key_starts[by_bucket], key_lengths[by_bucket]
        rows = rows[np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
                    + np.arange(count)]
        key, doc, pos = rows["key"], rows["doc"].astype(np.int64), rows["pos"].astype(np.int64)
        new_key[1:] = key[1:] != key[:-1]
        new_doc = new_key.copy()
        new_doc[1:] |= doc[1:] != doc[:-1]
        key_starts = np.flatnonzero(new_key)
        doc_starts = np.flatnonzero(new_doc)
        key_number = np.cumsum(new_key) - 1

        # Page lists: per (key, page), the page as a delta from the key's previous page
        # (the first absolute), doubled, plus 1 when the key occurs in the page's title.
        pages = doc[doc_starts]
        first_of_key = new_key[doc_starts]
        deltas = pages.copy()
        deltas[1:] -= np.where(first_of_key[1:], 0, pages[:-1])
        in_title = pos[doc_starts] < title_lengths[pages]
        doc_bytes, doc_lengths = varints(deltas * 2 + in_title)
        list_starts = np.flatnonzero(first_of_key)
        key_doc_bytes = _segment_sums(doc_lengths, list_starts)
        key_pages = np.diff(np.append(list_starts, len(pages)))

        first = (key[key_starts] >> np.uint64(32)).astype(np.int64)
        second = (key[key_starts] & np.uint64(0xFFFFFFFF)).astype(np.int64)
        positional = (second > 0) & (first < IDENTIFIER_BASE)

        # Positions of bigram keys: per (key, page) the count, then the positions as deltas.
        chosen = positional[key_number]
        sub_pos, sub_new_doc, sub_new_key = pos[chosen], new_doc[chosen], new_key[chosen]
        position_deltas = sub_pos.copy()
        position_deltas[1:] -= np.where(sub_new_doc[1:], 0, sub_pos[:-1])
        sub_doc_starts = np.flatnonzero(sub_new_doc)
        counts = np.diff(np.append(sub_doc_starts, len(sub_pos)))
        combined = np.insert(position_deltas, sub_doc_starts, counts)
        position_bytes, position_lengths = varints(combined)
        sub_key_starts = np.flatnonzero(sub_new_key)
        combined_starts = sub_key_starts + np.searchsorted(sub_doc_starts, sub_key_starts)
        key_position_bytes = np.zeros(len(key_starts), np.int64)
        key_position_bytes[positional] = _segment_sums(position_lengths, combined_starts)

        big = key_doc_bytes + key_position_bytes > INLINE_LIMIT
        file_ids = np.zeros(len(key_starts), np.int64)
        file_ids[big] = np.arange(self._next_file, self._next_file + int(big.sum()))
        self._next_file += int(big.sum())
        doc_offsets = np.cumsum(key_doc_bytes) - key_doc_bytes
        position_offsets = np.cumsum(key_position_bytes) - key_position_bytes
        for key_index in np.flatnonzero(big):
            start, length = doc_offsets[key_index], key_doc_bytes[key_index]
            (self._folder / "k" / f"{file_ids[key_index]}.d").write_bytes(
                doc_bytes[start:start + length].tobytes())
            if key_position_bytes[key_index]:
                start, length = position_offsets[key_index], key_position_bytes[key_index]
                (self._folder / "k" / f"{file_ids[key_index]}.p").write_bytes(
                    position_bytes[start:start + length].tobytes())

        headers = np.stack([first, second, key_pages, key_doc_bytes, key_position_bytes,
                            file_ids], axis=1).ravel()
        header_bytes, header_lengths = varints(headers)
        header_offsets = np.append(0, np.cumsum(_segment_sums(header_lengths,
                                                              np.arange(0, len(headers), 6))))
        inline_docs = doc_bytes[np.repeat(~big, key_doc_bytes)]
        inline_doc_offsets = np.append(0, np.cumsum(np.where(big, 0, key_doc_bytes)))
        inline_positions = position_bytes[np.repeat(~big, key_position_bytes)]
        inline_position_offsets = np.append(0, np.cumsum(np.where(big, 0, key_position_bytes)))

        key_buckets = self._bucket_of(key[key_starts])
        numbers = np.arange(group, self._buckets, self._groups)
        lows = np.searchsorted(key_buckets, numbers)
        highs = np.searchsorted(key_buckets, numbers, side="right")
        count_bytes, count_lengths = varints(highs - lows)
        count_offsets = np.append(0, np.cumsum(count_lengths))
        for index, number in enumerate(numbers.tolist()):
            low, high = lows[index], highs[index]
            (self._folder / "b" / f"{number}.bin").write_bytes(b"".join([
                count_bytes[count_offsets[index]:count_offsets[index + 1]].tobytes(),
                header_bytes[header_offsets[low]:header_offsets[high]].tobytes(),
                inline_docs[inline_doc_offsets[low]:inline_doc_offsets[high]].tobytes(),
                inline_positions[inline_position_offsets[low]:
                                 inline_position_offsets[high]].tobytes(),
            ]))
