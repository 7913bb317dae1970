/* Reading aids of the edition: paragraph permalinks, "cite this passage", the as-printed switch.
   Added by script so that they are neither words of the text nor entries of the search index. */
(function () {
  "use strict";

  function citation(meta, p) {
    var page = p.getAttribute("data-page");
    var url = location.href.split("#")[0] + "#" + p.id;
    return meta.getAttribute("data-cite") + (page ? ", " + page : "") + ", ¶ " + p.id +
      ", in The Purges of 1937–1938: A Comparative Edition, " + url + ".";
  }

  function showCitation(p, text) {
    var old = document.querySelector(".cite-box");
    if (old) old.remove();
    var box = document.createElement("div");
    box.className = "cite-box ed";
    box.setAttribute("role", "dialog");
    box.textContent = text;
    p.appendChild(box);
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
    setTimeout(function () { document.addEventListener("click", function close() { box.remove(); }, { once: true }); }, 0);
  }

  function addTools(meta, p) {
    var tools = document.createElement("span");
    tools.className = "para-tools ed";
    var link = document.createElement("a");
    link.href = "#" + p.id;
    link.textContent = "¶";
    link.title = "Permalink to this paragraph (" + p.id + ")";
    var cite = document.createElement("button");
    cite.type = "button";
    cite.className = "cite-button";
    cite.textContent = "cite";
    cite.title = "Cite this passage";
    cite.addEventListener("click", function (event) {
      event.stopPropagation();
      showCitation(p, citation(meta, p));
    });
    tools.appendChild(link);
    tools.appendChild(cite);
    p.appendChild(tools);
  }

  function addSwitch(article) {
    var alts = article.querySelectorAll(".alt");
    if (!alts.length) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "reading-switch ed";
    button.textContent = "Show as printed";
    button.addEventListener("click", function () {
      var printed = button.getAttribute("aria-pressed") !== "true";
      alts.forEach(function (alt) {
        if (!alt.hasAttribute("data-regular")) alt.setAttribute("data-regular", alt.innerHTML);
        if (printed) alt.textContent = alt.getAttribute("data-original");
        else alt.innerHTML = alt.getAttribute("data-regular");
        alt.classList.toggle("as-printed", printed);
      });
      button.setAttribute("aria-pressed", String(printed));
      button.textContent = printed ? "Show corrected" : "Show as printed";
    });
    article.insertBefore(button, article.firstChild);
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
    var meta = article && article.querySelector(".edition-meta");
    if (!meta) return;
    article.querySelectorAll("p[data-page], p[id]").forEach(function (p) {
      if (!p.closest(".footnote") && !p.querySelector(".para-tools")) addTools(meta, p);
    });
    addSwitch(article);
  }

  window.addEventListener("hashchange", forward);
  if (window.document$) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
