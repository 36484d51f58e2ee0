// gongkai: the search page (search/?q=…). Reads the query from the URL, so a search is a link,
// and shows title, 发布日期, 公开类别, 索引号 and a highlighted excerpt per result.
import { escapeHtml, loadSearch, normaliseQuery } from "./gk-search.js";

const PAGE_SIZE = 20;
// The kinds of page that are not notices (hooks/gongkai/search.py: PAGE_KIND,
// ANNUAL_REPORT_KIND), a facet of the index: found pages of these kinds are listed apart.
const PAGE_KINDS = ["栏目", "年报"];

const form = document.getElementById("gk-search");

function start() {
  const input = document.getElementById("gk-q");
  const status = document.getElementById("gk-search-status");
  const list = document.getElementById("gk-search-results");
  const more = document.getElementById("gk-search-more");
  const pagesSection = document.getElementById("gk-search-pages");
  const pagesList = document.getElementById("gk-search-page-results");
  let results = [];
  let shown = 0;
  let latest = 0;

  async function showMore() {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const pages = await Promise.all(batch.map((result) => result.data()));
    list.insertAdjacentHTML("beforeend", pages.map((page) => `
      <li class="gk-result">
        <a class="gk-result__title" href="${escapeHtml(page.url)}">${escapeHtml(page.meta.title || page.url)}</a>
        <div class="gk-result__meta">
          <span>发布日期：<time class="gk-result__date">${escapeHtml(page.meta.date)}</time></span>
          <span>公开类别：<span class="gk-result__category">${escapeHtml(page.meta.category)}</span></span>
          ${page.meta.index_no ? `<span>索引号：<span class="gk-result__index-no">${escapeHtml(page.meta.index_no)}</span></span>` : ""}
        </div>
        <p class="gk-result__excerpt">${page.excerpt}</p>
      </li>`).join(""));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  async function showPages(found) {
    const pages = await Promise.all(found.map((result) => result.data()));
    pagesList.innerHTML = pages.map((page) => `
      <li class="gk-result">
        <a class="gk-result__title" href="${escapeHtml(page.url)}">${escapeHtml(page.meta.title || page.url)}</a>
        <span class="gk-result__kind">${escapeHtml(page.meta.kind)}</span>
        <p class="gk-result__excerpt">${page.excerpt}</p>
      </li>`).join("");
    pagesSection.hidden = pages.length === 0;
  }

  async function run(query) {
    const mine = ++latest;
    document.body.dataset.gkState = "loading";
    list.innerHTML = "";
    pagesList.innerHTML = "";
    pagesSection.hidden = true;
    more.hidden = true;
    results = [];
    shown = 0;
    if (query === null) {
      status.textContent = "请输入要查找的词语，例如标题、正文中的词，或索引号、文号。";
      document.body.dataset.gkState = "done";
      return;
    }
    status.textContent = "正在搜索…";
    let found;
    let sitePages;
    try {
      const index = await loadSearch();
      found = await index.search(query);
      sitePages = (await index.search(query, { filters: { kind: { any: PAGE_KINDS } } })).results;
    } catch (error) {
      status.textContent = "搜索索引暂不可用，请稍后再试，或在信息公开目录中按类别、年份查阅。";
      document.body.dataset.gkState = "error";
      return;
    }
    if (mine !== latest) return;  // a newer query has started; drop this answer
    const pageIds = new Set(sitePages.map((result) => result.id));
    // Ranked by the index: the notice whose 索引号 or 文号 is the query, title matches, newest.
    results = found.results.filter((result) => !pageIds.has(result.id));
    await showPages(sitePages);
    if (mine !== latest) return;
    status.textContent = results.length
      ? `“${query}”共找到 ${results.length} 条公开信息`
      : `没有找到与“${query}”相关的公开信息${sitePages.length ? "，相关栏目页面见上" : ""}。`;
    await showMore();
    if (mine === latest) document.body.dataset.gkState = "done";
  }

  function setUrl(query, push) {
    const url = new URL(location.href);
    if (query === null) url.searchParams.delete("q"); else url.searchParams.set("q", query);
    if (url.href !== location.href) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  let timer = null;
  // "input", not key events: Chinese IMEs and pasted text only reliably fire "input".
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const query = normaliseQuery(input.value);
      setUrl(query, false);
      run(query);
    }, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const query = normaliseQuery(input.value);
    setUrl(query, true);
    run(query);
  });
  more.addEventListener("click", showMore);
  window.addEventListener("popstate", () => {
    input.value = new URLSearchParams(location.search).get("q") ?? "";
    run(normaliseQuery(input.value));
  });
  input.value = new URLSearchParams(location.search).get("q") ?? "";
  run(normaliseQuery(input.value));
}

if (form) start();
