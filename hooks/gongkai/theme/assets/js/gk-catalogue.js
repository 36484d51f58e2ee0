// gongkai: the 信息公开目录's filters. Progressive enhancement: the static, paginated table stays
// for browsers without JavaScript; once the search index loads, this shows the filter form and
// replaces the table. The state lives in the URL (?q=…&category=…&year=…&channel=…), so a
// filtered view is a link. Values of one facet are OR-ed, different facets AND-ed; newest first
// unless the reader sorts oldest first. Laid out as GOV.UK finders are: filters beside the
// results on wide screens, a collapsible 筛选 panel on phones, the result count, the chosen
// conditions as removable chips and the sort above the results.
import { escapeHtml, loadSearch, normaliseQuery } from "./gk-search.js";

const finder = document.getElementById("gk-finder");

async function start(index) {
  const totals = await index.filters();
  const form = document.getElementById("gk-finder-form");
  const input = document.getElementById("gk-finder-q");
  const status = document.getElementById("gk-finder-status");
  const rows = document.getElementById("gk-finder-results");
  const more = document.getElementById("gk-finder-more");
  const sortSelect = document.getElementById("gk-finder-sort");
  const chips = document.getElementById("gk-finder-chips");
  const panel = document.getElementById("gk-finder-panel");
  const showButton = document.getElementById("gk-finder-show");
  const resultsStart = document.getElementById("gk-finder-results-start");
  const pageSize = Number(finder.dataset.pageSize) || 50;
  const fieldsets = [...finder.querySelectorAll("[data-gk-facet]")];
  const facets = fieldsets.map((fieldset) => fieldset.dataset.gkFacet);
  const isSingle = (fieldset) => "gkSingle" in fieldset.dataset;
  let results = [];
  let shown = 0;
  let latest = 0;

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const state = { q: params.get("q") ?? "", sort: params.get("sort") === "oldest" ? "oldest" : "", facets: {} };
    for (const facet of facets) state.facets[facet] = params.getAll(facet).filter(Boolean);
    return state;
  }

  function writeUrl(state, push) {
    const params = new URLSearchParams();
    if (state.q.trim()) params.set("q", state.q.trim());
    for (const facet of facets) for (const value of state.facets[facet]) params.append(facet, value);
    if (state.sort) params.set("sort", state.sort);
    const query = params.toString();
    const url = location.pathname + (query ? `?${query}` : "");
    if (url !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
  }

  function readForm() {
    const state = { q: input.value, sort: sortSelect.value, facets: {} };
    for (const fieldset of fieldsets) {
      state.facets[fieldset.dataset.gkFacet] = isSingle(fieldset)
        ? [fieldset.querySelector("select").value].filter(Boolean)
        : [...fieldset.querySelectorAll("input:checked")].map((box) => box.value);
    }
    return state;
  }

  function showInForm(state) {
    input.value = state.q;
    sortSelect.value = state.sort;
    for (const fieldset of fieldsets) {
      const chosen = state.facets[fieldset.dataset.gkFacet];
      if (isSingle(fieldset)) fieldset.querySelector("select").value = chosen[0] ?? "";
      else for (const box of fieldset.querySelectorAll("input")) box.checked = chosen.includes(box.value);
    }
  }

  // Filters in the shape of Pagefind's API, which gk-search.js keeps: {any: […]}, one of these.
  function filtersOf(state, leaveOut = null) {
    const filters = {};
    for (const facet of facets) {
      const chosen = state.facets[facet];
      if (facet !== leaveOut && chosen.length) filters[facet] = { any: chosen };
    }
    return filters;
  }

  function showCounts(counts) {
    for (const fieldset of fieldsets) {
      const byValue = counts[fieldset.dataset.gkFacet] ?? {};
      if (isSingle(fieldset)) {
        for (const option of fieldset.querySelectorAll("option[data-label]")) {
          const count = byValue[option.value] ?? 0;
          option.textContent = `${option.dataset.label}（${count}）`;
          option.disabled = count === 0 && !option.selected;
        }
      } else {
        for (const span of fieldset.querySelectorAll(".gk-count")) {
          const count = byValue[span.dataset.value] ?? 0;
          span.textContent = `（${count}）`;
          span.parentElement.classList.toggle("gk-zero", count === 0);
        }
      }
    }
  }

  // The chosen conditions above the results, each a button that removes it.
  function showChips(state) {
    const chosen = [];
    if (state.q.trim()) chosen.push({ facet: "q", value: state.q.trim(), label: "关键词" });
    for (const fieldset of fieldsets) {
      const label = fieldset.querySelector("legend").textContent;
      for (const value of state.facets[fieldset.dataset.gkFacet]) {
        chosen.push({ facet: fieldset.dataset.gkFacet, value, label });
      }
    }
    chips.innerHTML = chosen.map(({ facet, value, label }) => `
      <li><button type="button" class="gk-chip" data-facet="${escapeHtml(facet)}"
        data-value="${escapeHtml(value)}" aria-label="去掉条件：${escapeHtml(label)} ${escapeHtml(value)}">
        ${escapeHtml(label)}：${escapeHtml(value)} <span aria-hidden="true">×</span></button></li>`).join("");
    chips.hidden = chosen.length === 0;
  }

  chips.addEventListener("click", (event) => {
    const chip = event.target.closest(".gk-chip");
    if (!chip) return;
    const state = readForm();
    if (chip.dataset.facet === "q") state.q = "";
    else state.facets[chip.dataset.facet] = state.facets[chip.dataset.facet]
      .filter((value) => value !== chip.dataset.value);
    showInForm(state);
    onChange(true);
    resultsStart.focus();
  });

  // Phones: the filters fold into 筛选; "查看 N 条结果" folds them and goes to the results.
  // Wide screens: the filters stand beside the results, always open.
  const wide = window.matchMedia("(min-width: 60em)");
  const syncPanel = () => { if (wide.matches) panel.open = true; };
  wide.addEventListener("change", syncPanel);
  syncPanel();
  showButton.addEventListener("click", () => {
    panel.open = false;
    resultsStart.focus();
  });

  async function showMore(withExcerpt) {
    const batch = results.slice(shown, shown + pageSize);
    const pages = await Promise.all(batch.map((result) => result.data({ excerpt: false })));
    rows.insertAdjacentHTML("beforeend", pages.map((page) => `
      <tr class="gk-finder__row">
        <td class="gk-entry-title"><a href="${escapeHtml(page.url)}">${escapeHtml(page.meta.title)}</a>
          ${withExcerpt ? `<div class="gk-result__excerpt">${page.excerpt}</div>` : ""}</td>
        <td class="gk-finder__category" data-label="公开类别">${escapeHtml(page.meta.category)}</td>
        <td class="gk-finder__date gk-col-date" data-label="发布日期">${escapeHtml(page.meta.date)}</td>
      </tr>`).join(""));
    shown += batch.length;
    more.hidden = shown >= results.length;
  }

  // Counts over the whole index (no query, no filter) are the index's totals, which also
  // count the pages of the site (栏目, 年报) under `kind`; the catalogue shows no such facet.
  async function countsOf(query, filters, found = null) {
    if (query === null && Object.keys(filters).length === 0) return totals;
    return (found ?? await index.search(query, { filters })).filters;
  }

  async function run(state) {
    const mine = ++latest;
    document.body.dataset.gkState = "loading";
    const query = normaliseQuery(state.q);
    const sort = { date: state.sort === "oldest" ? "asc" : "desc" };
    // An empty box lists everything (search(null)); search("") would find nothing.
    const found = await index.search(query, { filters: filtersOf(state), sort });
    // Counts for a facet with a choice are counted without that facet's own choice, so its
    // other values show what picking them as well would add.
    const counts = { ...(await countsOf(query, filtersOf(state), found)) };
    await Promise.all(facets.filter((facet) => state.facets[facet].length).map(async (facet) => {
      const filters = filtersOf(state, facet);
      counts[facet] = (await countsOf(query, filters))[facet];
    }));
    if (mine !== latest) return;  // a newer choice has started; drop this answer
    showCounts(counts);
    results = found.results;
    shown = 0;
    rows.innerHTML = "";
    status.textContent = results.length
      ? `共 ${results.length} 条公开信息，按发布日期${state.sort === "oldest" ? "从旧到新" : "从新到旧"}排列`
      : "没有符合条件的公开信息。";
    showButton.textContent = `查看 ${results.length} 条结果`;
    showChips(state);
    await showMore(query !== null);
    if (mine === latest) document.body.dataset.gkState = "done";
  }

  function onChange(push) {
    const state = readForm();
    writeUrl(state, push);
    run(state);
  }

  let timer = null;
  // "input", not key events: Chinese IMEs and pasted text only reliably fire "input".
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => onChange(false), 250);
  });
  // A ticked box is a deliberate step that Back undoes (it pushes); a <select> fires "change"
  // on every arrow key, so moving through the 年份 list replaces the entry instead of adding
  // one per year passed.
  form.addEventListener("change", (event) => {
    if (event.target !== input) onChange(event.target.tagName !== "SELECT");
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    onChange(true);
  });
  document.getElementById("gk-finder-reset").addEventListener("click", () => {
    showInForm({ q: "", sort: sortSelect.value,
                 facets: Object.fromEntries(facets.map((facet) => [facet, []])) });
    onChange(true);
  });
  more.addEventListener("click", () => showMore(normaliseQuery(input.value) !== null));
  window.addEventListener("popstate", () => {
    const state = readUrl();
    showInForm(state);
    run(state);
  });

  const state = readUrl();
  showInForm(state);
  finder.hidden = false;
  document.getElementById("gk-static-listing").hidden = true;
  return run(state);
}

// Without an index (or when it fails to load) the static listing simply stays.
if (finder) loadSearch().then(start, () => {});
