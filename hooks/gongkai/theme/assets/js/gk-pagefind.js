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
      await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 40 });
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

/** Pagefind's excerpt with only its <mark> highlights kept as markup; the rest escaped again. */
export function safeExcerpt(html) {
  const marks = [];
  const text = String(html ?? "").replace(/<\/?mark>/g, (tag) => { marks.push(tag); return "\u0000"; });
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
 * Pagefind's search, retried without quotes when a quoted query finds nothing: phrase matching
 * depends on how Chinese is segmented, so "危房改造" in quotes finds no page.
 */
export async function search(pagefind, query, options) {
  let result = await pagefind.search(query, options);
  if (result && query && /["“”]/.test(query) && result.results.length === 0) {
    result = await pagefind.search(normaliseQuery(query.replace(/["“”]/g, " ")), options);
  }
  return result;
}
