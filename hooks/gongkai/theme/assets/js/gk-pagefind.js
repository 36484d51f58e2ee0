// gongkai: shared helpers for the search page and the catalogue, on top of Pagefind's JS API.
// Everything is loaded from this site (no CDN); URLs are worked out from this file's own URL,
// so the site works under any sub-path (https://host/shilizhen/…) and from any page depth.

// This file lives at <site root>/assets/js/gk-pagefind.js.
export const siteRoot = new URL("../../", import.meta.url);

let pagefindPromise = null;

/** Pagefind's API, loaded once; rejects when the site has no search index. */
export function loadPagefind() {
  if (!pagefindPromise) {
    pagefindPromise = (async () => {
      const pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
      // Result URLs are made from baseUrl; Pagefind's default "/" is wrong under a sub-path.
      await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 60 });
      await pagefind.init();
      return pagefind;
    })();
    // A failed load (no index yet) may succeed later, e.g. after `mkdocs serve` rebuilt.
    pagefindPromise.catch(() => { pagefindPromise = null; });
  }
  return pagefindPromise;
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// The index holds every Chinese character as a word of its own and punctuation inside numbers
// as spaces (hooks/gongkai/search.py, index_form); a query is put in the same form and
// searched as an exact phrase, which finds exactly the pages that contain it. These classes
// list the same characters as HAN and PUNCTUATION there.
const HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}";
const PUNCTUATION = "!-\\/:-@\\[-`{-~、。，：；！？“”‘’（）〔〕【】《》〈〉「」『』—…·－／～";
const JOINING_PUNCTUATION = new RegExp(
  `(?<=[0-9A-Za-z])[${PUNCTUATION}]|[${PUNCTUATION}](?=[0-9A-Za-z])`, "gu");
const SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
const AROUND_HAN = new RegExp(`(?<=[${HAN}])(?=[^${SPACE}])|(?<=[^${SPACE}])(?=[${HAN}])`, "gu");
// A space the index form put beside a Chinese character, possibly across a highlight's tag.
const ADDED_SPACE = new RegExp(
  `(?<=[${HAN}](?:</?mark>)*) (?=(?:</?mark>)*\\S)|(?<=\\S(?:</?mark>)*) (?=(?:</?mark>)*[${HAN}])`, "gu");

const FULL_WIDTH = /[０-９Ａ-Ｚａ-ｚ]/g;
const ONLY_PUNCTUATION = new RegExp(`^[${PUNCTUATION}]+$`, "u");

/** A text in the index's form (search.py's index_form). */
export function indexForm(text) {
  return text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
    .replace(JOINING_PUNCTUATION, " ").replace(AROUND_HAN, " ");
}

/** Index-form text (an excerpt, with or without <mark>s) as it was written. */
export function readable(text) {
  return String(text ?? "").replace(ADDED_SPACE, "").replace(/<\/mark><mark>/g, "");
}

/** Pagefind's excerpt, readable, with only its <mark> highlights kept as markup. */
export function safeExcerpt(html) {
  const marks = [];
  const text = readable(html).replace(/<\/?mark>/g, (tag) => { marks.push(tag); return "\u0000"; });
  let i = 0;
  return text.replace(/[<>"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c])
    .replace(/\u0000/g, () => marks[i++]);
}

/** The query Pagefind should get: null (list everything) for an empty box, never "". */
export function normaliseQuery(query) {
  const trimmed = (query ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

/**
 * What Pagefind is asked for a query: its index form as one exact phrase ("低 保"), so that
 * only pages holding the query's characters side by side match. Quotes typed in the box are
 * dropped (every query is a phrase already). A single word stays unquoted: Pagefind then also
 * finds longer words that start with it (a number typed in part).
 *
 * Punctuation in the index takes a place of its own, but Pagefind drops it from a phrase, so
 * a query with punctuation between characters (a pasted title: …实施细则（试行）) would find
 * nothing; its longest part without punctuation is searched instead, which finds every page
 * with the whole query and possibly a few with that part only.
 */
export function pagefindQuery(query) {
  if (query === null) return null;
  const parts = [[]];
  for (const word of indexForm(query.replace(/["“”]/g, " ")).trim().split(/\s+/)) {
    if (ONLY_PUNCTUATION.test(word)) parts.push([]);
    else if (word) parts[parts.length - 1].push(word);
  }
  const words = parts.reduce((longest, part) => (part.length > longest.length ? part : longest));
  if (words.length === 0) return null;
  return words.length === 1 ? words[0] : `"${words.join(" ")}"`;
}

/** Pagefind's search for what a visitor typed (null: everything; punctuation only: nothing). */
export async function search(pagefind, query, options) {
  const asked = pagefindQuery(query);
  if (asked === null && query !== null) return { results: [], filters: {} };
  return pagefind.search(asked, options);
}
