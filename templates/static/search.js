// Search across the edition, in the browser: the index (search-index.js, made at build time) holds
// each section's and each heading's text. A section matches when it contains every word of the
// query; Chinese is matched as written, character for character, so 持份者 finds 持份者 and nothing
// else. Titles weigh more than text. Nothing is sent anywhere.
(function () {
  "use strict";
  var index = window.esgSearchIndex || [];
  var form = document.querySelector(".page-search .search-form");
  var input = document.getElementById("q");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var LIMIT = 50;

  // Full-width letters and digits as half-width, capitals as small letters; character by character, so
  // that a position in the folded text is the same position in the text shown.
  function fold(text) {
    return text.replace(/[\s\S]/g, function (ch) {
      var f = ch.normalize("NFKC").toLowerCase();
      return f.length === ch.length ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
    });
  }
  var folded = index.map(function (e) { return { t: fold(e.t), x: fold(e.x) }; });

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1 && n < 20) { n += 1; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  function search(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) { return []; }
    var found = [];
    index.forEach(function (entry, i) {
      var f = folded[i], score = 0;
      for (var w = 0; w < words.length; w += 1) {
        var inTitle = count(f.t, words[w]), inText = count(f.x, words[w]);
        if (!inTitle && !inText) { return; }
        score += inTitle * 10 + inText;
      }
      found.push({ entry: entry, text: f.x, score: score, order: i });
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return found.map(function (r) { r.first = r.text.indexOf(words[0]); r.words = words; return r; });
  }

  // A few words either side of the first match, the matches marked; built as text nodes, never HTML.
  function snippet(entry, result) {
    var p = document.createElement("p");
    p.className = "search-snippet";
    var text = entry.x, at = Math.max(0, result.first), start = Math.max(0, at - 40);
    var piece = (start > 0 ? "…" : "") + text.slice(start, at + 120) + (at + 120 < text.length ? "…" : "");
    var lower = fold(piece), pos = 0;
    while (pos < piece.length) {
      var next = -1, len = 0;
      result.words.forEach(function (w) {
        var i = lower.indexOf(w, pos);
        if (i !== -1 && (next === -1 || i < next)) { next = i; len = w.length; }
      });
      if (next === -1) { p.appendChild(document.createTextNode(piece.slice(pos))); break; }
      p.appendChild(document.createTextNode(piece.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + len);
      p.appendChild(mark);
      pos = next + len;
    }
    return p;
  }

  function say(template, query, n) {
    return template.replace("{query}", query).replace("{count}", String(n));
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var results = search(query);
    var words = status.dataset;
    var text = say(results.length === 0 ? words.none : results.length === 1 ? words.one : words.many,
                   query.trim(), results.length);
    if (results.length > LIMIT) { text += " " + say(words.more, query, LIMIT); }
    status.textContent = text;
    results.slice(0, LIMIT).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.entry.u;
      a.textContent = (r.entry.n ? r.entry.n + " " : "") + r.entry.t;
      li.appendChild(a);
      if (r.entry.p) {
        var where = document.createElement("span");
        where.className = "search-where";
        where.textContent = r.entry.p;
        li.appendChild(where);
      }
      if (r.entry.x) { li.appendChild(snippet(r.entry, r)); }
      list.appendChild(li);
    });
  }

  if (!form || !input) { return; }
  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  show(query);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    show(input.value);
  });
})();
