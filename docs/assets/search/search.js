/* Search of the online edition with Pagefind (index: site/pagefind/, made by
   build_scripts/site/search.py). Each result is a passage of a page: its title names the witness
   and the chapter (and the printed page), and every occurrence of the query is shown in context
   (keyword in context), linked to its paragraph. Filters: witness, kind of page.
   Index words added by the build (transliteration variants, digits of "N00447") are marked
   ⟨…⟩ in the indexed text; an occurrence found through one shows the word it was added to. */
(() => {
  "use strict";
  const form = document.querySelector("form[name='edition-search']");
  if (!form) return;
  const root = form.closest(".edition-search");
  const input = form.querySelector("input");
  const toggle = document.getElementById("__search");
  const list = root.querySelector(".md-search-result__list");
  const meta = root.querySelector(".md-search-result__meta");
  const more = root.querySelector(".edition-search__more");
  const filterBox = root.querySelector(".edition-search__filters");
  const selects = { witness: filterBox.querySelector("[name=witness]"), kind: filterBox.querySelector("[name=kind]") };
  const base = new URL(form.dataset.base.replace(/\/?$/, "/"), location.href);
  const PAGE = 10, WINDOW = 12, SNIPPETS = 6, DEBOUNCE = 200;
  const ADDED = /^[^\p{L}\p{N}]*⟨/u;  // a word added by the build (possibly followed by a "'s")
  const MARKS = /⟨[^⟩]*⟩/g;
  let pagefind = null, seq = 0, results = [], shown = 0, terms = [];

  const load = () => pagefind ??= import(new URL("pagefind/pagefind.js", base).href).then(async (pf) => {
    // no worker: the index is small, and a worker would be one more script to load before a result
    await pf.options({ noWorker: true });
    await pf.init();
    return pf;
  });

  async function fillFilters(pf) {
    const filters = await pf.filters();
    for (const [name, select] of Object.entries(selects)) {
      const values = Object.keys(filters[name] || {}).sort();
      for (const value of values) select.add(new Option(value, value));
    }
    filterBox.hidden = false;
  }

  const open = () => { if (toggle) toggle.checked = true; };
  let timer = 0;
  input.addEventListener("focus", () => { open(); load(); });
  input.addEventListener("input", () => {
    open();
    const query = input.value.trim();
    // while the reader types, fetch the index chunks of what is typed so far; search once typing
    // pauses (so that no passages of a half-typed word are fetched on a slow line)
    if (query.length >= 2) load().then((pf) => pf.preload(query));
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE);
  });
  for (const select of Object.values(selects)) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(seq));
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || "");
    if (e.key === "Escape" && toggle?.checked) { toggle.checked = false; input.blur(); }
    else if (!typing && (e.key === "/" || e.key === "s" || e.key === "f") && !e.ctrlKey && !e.metaKey) {
      e.preventDefault(); open(); input.focus();
    }
  });
  // Load the engine (not the index) once the page is idle, so that the first query only fetches
  // the index chunk and the passages it needs.
  (window.requestIdleCallback || ((f) => setTimeout(f, 200)))(() => load().then(fillFilters));

  function chosenFilters() {
    const out = {};
    for (const [name, select] of Object.entries(selects)) if (select.value) out[name] = select.value;
    return out;
  }

  async function run() {
    const token = ++seq;
    const query = input.value.trim();
    if (!query) { list.replaceChildren(); meta.textContent = "Type to search"; more.hidden = true; return; }
    const pf = await load();
    const search = await pf.search(query, { filters: chosenFilters() });
    if (token !== seq || !search) return;
    results = search.results;
    terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    shown = 0;
    list.replaceChildren();
    meta.textContent = results.length === 0 ? "No matching passages"
      : results.length === 1 ? "1 matching passage" : `${results.length} matching passages`;
    showMore(token);
  }

  async function showMore(token) {
    const batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    const items = batch.map(() => list.appendChild(el("li", "md-search-result__item")));
    // the first passage alone, then the others together: on a slow line they would share it
    for (const [from, to] of [[0, 1], [1, batch.length]]) {
      await Promise.all(batch.slice(from, to).map((result, i) => result.data().then((data) => {
        if (token === seq) render(items[from + i], data);
      })));
      if (token !== seq) return;
    }
  }

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function link(data, anchor) {
    const page = new URL(data.meta.pageurl || "", base);
    if (anchor) page.hash = anchor;
    return page.href;
  }

  /* The id of the element that holds word `loc` of the passage (the last anchor before it). */
  function anchorAt(data, loc) {
    let best = data.meta.anchor || "";
    for (const a of data.anchors || []) {
      if (a.location <= loc && a.id && !/^fnref/.test(a.id) && /^(p|li|h\d|blockquote|table|div)$/i.test(a.element)) best = a.id;
    }
    return best;
  }

  function pageAt(data, loc) {
    let page = data.meta.page || "";
    for (const a of data.anchors || []) {
      const m = /\.pb([^.]+)$/.exec(a.id || "");
      if (m && a.location <= loc) page = m[1];
    }
    return page;
  }

  /* Keyword in context: one snippet per occurrence (neighbouring ones merged). */
  function snippets(data) {
    const words = data.content.split(/\s+/);
    const locs = [...new Set(data.locations)].sort((a, b) => a - b);
    const spans = [];
    for (let loc of locs) {
      let hit = loc;
      while (hit > 0 && ADDED.test(words[hit])) hit--;  // an added word: show the word it follows
      const last = spans[spans.length - 1];
      if (last && hit - WINDOW <= last.to) { last.to = Math.max(last.to, hit + WINDOW); last.hits.add(hit); }
      else spans.push({ from: Math.max(0, hit - WINDOW), to: hit + WINDOW, hits: new Set([hit]), loc: hit });
    }
    return spans.map((s) => {
      const p = el("p", "md-search-result__teaser edition-search__kwic");
      if (s.from > 0) p.append("… ");
      for (let i = s.from; i <= Math.min(s.to, words.length - 1); i++) {
        const shownWord = words[i].replace(MARKS, "");
        if (!shownWord) continue;
        if (ADDED.test(words[i])) { p.lastChild?.remove(); p.append(shownWord, " "); continue; }  // "'s"
        if (s.hits.has(i)) p.append(el("mark", "", shownWord)); else p.append(shownWord);
        p.append(" ");
      }
      if (s.to < words.length - 1) p.append("…");
      return { node: p, loc: s.loc };
    });
  }

  function render(li, data) {
    const all = snippets(data);
    const first = all.length ? all[0].loc : 0;
    const a = el("a", "md-search-result__link");
    a.href = link(data, anchorAt(data, first));
    const article = el("article", "md-search-result__article md-typeset");
    const head = el("div", "edition-search__head");
    head.append(el("span", `edition-search__kind edition-search__kind--${data.meta.kind || "text"}`, data.meta.kind || ""));
    const printed = pageAt(data, first);
    if (printed) head.append(el("span", "edition-search__page", `p. ${printed}`));
    article.append(head, el("h1", "edition-search__title", data.meta.title || data.meta.pageurl));
    if (data.meta.section && data.meta.section !== data.meta.chapter) article.append(el("p", "edition-search__section", data.meta.section));
    a.append(article);
    li.replaceChildren(a);
    for (const s of all.slice(0, SNIPPETS)) {
      const k = el("a", "md-search-result__link edition-search__occurrence");
      k.href = link(data, anchorAt(data, s.loc));
      const pg = pageAt(data, s.loc);
      if (pg && all.length > 1) k.append(el("span", "edition-search__page", `p. ${pg}`));
      k.append(s.node);
      li.append(k);
    }
    if (all.length > SNIPPETS) li.append(el("p", "edition-search__rest", `and ${all.length - SNIPPETS} more in this passage`));
  }
})();
