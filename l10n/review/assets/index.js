// The index: one row per article and language, sorted, filtered and paged by the server,
// so a project with thousands of articles sends only the rows on screen.
"use strict";
(function () {
  const { api, el, clear, articleUrl } = window.L10n;
  const COLUMNS = [
    ["rel", "Article"],
    ["lang", "Language"],
    ["reviewed", "Reviewed"],
    ["machine", "Machine draft"],
    ["human", "Human draft"],
    ["untranslated", "Untranslated"],
    ["errors", "Errors"],
    ["percent", "Done %"],
    ["gate", "Gate"],
  ];
  const NUMBERS = new Set(["reviewed", "machine", "human", "untranslated", "errors", "percent"]);
  const form = document.getElementById("filter");
  const state = new URLSearchParams(location.search);

  function param(name, fallback) {
    return state.get(name) || fallback;
  }

  function go(changes, { replace = false } = {}) {
    for (const [name, value] of Object.entries(changes)) {
      if (value === "" || value === null || value === undefined) state.delete(name);
      else state.set(name, String(value));
    }
    const url = `${location.pathname}${state.toString() ? "?" + state : ""}`;
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    load();
  }

  function heads(sort) {
    const row = clear(document.getElementById("heads"));
    const key = sort.replace(/^-/, "");
    for (const [name, label] of COLUMNS) {
      const active = key === name;
      const descending = active && sort.startsWith("-");
      const next = active && !descending ? `-${name}` : name;
      if (name === "gate") {
        row.append(el("th", { scope: "col" }, label));
        continue;
      }
      row.append(
        el(
          "th",
          {
            scope: "col",
            class: NUMBERS.has(name) ? "n" : null,
            "aria-sort": active ? (descending ? "descending" : "ascending") : "none",
          },
          el(
            "button",
            { type: "button", "data-sort": name, onclick: () => go({ sort: next, page: 1 }) },
            label,
            active ? (descending ? " ▼" : " ▲") : ""
          )
        )
      );
    }
  }

  function languages(list, chosen) {
    const select = document.getElementById("lang");
    if (select.options.length === 1) {
      for (const lang of list) select.append(el("option", { value: lang }, lang));
    }
    select.value = chosen || "";
  }

  function pager(found) {
    const nav = clear(document.getElementById("pager"));
    const pages = found.pages;
    const page = found.page;
    nav.append(
      el("button", { type: "button", disabled: page <= 1, onclick: () => go({ page: page - 1 }) }, "‹ Previous"),
      el("span", {}, ` Page ${page} of ${pages} `),
      el("button", { type: "button", disabled: page >= pages, onclick: () => go({ page: page + 1 }) }, "Next ›")
    );
  }

  function row(item) {
    const cells = [
      el("td", {}, el("a", { href: articleUrl(item.lang, item.rel) }, item.rel)),
      el("td", { lang: item.lang }, item.lang),
    ];
    for (const name of ["reviewed", "machine", "human", "untranslated", "errors"]) {
      cells.push(el("td", { class: `n${item[name] ? " some-" + name : ""}` }, String(item[name])));
    }
    cells.push(el("td", { class: "n", title: "words translated and reviewed" }, `${item.percent.toFixed(1)}`));
    cells.push(el("td", { class: `gate gate-${item.gate}`, title: item.blocked || null }, item.gate, item.blocked ? ` — ${item.blocked}` : ""));
    return el("tr", {}, cells);
  }

  async function load() {
    const sort = param("sort", "rel");
    const query = new URLSearchParams({
      sort,
      page: param("page", "1"),
      per_page: param("per_page", "50"),
      q: param("q", ""),
    });
    if (param("lang", "")) query.set("lang", param("lang", ""));
    document.getElementById("q").value = param("q", "");
    document.getElementById("per_page").value = param("per_page", "50");
    heads(sort);
    const found = await api.get(`/api/index?${query}`);
    const summary = document.getElementById("summary");
    const rows = clear(document.getElementById("rows"));
    if (found.error) {
      summary.textContent = found.error;
      return;
    }
    languages(found.languages, found.lang || param("lang", ""));
    const first = found.total ? (found.page - 1) * found.per_page + 1 : 0;
    const last = Math.min(found.total, found.page * found.per_page);
    summary.textContent = `${found.total} article${found.total === 1 ? "" : "s"} × language; showing ${first}–${last}`;
    for (const item of found.rows) rows.append(row(item));
    pager(found);
  }

  let typing = null;
  document.getElementById("q").addEventListener("input", (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => go({ q: event.target.value, page: 1 }, { replace: true }), 250);
  });
  document.getElementById("lang").addEventListener("change", (event) => go({ lang: event.target.value, page: 1 }));
  document.getElementById("per_page").addEventListener("change", (event) => go({ per_page: event.target.value, page: 1 }));
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("popstate", () => {
    for (const name of [...state.keys()]) state.delete(name);
    for (const [name, value] of new URLSearchParams(location.search)) state.set(name, value);
    load();
  });
  load();
})();
