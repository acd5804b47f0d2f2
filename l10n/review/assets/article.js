// The article view: the page as publish writes it, in a frame without scripts; the
// editor beside it.  Typed text lives in `drafts` (and this tab's sessionStorage) until
// the server says it is saved, so nothing typed is lost by moving on, a conflict or an
// error; leaving the page with unsaved text asks first.
"use strict";
(function () {
  const { api, el, clear, STATES } = window.L10n;
  const parts = location.pathname.split("/").slice(2).map(decodeURIComponent);
  const lang = parts[0];
  const rel = parts.slice(1).join("/");
  const $ = (id) => document.getElementById(id);
  const pageFrame = $("page-frame");
  const sourceFrame = $("source-frame");
  const textarea = $("msgstr");
  const storeKey = `l10n-review-drafts:${lang}:${rel}`;

  let view = null; // the article as /api/article sent it
  let byId = new Map();
  let order = []; // entry ids, document order
  let current = null; // the selected entry's id
  let liveFindings = null; // findings of the text in the editor, when it was checked
  let checkTimer = null;
  let checkSeq = 0;
  let busy = false;
  // id -> {text, version, original}: what was typed, and the catalog version and msgstr
  // it was typed against (what the server compares with the file on disk).
  const drafts = new Map(JSON.parse(sessionStorage.getItem(storeKey) || "[]"));

  function keep() {
    sessionStorage.setItem(storeKey, JSON.stringify([...drafts]));
  }

  const errorsOf = (findings) => (findings || []).filter((f) => f.severity === "error");
  const findingsOf = (entry) => (current === entry.id && liveFindings) || entry.findings;
  const needsWork = (entry) =>
    entry.state !== "reviewed" || errorsOf(findingsOf(entry)).length > 0 || drafts.has(entry.id);

  // --- loading --------------------------------------------------------------------

  async function load() {
    const data = await api.get(`/api/article/${encodeURIComponent(lang)}/${L10n.encodePath(rel)}`);
    if (data.error) {
      $("heading").textContent = data.error;
      return false;
    }
    view = data;
    byId = new Map(data.entries.map((entry) => [entry.id, entry]));
    order = data.entries.map((entry) => entry.id);
    for (const id of [...drafts.keys()]) if (!byId.has(id)) drafts.delete(id);
    document.title = `${data.title || rel} (${lang}) — l10n review`;
    clear($("heading")).append(el("span", { lang: data.lang, dir: data.dir }, data.title || rel), ` — ${rel}, ${lang}`);
    $("page-caption").textContent = `Translation (${lang})`;
    $("source-caption").textContent = `Source (${data.source_lang})`;
    const loads = [show(pageFrame, data.frame)];
    if (!$("source-pane").hidden) loads.push(show(sourceFrame, data.source_frame));
    await Promise.all(loads);
    panel();
    if (current && byId.has(current)) select(current, { scroll: false, focus: false });
    else if (current) closeEditor();
    document.body.dataset.ready = "1";
    return true;
  }

  // Load `url` into `frame`, keeping its scroll position, and mark its segments as soon
  // as the page's markup is parsed: its images and fonts (from the article's own
  // servers, perhaps unreachable offline) must not hold the review back.
  function show(frame, url) {
    return new Promise((resolve) => {
      const old = frame.contentDocument;
      const win = frame.contentWindow;
      const scroll = win && frame.dataset.url ? [win.scrollX, win.scrollY] : null;
      frame.dataset.url = url;
      frame.src = url;
      const ready = () => {
        const doc = frame.contentDocument;
        if (!doc || doc === old || doc.URL === "about:blank" || doc.readyState === "loading") {
          setTimeout(ready, 15);
          return;
        }
        decorate(frame);
        if (scroll) frame.contentWindow.scrollTo(scroll[0], scroll[1]);
        resolve();
      };
      ready();
    });
  }

  function decorate(frame) {
    const doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    const css = doc.createElement("link");
    css.rel = "stylesheet";
    css.href = "/assets/frame.css";
    (doc.head || doc.documentElement).append(css);
    for (const node of doc.querySelectorAll("[data-l10n-id]")) {
      const entry = byId.get(node.getAttribute("data-l10n-id"));
      if (!entry) continue;
      const label = (STATES[entry.state] || { label: entry.state }).label;
      node.setAttribute("title", `${label}${errorsOf(entry.findings).length ? ", check error" : ""} — click to edit`);
      if (errorsOf(entry.findings).length) node.setAttribute("data-l10n-error", "");
      if (drafts.has(entry.id)) node.setAttribute("data-l10n-dirty", "");
    }
    // Links and forms of the article must not take the frame away from the review.
    doc.addEventListener(
      "click",
      (event) => {
        event.preventDefault();
        const segment = event.target.closest && event.target.closest("[data-l10n-id]");
        if (segment) select(segment.getAttribute("data-l10n-id"), { from: frame });
      },
      true
    );
    doc.addEventListener("submit", (event) => event.preventDefault(), true);
    doc.addEventListener("keydown", keys);
  }

  function inFrame(frame, id) {
    const doc = frame.contentDocument;
    return doc ? doc.querySelector(`[data-l10n-id="${CSS.escape(id)}"]`) : null;
  }

  // The entries a reader cannot click on the page: attributes, metadata, the title, and
  // text the page could not mark.
  function panel() {
    const list = clear($("panel"));
    for (const id of order) {
      const entry = byId.get(id);
      if (entry.kind === "text" && inFrame(pageFrame, id)) continue;
      const errors = errorsOf(entry.findings).length;
      list.append(
        el(
          "li",
          { "data-entry": id, class: id === current ? "selected" : null },
          el(
            "button",
            { type: "button", onclick: () => select(id, { scroll: true }) },
            el("span", { class: "state-key", "data-state": entry.state }, STATES[entry.state].badge),
            errors ? el("span", { class: "state-key error-key" }, "!") : null,
            el("span", { class: "where" }, entry.context || entry.kind),
            el("span", { class: "text", lang: view.lang, dir: view.dir }, (drafts.get(id) || {}).text ?? (entry.msgstr || entry.msgid))
          )
        )
      );
    }
    if (!list.firstChild) list.append(el("li", { class: "empty" }, "none"));
  }

  // --- the editor -----------------------------------------------------------------

  function closeEditor() {
    current = null;
    $("editor-body").hidden = true;
    $("editor-empty").hidden = false;
  }

  function highlight(id, { scroll, from }) {
    for (const frame of [pageFrame, sourceFrame]) {
      const doc = frame.contentDocument;
      if (!doc) continue;
      for (const node of doc.querySelectorAll(".l10n-selected")) node.classList.remove("l10n-selected");
      // The same text twice on a page is one entry: mark every place it shows.
      const nodes = doc.querySelectorAll(`[data-l10n-id="${CSS.escape(id)}"]`);
      for (const node of nodes) node.classList.add("l10n-selected");
      if (nodes.length && scroll && frame !== from) nodes[0].scrollIntoView({ block: "center" });
    }
    for (const item of $("panel").querySelectorAll("li[data-entry]")) {
      item.classList.toggle("selected", item.dataset.entry === id);
    }
  }

  function select(id, { scroll = true, focus = true, from = null, keepMessage = false } = {}) {
    const entry = byId.get(id);
    if (!entry) return;
    if (current !== id) {
      liveFindings = null;
      if (!keepMessage) setMessage("");
      $("conflict").hidden = true;
    }
    current = id;
    $("editor-empty").hidden = true;
    $("editor-body").hidden = false;
    const state = STATES[entry.state] || { label: entry.state, badge: "?" };
    const badge = $("entry-state");
    badge.dataset.state = entry.state;
    badge.textContent = `${state.badge} ${state.label}`;
    $("entry-where").textContent = `${entry.context || entry.kind} · ${entry.location}`;
    $("entry-pos").textContent = `(${order.indexOf(id) + 1} of ${order.length})`;
    const source = $("entry-source");
    source.textContent = entry.msgid;
    source.lang = view.source_lang;
    source.dir = view.source_dir;
    $("entry-previous-box").hidden = !entry.previous_msgid;
    $("entry-previous").textContent = entry.previous_msgid || "";
    const draft = drafts.get(id);
    textarea.value = draft ? draft.text : entry.msgstr;
    textarea.lang = view.lang;
    textarea.dir = view.dir;
    $("dirty").hidden = !draft;
    placeholders(entry);
    terms(entry);
    $("translator-comments").textContent = entry.translator_comments || "—";
    $("extracted-comments").textContent = entry.extracted_comments || "—";
    findings(liveFindings || entry.findings);
    if (draft && !liveFindings) check();
    highlight(id, { scroll, from });
    if (focus) textarea.focus();
  }

  function placeholders(entry) {
    const list = clear($("placeholders"));
    $("legend-box").hidden = !entry.placeholders.length;
    for (const p of entry.placeholders) list.append(el("dt", {}, el("code", {}, p.shown)), el("dd", {}, el("code", {}, p.markup)));
  }

  function terms(entry) {
    const list = clear($("terms"));
    $("terms-box").hidden = !entry.terms.length;
    for (const term of entry.terms) {
      list.append(
        el(
          "li",
          {},
          el("strong", {}, term.source),
          term.dnt ? " — do not translate" : [" → ", el("span", { lang: view.lang, dir: view.dir }, term.targets.join(", ") || "—")],
          term.forbidden.length ? el("span", { class: "forbidden" }, ` not: ${term.forbidden.join(", ")}`) : null,
          term.discouraged && term.discouraged.length ? el("span", { class: "discouraged" }, ` avoid: ${term.discouraged.join(", ")}`) : null,
          term.note ? el("span", { class: "note" }, ` — ${term.note}`) : null
        )
      );
    }
  }

  function findings(found) {
    const list = clear($("findings"));
    for (const f of found || []) {
      list.append(el("li", { class: f.severity }, el("code", {}, f.rule), ` ${f.severity}: ${f.message}`));
    }
    if (!list.firstChild) list.append(el("li", { class: "clean" }, "no findings"));
    const errors = errorsOf(found);
    $("approve").title = errors.length ? `cannot approve: ${errors.map((f) => f.rule).join(", ")}` : "";
  }

  function setMessage(text, kind = "") {
    const box = $("message");
    box.textContent = text;
    box.className = `message ${kind}`;
  }

  // Live checks: the server runs `l10n check`'s rules on the text as typed.
  function check() {
    const id = current;
    const text = textarea.value;
    const seq = ++checkSeq;
    api.post("/api/check", { lang, rel, id, msgstr: text }).then((data) => {
      if (seq !== checkSeq || current !== id || data.error) return;
      liveFindings = data.findings;
      findings(data.findings);
    });
  }

  textarea.addEventListener("input", () => {
    const entry = byId.get(current);
    if (!entry) return;
    const draft = drafts.get(current) || { version: view.version, original: entry.msgstr };
    draft.text = textarea.value;
    if (draft.text === entry.msgstr && draft.original === entry.msgstr) drafts.delete(current);
    else drafts.set(current, draft);
    keep();
    $("dirty").hidden = !drafts.has(current);
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 200);
  });

  async function save(approve) {
    const id = current;
    const entry = byId.get(id);
    if (!entry || busy) return false;
    busy = true;
    document.body.dataset.busy = "1";
    const text = textarea.value;
    const draft = drafts.get(id) || { text, version: view.version, original: entry.msgstr };
    draft.text = text;
    drafts.set(id, draft);
    keep();
    setMessage(approve ? "Approving…" : "Saving…");
    try {
      const result = await api.post("/api/save", {
        lang,
        rel,
        id,
        msgstr: text,
        approve,
        version: draft.version,
        original: draft.original,
      });
      if (result.error) {
        setMessage(`Not saved: ${result.error}. Your text is still here.`, "error");
        return false;
      }
      if (result.ok) {
        // Saved: the text is in the file; forget the draft unless more was typed meanwhile.
        if (textarea.value === text || current !== id) drafts.delete(id);
        else if (result.entry) Object.assign(draft, { version: result.version, original: result.entry.msgstr });
        keep();
        liveFindings = null;
        $("conflict").hidden = true;
        await load();
        setMessage(result.message || (approve ? "Approved." : "Saved as a draft."), "ok");
        return true;
      }
      if (result.conflict) {
        conflict(id, result);
        await load();
        return false;
      }
      setMessage(`Not saved: ${result.message} Your text is still here.`, "error");
      return false;
    } finally {
      busy = false;
      delete document.body.dataset.busy;
    }
  }

  function conflict(id, result) {
    const fresh = result.entry;
    $("conflict").hidden = false;
    $("conflict-text").textContent = `${result.message} On disk now (${fresh ? STATES[fresh.state].label : "gone"}):`;
    $("conflict-fresh").textContent = fresh ? fresh.msgstr || "(empty)" : "(the entry is no longer in the catalog)";
    setMessage("Not saved. Your text is still in the editor.", "error");
    $("keep-mine").onclick = () => {
      const draft = drafts.get(id);
      if (!draft || !fresh) return;
      draft.version = result.version;
      draft.original = fresh.msgstr;
      keep();
      save(false);
    };
    $("take-theirs").onclick = () => {
      drafts.delete(id);
      keep();
      $("conflict").hidden = true;
      liveFindings = null;
      select(id, { scroll: false });
    };
  }

  function move(step, options = {}) {
    if (!order.length) return;
    let at = current ? order.indexOf(current) : step > 0 ? -1 : order.length;
    for (let n = 0; n < order.length; n++) {
      at = (at + step + order.length) % order.length;
      const entry = byId.get(order[at]);
      if (entry.id !== current && needsWork(entry)) {
        select(entry.id, options);
        return;
      }
    }
    setMessage("Nothing else needs work in this article.", "ok");
  }

  function keys(event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      if (current) save(true).then((ok) => ok && move(1, { keepMessage: true }));
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "s" || event.key === "S")) {
      event.preventDefault();
      if (current) save(false);
    } else if (event.altKey && event.key === "ArrowDown") {
      event.preventDefault();
      move(1);
    } else if (event.altKey && event.key === "ArrowUp") {
      event.preventDefault();
      move(-1);
    }
  }

  document.addEventListener("keydown", keys);
  $("save").addEventListener("click", () => save(false));
  $("approve").addEventListener("click", () => save(true));
  $("revert").addEventListener("click", () => {
    if (!current) return;
    drafts.delete(current);
    keep();
    liveFindings = null;
    select(current, { scroll: false });
  });
  $("show-source").addEventListener("change", async (event) => {
    $("source-pane").hidden = !event.target.checked;
    document.body.classList.toggle("with-source", event.target.checked);
    if (event.target.checked && view) {
      await show(sourceFrame, view.source_frame);
      if (current) highlight(current, { scroll: true, from: null });
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (drafts.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  load();
})();
