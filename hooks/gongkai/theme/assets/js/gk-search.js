// gongkai: the search index's reader, shared by the search page and the catalogue.
// The index is written by hooks/gongkai/search_writer.py (its docstring describes the files).
// Everything is loaded from this site (no CDN); URLs are worked out from this file's own URL,
// so the site works under any sub-path (https://host/shilizhen/…) and from any page depth.
//
// Search is exact substring search: a query, folded as the index folded the text (full-width
// digits and Latin as ASCII, Latin lower case, white space runs as one space), finds exactly
// the pages whose title, 内容概述, body, 索引号, 文号 or attachment text contains it.

// This file lives at <site root>/assets/js/gk-search.js.
export const siteRoot = new URL("../../", import.meta.url);
const indexRoot = new URL("search-index/", siteRoot);

const FORMAT_VERSION = 2;
const FIELD_SEPARATOR = "\u001f";
// The same characters as search.py's SPACE.
const SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
const SPACE_RUN = new RegExp(`[${SPACE}${FIELD_SEPARATOR}]+`, "g");
const IDENTIFIER_BASE = 1 << 21;
const EXCERPT_BEFORE = 24;
const EXCERPT_AFTER = 60;
// A result whose match position is not known (queries of one or two characters) shows its
// excerpt from the text's opening characters when the match is there; else the whole text.
const OPENING = 400;
// A long query's candidate starts are checked on the text (a Range request each, of twice
// the query's length) instead of with the rest of its pairs' positions when at most
// WINDOW_CHECKS are left and the positions would cost more: REQUEST_BYTES stands for a
// request's and its response's headers.
const WINDOW_CHECKS = 48;
const REQUEST_BYTES = 400;
// Positions that cost no more than this are fetched at once, all pairs' together.
const PREFETCH_BYTES = 16 * 1024;

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** search.py's fold: full-width digits and Latin as ASCII, Latin lower case; one for one. */
export function fold(text) {
  return text.replace(/[０-９Ａ-Ｚａ-ｚA-Z]/g, (c) => {
    let code = c.charCodeAt(0);
    if (code >= 0xff10) code -= 0xfee0;
    return String.fromCharCode(code >= 0x41 && code <= 0x5a ? code + 0x20 : code);
  });
}

/** A query as the index is searched with it (search.py's search_text, then fold). */
export function searchForm(text) {
  return fold(String(text ?? "").replace(SPACE_RUN, " ").replace(/^ | $/g, ""));
}

/** The query to search: null (list everything) for an empty box. */
export function normaliseQuery(query) {
  const trimmed = (query ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

/** The query without quotes around the whole of it ("危房改造" as typed for a search engine's
 * exact phrase: every query is exact here); quotes inside (关于“三农”…) are searched. */
export function unquoted(query) {
  const match = /^\s*["“]([^]*)["”]\s*$/.exec(query);
  return match ? match[1] : query;
}

/** search_writer.py's bucket_of. */
export function bucketOf(first, second, buckets) {
  let h = Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return (h >>> 0) % buckets;
}

/** search_writer.py's identifier_key, as [first, second]. */
export function identifierKey(folded) {
  const hashes = [0x811c9dc5, 0x050c5d1f].map((basis) => {
    let h = basis;
    for (const character of folded) h = Math.imul(h ^ character.codePointAt(0), 0x01000193) >>> 0;
    return h;
  });
  return [IDENTIFIER_BASE | (hashes[0] >>> 11), hashes[1]];
}

class Reader {
  constructor(bytes) { this.bytes = bytes; this.at = 0; }
  varint() {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new Error("search index: truncated file");
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }
}

/** A key's page list: pages ascending, and whether the key stands in each page's title. */
function pageList(bytes) {
  const reader = new Reader(bytes);
  const pages = [];
  const inTitle = [];
  let page = 0;
  for (let first = true; reader.at < bytes.length; first = false) {
    const value = reader.varint();
    page = (first ? 0 : page) + Math.floor(value / 2);
    pages.push(page);
    inTitle.push(value % 2 === 1);
  }
  return { pages, inTitle };
}

/** Of a page's match starts (ascending), the one its excerpt shows: the first after its
 * title, else the first. */
function shownStart(starts, titleLength) {
  return starts.find((start) => start >= titleLength) ?? starts[0];
}

/** UTF-16LE bytes as a string. */
function utf16(bytes) {
  return new TextDecoder("utf-16le").decode(bytes);
}

/** The positions of a key in the pages of `wanted` (a Set), read from its position bytes. */
function positionsIn(bytes, pages, wanted) {
  const reader = new Reader(bytes);
  const found = new Map();
  for (const page of pages) {
    const count = reader.varint();
    const keep = wanted.has(page);
    const positions = keep ? new Set() : null;
    let position = 0;
    for (let i = 0; i < count; i++) {
      position = (i === 0 ? 0 : position) + reader.varint();
      if (keep) positions.add(position);
    }
    if (keep) found.set(page, positions);
  }
  return found;
}

class SearchIndex {
  constructor(meta) {
    this.meta = meta;
    this.files = new Map();
    this.matches = new Map();
    this.buckets = new Map();
    this.facets = Object.keys(meta.facets);
    this.astral = new Set(meta.astral);
    this.texts = new Map();
    this.rangeIgnored = false;
  }

  /** Characters [from, to) of page `page`'s stored text (fewer at its end), fetched by
   * Range. A server that ignores Range sends the whole file: it is kept and sliced, and
   * later texts are fetched whole. A page with characters outside the Basic Multilingual
   * Plane (where character and byte offsets part) is always fetched whole. */
  async textWindow(page, from, to) {
    from = Math.max(0, from);
    if (to <= from) return "";
    if (this.astral.has(page)) return Array.from(await this.wholeText(page)).slice(from, to).join("");
    if (this.rangeIgnored || this.texts.has(page)) return (await this.wholeText(page)).slice(from, to);
    const response = await fetch(new URL(`t/${page}.bin`, indexRoot),
      { headers: { Range: `bytes=${2 * from}-${2 * to - 1}` } });
    if (response.status === 416) return "";  // from is past the end
    if (!response.ok) throw new Error(`t/${page}.bin: ${response.status}`);
    const text = utf16(new Uint8Array(await response.arrayBuffer()));
    if (response.status === 206) return text;
    this.rangeIgnored = true;
    this.texts.set(page, Promise.resolve(text));
    return text.slice(from, to);
  }

  /** Page `page`'s whole stored text. */
  wholeText(page) {
    if (!this.texts.has(page)) {
      const promise = this.fetch(`t/${page}.bin`).then(utf16);
      promise.catch(() => this.texts.delete(page));
      this.texts.set(page, promise);
    }
    return this.texts.get(page);
  }

  /** A file of the index as bytes or text, fetched once. */
  fetch(path, as = "bytes") {
    if (!this.files.has(path)) {
      const promise = fetch(new URL(path, indexRoot)).then((response) => {
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        return as === "json" ? response.json()
          : as === "text" ? response.text()
            : response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
      });
      promise.catch(() => this.files.delete(path));
      this.files.set(path, promise);
    }
    return this.files.get(path);
  }

  /** The keys of bucket `number`: Map "first,second" → { count, pages(), positions() }. */
  bucket(number) {
    if (!this.buckets.has(number)) {
      const promise = this.fetch(`b/${number}.bin`).then((bytes) => this.readBucket(bytes));
      promise.catch(() => this.buckets.delete(number));
      this.buckets.set(number, promise);
    }
    return this.buckets.get(number);
  }

  readBucket(bytes) {
    const reader = new Reader(bytes);
    const headers = [];
    for (let count = reader.varint(); count > 0; count--) {
      headers.push([reader.varint(), reader.varint(), reader.varint(), reader.varint(),
        reader.varint(), reader.varint()]);
    }
    let docs = reader.at;
    let positions = docs + headers.reduce((sum, h) => sum + (h[5] ? 0 : h[3]), 0);
    const keys = new Map();
    for (const [first, second, count, docLength, positionLength, file] of headers) {
      const entry = { count, positionCost: file ? positionLength : 0 };
      if (file) {
        entry.pages = () => this.fetch(`k/${file}.d`);
        entry.positions = () => this.fetch(`k/${file}.p`);
      } else {
        const pageBytes = bytes.subarray(docs, docs + docLength);
        const positionBytes = bytes.subarray(positions, positions + positionLength);
        docs += docLength;
        positions += positionLength;
        entry.pages = async () => pageBytes;
        entry.positions = async () => positionBytes;
      }
      keys.set(`${first},${second}`, entry);
    }
    return keys;
  }

  async key(first, second) {
    const keys = await this.bucket(bucketOf(first, second, this.meta.buckets));
    return keys.get(`${first},${second}`) ?? null;
  }

  /**
   * The pages holding `query` (folded code points): { pages: ascending ids, inTitle: Set,
   * starts: Map page → the match the excerpt shows (the first after the title, else the
   * first), where known }. One character: its page list. Two: their bigram's (with its
   * positions when they came with the bucket). More: the bigrams at offsets 0, 2, 4… and the
   * last one cover every character; the pages holding all of them are the candidates, and a
   * candidate matches where each bigram stands at its offset from one start.
   */
  async match(codes) {
    const cacheKey = codes.join(",");
    if (this.matches.has(cacheKey)) return this.matches.get(cacheKey);
    const promise = this.matchUncached(codes);
    this.matches.set(cacheKey, promise);
    promise.catch(() => this.matches.delete(cacheKey));
    return promise;
  }

  async matchUncached(codes) {
    const none = { pages: [], inTitle: new Set(), starts: new Map() };
    const titleLength = this.meta.titleLength;
    const whole = (list, starts = new Map()) =>
      ({ pages: list.pages, inTitle: new Set(list.pages.filter((_, i) => list.inTitle[i])), starts });
    if (codes.length === 1) {
      const key = await this.key(codes[0], 0);
      return key ? whole(pageList(await key.pages())) : none;
    }
    const offsets = [];
    for (let offset = 0; offset < codes.length - 1; offset += 2) offsets.push(offset);
    if (offsets[offsets.length - 1] !== codes.length - 2) offsets.push(codes.length - 2);
    const keys = await Promise.all(offsets.map((offset) => this.key(codes[offset], codes[offset + 1] + 1)));
    if (keys.some((key) => key === null)) return none;
    const lists = await Promise.all(keys.map(async (key) => pageList(await key.pages())));
    if (codes.length === 2) {
      if (keys[0].positionCost > 0) return whole(lists[0]);
      const positions = positionsIn(await keys[0].positions(), lists[0].pages, new Set(lists[0].pages));
      return whole(lists[0], new Map([...positions].map(([page, held]) =>
        [page, shownStart([...held], titleLength[page])])));
    }
    // Candidates: pages in every list, starting from the shortest.
    const order = lists.map((_, i) => i).sort((a, b) => lists[a].pages.length - lists[b].pages.length);
    let candidates = new Set(lists[order[0]].pages);
    for (const i of order.slice(1)) {
      const next = new Set();
      for (const page of lists[i].pages) if (candidates.has(page)) next.add(page);
      candidates = next;
    }
    if (candidates.size === 0) return none;
    const starts = await this.candidateStarts(codes, offsets, keys, lists, candidates);
    const pages = [...starts.keys()].sort((a, b) => a - b);
    const inTitle = new Set(pages.filter((page) => starts.get(page)[0] + codes.length <= titleLength[page]));
    return { pages, inTitle, starts: new Map(pages.map((page) =>
      [page, shownStart(starts.get(page), titleLength[page])])) };
  }

  /**
   * Map page → ascending starts of `codes` in it, among `candidates`. The pairs' positions
   * are applied cheapest first (those that came with their bucket cost nothing). When at
   * most WINDOW_CHECKS starts are left, all within the stored text, and checking each on
   * the text costs less than the rest of the positions, that is done instead (an identifier
   * such as a 索引号: its credit code's pairs stand on every page of the publisher, and 00
   * or 20 on nearly every page).
   */
  async candidateStarts(codes, offsets, keys, lists, candidates) {
    const order = keys.map((_, i) => i).sort((a, b) => keys[a].positionCost - keys[b].positionCost);
    let left = keys.reduce((sum, key) => sum + key.positionCost, 0);
    if (left <= PREFETCH_BYTES) for (const key of keys) key.positions();  // all, at once
    const windowBytes = 2 * codes.length + REQUEST_BYTES;
    let starts = null;
    let count = 0;
    for (const i of order) {
      if (starts && count <= WINDOW_CHECKS && left > count * windowBytes
          && [...starts.values()].every((held) => held[held.length - 1] + codes.length <= this.meta.textLimit)) {
        return this.checkedOnText(codes, starts);
      }
      const positions = positionsIn(await keys[i].positions(), lists[i].pages, starts ?? candidates);
      left -= keys[i].positionCost;
      const next = new Map();
      count = 0;
      for (const [page, held] of positions) {
        const kept = starts
          ? starts.get(page).filter((start) => held.has(start + offsets[i]))
          : [...held].map((position) => position - offsets[i]).filter((start) => start >= 0);
        if (kept.length) { next.set(page, kept); count += kept.length; }
      }
      starts = next;
    }
    return starts;
  }

  /** The starts (Map page → starts) where the stored text holds `codes`. */
  async checkedOnText(codes, starts) {
    const query = String.fromCodePoint(...codes);
    const checked = await Promise.all([...starts].map(async ([page, held]) => [page,
      (await Promise.all(held.map(async (start) =>
        fold(await this.textWindow(page, start, start + codes.length)) === query ? start : -1)))
        .filter((start) => start >= 0)]));
    return new Map(checked.filter(([, held]) => held.length));
  }

  /** The pages whose 索引号 or 文号 is exactly `folded`. */
  async identifierPages(folded) {
    const key = await this.key(...identifierKey(folded));
    return key ? new Set(pageList(await key.pages()).pages) : new Set();
  }

  /** Value codes of `facet` on `page`, as an array. */
  codesOf(facet, page) {
    const codes = this.meta.facets[facet]?.pages[page];
    return Array.isArray(codes) ? codes : codes ? [codes] : [];
  }

  /** Whether `page` passes `filters`, [facet, Set of values] pairs: one value of each. */
  passes(page, filters) {
    for (const [facet, any] of filters) {
      const table = this.meta.facets[facet];
      if (!table) return false;
      if (!this.codesOf(facet, page).some((code) => any.has(table.values[code - 1]))) return false;
    }
    return true;
  }

  counts(pages) {
    const counts = {};
    for (const facet of this.facets) {
      const values = this.meta.facets[facet].values;
      const byValue = Object.fromEntries(values.map((value) => [value, 0]));
      for (const page of pages) for (const code of this.codesOf(facet, page)) byValue[values[code - 1]]++;
      counts[facet] = byValue;
    }
    return counts;
  }

  /** Counts of every facet value over all pages. */
  async filters() {
    return this.counts(Array.from({ length: this.meta.count }, (_, i) => i));
  }

  /**
   * Pagefind's shape: { results: [{ id, data() }], filters: counts over the results }.
   * `query` null lists everything. Without `sort`: the page whose 索引号 or 文号 is the query
   * first, then the pages with the query in their title, then the rest, newest first. With
   * `sort: { date: "asc" | "desc" }`: by date only, and pages without one (栏目, 年报) left out.
   */
  async search(query, { filters = {}, sort = null } = {}) {
    const folded = query === null ? null : searchForm(unquoted(query));
    if (folded === "") return { results: [], filters: this.counts([]) };
    let pages;
    let inTitle = new Set();
    let starts = new Map();
    let identifiers = new Set();
    if (folded === null) {
      pages = Array.from({ length: this.meta.count }, (_, i) => i);
    } else {
      const codes = Array.from(folded, (c) => c.codePointAt(0));
      [{ pages, inTitle, starts }, identifiers] = await Promise.all([
        this.match(codes), /[0-9]/.test(folded) ? this.identifierPages(folded) : new Set()]);
    }
    const chosen = Object.entries(filters).map(([facet, { any }]) => [facet, new Set(any)]);
    pages = pages.filter((page) => this.passes(page, chosen));
    if (sort) {
      pages = pages.filter((page) => this.codesOf("kind", page).length === 0);
      if (sort.date === "asc") pages.reverse();
    } else {
      const rank = (page) => (identifiers.has(page) ? 0 : inTitle.has(page) ? 1 : 2);
      pages.sort((a, b) => rank(a) - rank(b) || a - b);
    }
    return {
      results: pages.map((id) => ({
        id, data: ({ excerpt = true } = {}) => this.data(id, excerpt ? folded : null, starts.get(id)),
      })),
      filters: this.counts(pages),
    };
  }

  /** The excerpt of page `page` for `folded`: from a window around the match when its start
   * is known (and within the stored text), else from the text's opening characters when they
   * hold the match, else from the whole stored text (its start when the match is past it). */
  async excerpt(page, folded, start) {
    const titleLength = this.meta.titleLength[page];
    if (start !== undefined && start + folded.length <= this.meta.textLimit) {
      // One character more on each side: whether the excerpt needs "…" there.
      const from = Math.max(0, start - EXCERPT_BEFORE - 1);
      const window = await this.textWindow(page, from, start + folded.length + EXCERPT_AFTER + 1);
      return excerptOf(window, folded, titleLength - from);
    }
    const opening = await this.textWindow(page, 0, OPENING);
    const at = fold(opening).indexOf(folded, titleLength);
    if (opening.length < OPENING || (at >= 0 && at + folded.length + EXCERPT_AFTER < opening.length)) {
      return excerptOf(opening, folded, titleLength);
    }
    return excerptOf(opening + await this.textWindow(page, OPENING, this.meta.textLimit), folded, titleLength);
  }

  /** What a result shows: { url, meta: { title, date, category, index_no, doc_no, kind },
   * excerpt } — the excerpt is HTML, escaped, with the match in <mark> ("" without `folded`).
   * `start`: where the match the excerpt shows starts, when known. */
  async data(id, folded, start) {
    const [[url, title, date, category, indexNo, docNo, kind], excerpt] = await Promise.all([
      this.fetch(`d/${Math.floor(id / this.meta.block)}.json`, "json")
        .then((block) => block[id % this.meta.block]),
      folded ? this.excerpt(id, folded, start) : ""]);
    return {
      url: new URL(url, siteRoot).pathname,
      meta: { title, date, category, index_no: indexNo, doc_no: docNo, kind },
      excerpt,
    };
  }
}

/** The text around the first match after the title (else in it), escaped, the match marked. */
export function excerptOf(text, folded, titleLength) {
  const searchable = fold(text);
  let at = searchable.indexOf(folded, titleLength);
  if (at < 0) at = searchable.indexOf(folded);
  const show = (piece) => escapeHtml(piece).replaceAll(FIELD_SEPARATOR, " ");
  if (at < 0) {
    const start = titleLength + 1;
    return show(text.slice(start, start + EXCERPT_BEFORE + EXCERPT_AFTER));
  }
  let start = Math.max(0, at - EXCERPT_BEFORE);
  let end = Math.min(text.length, at + folded.length + EXCERPT_AFTER);
  // Never cut a character outside the Basic Multilingual Plane in half.
  if (/[\udc00-\udfff]/.test(text[start] ?? "")) start++;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? "")) end--;
  const separator = text.lastIndexOf(FIELD_SEPARATOR, at);
  if (separator >= start) start = separator + 1;  // the excerpt starts in the match's field
  const after = text.indexOf(FIELD_SEPARATOR, at + folded.length);
  if (after >= 0 && after < end) end = after;
  return (start > 0 && text[start - 1] !== FIELD_SEPARATOR ? "…" : "")
    + show(text.slice(start, at)) + "<mark>" + show(text.slice(at, at + folded.length)) + "</mark>"
    + show(text.slice(at + folded.length, end))
    + (end < text.length && text[end] !== FIELD_SEPARATOR ? "…" : "");
}

let indexPromise = null;

/** The index, loaded once; rejects when the site has none. */
export function loadSearch() {
  if (!indexPromise) {
    indexPromise = (async () => {
      const response = await fetch(new URL("meta.json", indexRoot));
      if (!response.ok) throw new Error(`search index: ${response.status}`);
      const meta = await response.json();
      if (meta.version !== FORMAT_VERSION) throw new Error(`search index: version ${meta.version}`);
      return new SearchIndex(meta);
    })();
    // A failed load (no index yet) may succeed later, e.g. after `mkdocs serve` rebuilt.
    indexPromise.catch(() => { indexPromise = null; });
  }
  return indexPromise;
}
