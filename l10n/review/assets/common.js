// Shared by the index and the article view: the API calls and safe DOM building.
// Text from catalogs and articles only ever goes into the page as text (textContent),
// never as markup.
"use strict";
(function () {
  const key = document.querySelector('meta[name="l10n-review-key"]').content;

  async function answer(response) {
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = { error: `${response.status} ${response.statusText}` };
    }
    if (!response.ok && !data.error) data.error = `${response.status} ${response.statusText}`;
    return data;
  }

  const api = {
    async get(url) {
      return answer(await fetch(url, { credentials: "same-origin", cache: "no-store" }));
    },
    async post(url, body) {
      return answer(
        await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          cache: "no-store",
          // The header no cross-site form can send: the server refuses POSTs without it.
          headers: { "Content-Type": "application/json", "X-L10n-Review": key },
          body: JSON.stringify(body),
        })
      );
    },
  };

  // el("td", {class: "n", title: "…"}, "text", child…): children are text or nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  const encodePath = (path) => path.split("/").map(encodeURIComponent).join("/");
  const articleUrl = (lang, rel) => `/article/${encodeURIComponent(lang)}/${encodePath(rel)}`;

  const STATES = {
    reviewed: { label: "reviewed", badge: "✓" },
    machine: { label: "machine draft", badge: "MT" },
    human: { label: "human draft", badge: "draft" },
    untranslated: { label: "untranslated", badge: "todo" },
    pseudo: { label: "pseudo", badge: "ψ" },
  };

  window.L10n = { api, el, clear, encodePath, articleUrl, STATES };
})();
