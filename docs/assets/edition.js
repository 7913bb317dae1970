/* Reading aids of the edition: paragraph permalinks, "cite this passage", notes opened in place, the
   "as received" switch, the head of a printed page. Added by script so that they are neither words of
   the text nor entries of the search index. Every tool is a link or a button: reachable by touch and
   by keyboard. */
(function () {
  "use strict";

  var EDITION = "The Purges of 1937–1938: A Comparative Edition";

  function metaContent(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }

  /* The public address of this page (site_url + the page's path, written by overrides/main.html), so that
     an offline copy (file://) cites the published site, never the reader's disk. */
  function publicUrl() {
    var url = metaContent("edition:public-url");
    if (url) return url;
    return location.protocol === "file:" ? "" : location.href.split("#")[0];
  }

  function editionName() {
    return metaContent("edition:name") || EDITION;
  }

  /* The printed pages a paragraph spans: its first page, and the last page break inside it. */
  function pages(p) {
    var first = p.getAttribute("data-page") || "";
    var breaks = p.querySelectorAll(".pb[data-n]");
    var last = "";
    if (breaks.length) {
      var pb = breaks[breaks.length - 1];
      last = pb.getAttribute("data-n") + (pb.hasAttribute("data-cert") ? "?" : "");
    }
    if (!first) return last;
    if (last && last !== first) return first + "–" + last;
    return first;
  }

  /* Chicago notes-bibliography, first note: the witness as references.bib gives it, the printed page
     (inferred: "?"), the paragraph, the edition and the paragraph's canonical address. */
  function citation(meta, p, html) {
    var page = pages(p);
    var url = publicUrl();
    var base = html ? meta.getAttribute("data-cite-html") : meta.getAttribute("data-cite");
    var edition = html ? "<em>" + editionName() + "</em>" : editionName();
    return base + (page ? ", " + page : "") + ", par. " + p.id + ", in " + edition +
      (url ? ", " + url + "#" + p.id : "") + ".";
  }

  function copyText(text, done) {
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function closeCitation() {
    var old = document.querySelector(".cite-box");
    if (!old) return;
    var opener = document.querySelector('.cite-button[aria-expanded="true"]');
    old.remove();
    if (opener) { opener.setAttribute("aria-expanded", "false"); opener.focus(); }
  }

  function showCitation(meta, p, button) {
    var open = button.getAttribute("aria-expanded") === "true";
    closeCitation();
    if (open) return;
    var text = citation(meta, p, false);
    var box = document.createElement("span");
    box.className = "cite-box ed";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Citation of paragraph " + p.id);
    var shown = document.createElement("span");
    shown.className = "cite-text";
    shown.style.display = "block";
    shown.innerHTML = citation(meta, p, true);  // markup of the edition's own (references.bib, escaped)
    var actions = document.createElement("span");
    actions.className = "cite-actions";
    var copy = document.createElement("button");
    copy.type = "button";
    copy.textContent = "Copy";
    var status = document.createElement("span");
    status.className = "cite-status";
    status.setAttribute("role", "status");
    copy.addEventListener("click", function (event) {
      event.stopPropagation();
      copyText(text, function (ok) {
        status.textContent = ok ? "Copied to the clipboard." : "Select the citation above and copy it.";
      });
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function (event) { event.stopPropagation(); closeCitation(); });
    actions.appendChild(copy);
    actions.appendChild(close);
    actions.appendChild(status);
    box.appendChild(shown);
    box.appendChild(actions);
    box.addEventListener("click", function (event) { event.stopPropagation(); });
    button.closest(".para-tools").after(box);
    button.setAttribute("aria-expanded", "true");
    copyText(text, function (ok) { if (ok) status.textContent = "Copied to the clipboard."; });
    copy.focus({ preventScroll: true });
    if (box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
  }

  function addTools(meta, p) {
    var tools = document.createElement("span");
    tools.className = "para-tools ed";
    var link = document.createElement("a");
    link.href = "#" + p.id;
    link.textContent = "¶";
    link.title = "Permalink to this paragraph (" + p.id + ")";
    link.setAttribute("aria-label", "Permalink to paragraph " + p.id);
    var cite = document.createElement("button");
    cite.type = "button";
    cite.className = "cite-button";
    cite.textContent = "cite";
    cite.title = "Cite this passage";
    cite.setAttribute("aria-label", "Cite paragraph " + p.id);
    cite.setAttribute("aria-expanded", "false");
    cite.addEventListener("click", function (event) {
      event.stopPropagation();
      showCitation(meta, p, cite);
    });
    tools.appendChild(link);
    tools.appendChild(cite);
    p.appendChild(tools);
  }

  /* "As received": the transcription's readings where the edition corrected or normalised it. This is
     what the edition received, not necessarily what the printed page shows. */
  function addSwitch(article) {
    /* the page carries the button where it has such readings (build_scripts/site/render.py,
       READING_SWITCH): no layout shift when this runs */
    var alts = article.querySelectorAll(".alt"), button = article.querySelector("button.reading-switch");
    if (!alts.length || !button) return;
    button.addEventListener("click", function () {
      var received = button.getAttribute("aria-pressed") !== "true";
      alts.forEach(function (alt) {
        if (!alt.hasAttribute("data-edited")) alt.setAttribute("data-edited", alt.innerHTML);
        if (received) alt.textContent = alt.getAttribute("data-original");
        else alt.innerHTML = alt.getAttribute("data-edited");
        alt.classList.toggle("as-received", received);
      });
      button.setAttribute("aria-pressed", String(received));
      button.textContent = received ? "Show the edited text" : "Show as received (transcription)";
    });
  }

  /* Notes open in place at their marker (tap, click, Enter); the foot of the page stays one link away. */
  function closeNote() {
    var old = document.querySelector(".fn-pop");
    if (!old) return null;
    var marker = document.querySelector('a.footnote-ref[aria-expanded="true"]');
    old.remove();
    if (marker) marker.setAttribute("aria-expanded", "false");
    return marker;
  }

  function openNote(marker) {
    var id = decodeURIComponent(marker.getAttribute("href").slice(1));
    var note = document.getElementById(id);
    if (!note) return false;
    var wasOpen = marker.getAttribute("aria-expanded") === "true";
    closeNote();
    if (wasOpen) return true;
    var pop = document.createElement("span");
    pop.className = "fn-pop ed";
    pop.setAttribute("role", "note");
    pop.id = "pop-" + id.replace(/[^\w.-]/g, "_");
    pop.setAttribute("aria-label", "Note " + marker.textContent.trim());
    var body = document.createElement("span");
    body.style.display = "block";
    Array.prototype.forEach.call(note.childNodes, function (child) {
      var copy = child.cloneNode(true);
      if (copy.querySelectorAll) {
        copy.querySelectorAll(".footnote-backref, [id]").forEach(function (el) {
          if (el.classList.contains("footnote-backref")) el.remove(); else el.removeAttribute("id");
        });
        if (copy.id) copy.removeAttribute("id");
      }
      body.appendChild(copy);
    });
    var actions = document.createElement("span");
    actions.className = "fn-pop-actions";
    var go = document.createElement("a");
    go.href = "#" + id;
    go.textContent = "Go to the note";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function (event) { event.stopPropagation(); var m = closeNote(); if (m) m.focus(); });
    actions.appendChild(go);
    actions.appendChild(close);
    pop.appendChild(body);
    pop.appendChild(actions);
    pop.addEventListener("click", function (event) { if (event.target !== go) event.stopPropagation(); });
    var sup = marker.closest("sup") || marker;
    sup.after(pop);
    marker.setAttribute("aria-expanded", "true");
    marker.setAttribute("aria-controls", pop.id);
    return true;
  }

  function onNoteClick(event) {
    var marker = event.target.closest && event.target.closest("a.footnote-ref");
    if (!marker || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (openNote(marker)) event.preventDefault();
  }

  /* The back-link of a note names the number printed at its marker, not its place in the list. */
  function nameBacklinks(article) {
    article.querySelectorAll(".footnote li[id]").forEach(function (li) {
      var marker = article.querySelector('a.footnote-ref[href="#' + CSS.escape(li.id) + '"]');
      var back = li.querySelector(".footnote-backref");
      if (!marker || !back) return;
      var label = "Back to note " + marker.textContent.trim() + " in the text";
      back.title = label;
      back.setAttribute("aria-label", label);
    });
  }

  /* The head of a printed page: the witness, the chapter, the address. */
  function printHead(article, meta) {
    if (article.querySelector(".print-head")) return;
    var head = document.createElement("div");
    head.className = "print-head ed";
    var h1 = article.querySelector("h1");
    var url = publicUrl();
    head.innerHTML = "";
    var who = document.createElement("div");
    who.innerHTML = meta.getAttribute("data-cite-html");
    var what = document.createElement("div");
    what.textContent = (h1 ? h1.textContent.replace(/¶$/, "").trim() + " · " : "") + editionName();
    head.appendChild(who);
    head.appendChild(what);
    if (url) {
      var where = document.createElement("div");
      where.className = "print-url";
      where.textContent = url;
      head.appendChild(where);
    }
    article.insertBefore(head, article.firstChild);
  }

  function forward() {
    /* An old address whose passage moved (sources/redirects.yml): assets/redirects.js maps its id to the new page. */
    var map = window.__edition_redirects || {};
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id || !map[id] || document.getElementById(id)) return;
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    location.replace(base + "/" + map[id]);
  }

  function setup() {
    forward();
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    nameBacklinks(article);
    var meta = article.querySelector(".edition-meta");
    if (!meta) return;
    article.querySelectorAll("p[data-page], p[id]").forEach(function (p) {
      if (!p.closest(".footnote") && !p.querySelector(".para-tools") && p.id) addTools(meta, p);
    });
    addSwitch(article);
    printHead(article, meta);
  }

  document.addEventListener("click", onNoteClick);
  document.addEventListener("click", function () { closeCitation(); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    closeCitation();
    var marker = closeNote();
    if (marker) marker.focus();
  });
  window.addEventListener("hashchange", forward);
  if (window.document$) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
