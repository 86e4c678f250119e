// Small enhancements of the web edition; every page works without them.
(function () {
  "use strict";
  // The language switcher keeps the reader on the same section.
  document.querySelectorAll("a[data-keep-hash]").forEach(function (a) {
    a.addEventListener("click", function () { if (location.hash) { a.href = a.href.split("#")[0] + location.hash; } });
  });
  // A phone's list of the page's sections closes once the reader has chosen one.
  document.querySelectorAll(".page-toc-inline details").forEach(function (d) {
    d.addEventListener("click", function (e) { if (e.target.closest("a")) { d.open = false; } });
  });
  // Every heading with an id gets a link to itself, for a pointer to copy and share (a section's link
  // is the section's). Keyboards and screen readers have the same links in the page's list of sections.
  var label = (document.currentScript && document.currentScript.dataset.anchorLabel) || "Link to this heading";
  document.querySelectorAll("main h2[id], main h3[id], main h4[id], main h5[id], main h6[id]").forEach(function (h) {
    var section = h.classList.contains("section-title") && h.parentElement.id ? h.parentElement.id : null;
    var a = document.createElement("a");
    a.className = "heading-link";
    a.href = "#" + (section || h.id);
    a.title = label;
    a.tabIndex = -1;
    a.setAttribute("aria-hidden", "true");
    h.appendChild(a);
  });
  // A table that fits needs no keyboard stop of its own; one that scrolls sideways keeps it.
  function scrollers() {
    document.querySelectorAll("[data-scroll]").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) { el.setAttribute("tabindex", "0"); } else { el.removeAttribute("tabindex"); }
    });
  }
  scrollers();
  window.addEventListener("resize", scrollers);
  // An address's #id; one malformed (a hand-typed "%E0%A4%A") is taken as written, not an error.
  function idOf(hash) {
    try { return decodeURIComponent(hash.slice(1)); } catch (e) { return hash.slice(1); }
  }
  // The side list of sections shows where the reader is.
  var links = Array.prototype.slice.call(document.querySelectorAll(".page-toc-side a[href^='#']"));
  if (links.length && "IntersectionObserver" in window) {
    var byId = {};
    links.forEach(function (a) { byId[idOf(a.hash)] = a; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting && byId[e.target.id]) {
          links.forEach(function (a) { a.removeAttribute("aria-current"); });
          byId[e.target.id].setAttribute("aria-current", "location");
        }
      });
    }, { rootMargin: "-80px 0px -70% 0px" });
    Object.keys(byId).forEach(function (id) { var el = document.getElementById(id); if (el) { observer.observe(el); } });
  }

  // A search result leads to its section (#id) with the words it found there, as printed (?q=, one
  // each): they are marked from the section's heading to the next heading and the first is scrolled
  // into view. Without a script the link lands on the section all the same.
  function lower(text) {   // as search.js folds, character by character: positions stay
    return text.replace(/[\s\S]/g, function (ch) {
      var f = ch.normalize("NFKC").toLowerCase();
      return f.length === ch.length ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
    });
  }
  var NARROW = /[\u2005\u2006\u2009\u200a\u202f]/;   // a gap between Chinese and Latin, in Chinese
  function markFound() {
    var wanted = new URLSearchParams(location.search).getAll("q").map(lower).filter(function (w) { return w.trim(); });
    var target = location.hash && document.getElementById(idOf(location.hash));
    if (!wanted.length || !target || document.body.classList.contains("page-search")) { return; }
    // The section's text as the index has it (website.py plain()): spaces collapsed, drawings, note
    // markers and zero-width spaces left out, in Chinese narrow spaces too; each character remembers
    // its node and offset.
    var chinese = /^zh/i.test(document.documentElement.lang);
    var text = "", where = [];
    var walker = document.createTreeWalker(document.querySelector("main") || document.body,
      NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, { acceptNode: function (n) {
        return n.nodeType === 1 && n.matches("svg, script, style, nav, sup.note-ref, .heading-link, [aria-hidden='true']")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      } });
    walker.currentNode = target;
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 1) {
        var title = n.classList.contains("section-title") && n.parentElement === target;
        if (/^H[1-6]$/.test(n.tagName) && n.id && !title) { break; }
        continue;
      }
      for (var i = 0; i < n.nodeValue.length; i += 1) {
        var ch = n.nodeValue[i], last = text[text.length - 1];
        if (ch === "\u200b" || (chinese && NARROW.test(ch))) { continue; }
        if (/\s/.test(ch)) {
          if (text && last !== " ") { text += " "; where.push([n, i]); }
          continue;
        }
        text += ch;
        where.push([n, i]);
      }
    }
    var folded = lower(text), hits = [], reach = 0, pieces = [];
    wanted.forEach(function (w) {
      for (var at = folded.indexOf(w); at !== -1; at = folded.indexOf(w, at + w.length)) { hits.push([at, at + w.length]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    hits.forEach(function (h) {
      if (h[0] < reach) { return; }
      reach = h[1];
      for (var c = h[0]; c < h[1]; c += 1) {         // a piece per text node the match runs through
        var piece = pieces[pieces.length - 1];
        if (c > h[0] && piece.node === where[c][0]) { piece.end = where[c][1] + 1; } else {
          pieces.push({ node: where[c][0], start: where[c][1], end: where[c][1] + 1 });
        }
      }
    });
    var marks = [];
    for (var p = pieces.length - 1; p >= 0; p -= 1) {   // from the last, so earlier offsets stay right
      var range = document.createRange(), mark = document.createElement("mark");
      range.setStart(pieces[p].node, pieces[p].start);
      range.setEnd(pieces[p].node, pieces[p].end);
      mark.className = "search-hit";
      range.surroundContents(mark);
      marks.unshift(mark);
    }
    if (marks.length) {
      var show = function () { marks[0].scrollIntoView({ block: "center" }); };
      show();
      window.addEventListener("load", show);
    }
  }
  markFound();
})();
