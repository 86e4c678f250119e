// Search across the edition, in the browser: the index (search-index.js, made at build time) holds
// each section's and each heading's text, the Simplified↔Traditional folds of its characters and the
// glossary's terms in the other editions' languages. A section matches when it contains every word of
// the query; Chinese is matched as written, character for character, so 持份者 finds 持份者 and nothing
// else, in either script (员工 finds 員工). A word that is a glossary term of another edition's language
// also finds this edition's term (持份者 finds "stakeholder"); an English word of five letters or more
// that the edition does not have is looked for with one typo undone (emmissions: emissions). Titles
// weigh more than text; words found as typed rank above words found with a typo undone. Nothing is
// sent anywhere.
(function () {
  "use strict";
  var data = window.esgSearch || { entries: [], terms: [], folds: "" };
  var index = data.entries;
  var form = document.querySelector(".page-search .search-form");
  var input = document.getElementById("q");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var LIMIT = 50;
  var WINDOW = 160;          // characters of a snippet, the match in its middle
  var TOLERANT_FROM = 5;     // letters of an English word that may have a typo

  // Traditional → Simplified, one character for one (pairs of characters in the index).
  var FOLDS = Object.create(null);
  for (var k = 0; k + 1 < data.folds.length; k += 2) { FOLDS[data.folds[k]] = data.folds[k + 1]; }

  // Full-width letters and digits as half-width, capitals as small letters, Traditional as Simplified;
  // character by character, so that a position in the folded text is the same position in the text shown.
  function fold(text) {
    return text.replace(/[\s\S]/g, function (ch) {
      var f = ch.normalize("NFKC").toLowerCase();
      f = f.length === ch.length ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch;
      return FOLDS[f] || f;
    });
  }
  var folded = index.map(function (e) { return { t: fold(e.t), x: fold(e.x) }; });

  // A term of another edition's language → this edition's forms of it.
  var SYNONYMS = Object.create(null), LONGEST = 1;
  data.terms.forEach(function (term) {
    term[1].forEach(function (other) {
      var key = fold(other);
      SYNONYMS[key] = (SYNONYMS[key] || []).concat(term[0].map(fold));
      LONGEST = Math.max(LONGEST, key.split(" ").length);
    });
  });

  function unique(items) {
    return items.filter(function (item, i) { return items.indexOf(item) === i; });
  }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1 && n < 20) { n += 1; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  // The query's words, each with what may stand for it: a glossary term (of one or more words) also
  // stands for this edition's term.
  function groups(query) {
    var words = fold(query).split(/\s+/).filter(Boolean), out = [];
    for (var i = 0; i < words.length;) {
      for (var j = Math.min(words.length, i + LONGEST); j > i; j -= 1) {
        var phrase = words.slice(i, j).join(" ");
        if (j === i + 1 || SYNONYMS[phrase]) {
          out.push({ typed: phrase, alts: unique([phrase].concat(SYNONYMS[phrase] || [])), exact: true });
          i = j;
          break;
        }
      }
    }
    return out;
  }

  function anywhere(alts) {
    return folded.some(function (f) {
      return alts.some(function (a) { return f.t.indexOf(a) !== -1 || f.x.indexOf(a) !== -1; });
    });
  }

  // One insertion, deletion, substitution or transposition apart.
  function oneEditApart(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && a[i] === b[i]) { i += 1; }
    if (a.length === b.length) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  var vocabulary = null;
  function latinWords() {
    if (!vocabulary) {
      var seen = Object.create(null);
      var add = function (text) { (text.match(/[a-z]{4,}/g) || []).forEach(function (w) { seen[w] = true; }); };
      folded.forEach(function (f) { add(f.t); add(f.x); });
      Object.keys(SYNONYMS).forEach(add);
      vocabulary = Object.keys(seen);
    }
    return vocabulary;
  }

  // An English word the edition does not have: the words one typo away, and what they stand for.
  function tolerate(group) {
    if (!new RegExp("^[a-z]{" + TOLERANT_FROM + ",}$").test(group.typed) || anywhere(group.alts)) { return group; }
    var near = latinWords().filter(function (w) { return oneEditApart(group.typed, w); });
    if (!near.length) { return group; }
    var alts = [];
    near.forEach(function (w) { alts = alts.concat([w], SYNONYMS[w] || []); });
    return { typed: group.typed, alts: unique(alts), exact: false, near: near };
  }

  // The query as searched: a word with a typo as the words it was read as (the status names them).
  function readAs(query, wanted) {
    return query.trim().split(/\s+/).map(function (w) {
      var typo = wanted.filter(function (g) { return !g.exact && g.typed === fold(w); })[0];
      return typo ? typo.near.join(" / ") : w;
    }).join(" ");
  }

  function search(wanted) {
    if (!wanted.length) { return []; }
    var found = [];
    index.forEach(function (entry, i) {
      var f = folded[i], score = 0, exact = 0;
      for (var g = 0; g < wanted.length; g += 1) {
        var inTitle = 0, inText = 0;
        wanted[g].alts.forEach(function (a) { inTitle += count(f.t, a); inText += count(f.x, a); });
        if (!inTitle && !inText) { return; }
        score += inTitle * 10 + inText;
        exact += wanted[g].exact ? 1 : 0;
      }
      found.push({ entry: entry, folded: f, score: score, exact: exact, order: i, groups: wanted });
    });
    found.sort(function (a, b) { return b.exact - a.exact || b.score - a.score || a.order - b.order; });
    return found;
  }

  // The first place at or after `from` where one of `alts` stands, the longest there.
  function next(text, alts, from) {
    var best = null;
    alts.forEach(function (a) {
      var at = text.indexOf(a, from);
      if (at !== -1 && (!best || at < best.at || (at === best.at && a.length > best.len))) { best = { at: at, len: a.length }; }
    });
    return best;
  }

  function allAlts(result) {
    return result.groups.reduce(function (all, g) { return all.concat(g.alts); }, []);
  }

  // Letters, digits and the marks inside a word or a figure: a snippet is not cut between two of them.
  var INSIDE_WORD = /[A-Za-z0-9’'.,\-]/;

  // About WINDOW characters around the first match of the query's first word (or of any word), the
  // matches marked; built as text nodes, never HTML.
  function snippet(entry, result) {
    var p = document.createElement("p");
    p.className = "search-snippet";
    var text = entry.x, lower = result.folded.x, alts = allAlts(result);
    var first = next(lower, result.groups[0].alts, 0) || next(lower, alts, 0) || { at: 0, len: 0 };
    var start = Math.max(0, Math.min(Math.round(first.at + first.len / 2 - WINDOW / 2), text.length - WINDOW));
    var end = Math.min(text.length, start + WINDOW);
    if (start > 0 && INSIDE_WORD.test(text[start - 1]) && INSIDE_WORD.test(text[start])) {
      var space = text.indexOf(" ", start);
      if (space !== -1 && space < first.at) { start = space + 1; }
    }
    if (end < text.length && INSIDE_WORD.test(text[end - 1]) && INSIDE_WORD.test(text[end])) {
      var before = text.lastIndexOf(" ", end);
      if (before > first.at + first.len) { end = before; }
    }
    if (start > 0) { p.appendChild(document.createTextNode("…")); }
    var pos = start;
    while (pos < end) {
      var m = next(lower.slice(0, end), alts, pos);
      if (!m) { p.appendChild(document.createTextNode(text.slice(pos, end))); break; }
      p.appendChild(document.createTextNode(text.slice(pos, m.at)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m.at, m.at + m.len);
      p.appendChild(mark);
      pos = m.at + m.len;
    }
    if (end < text.length) { p.appendChild(document.createTextNode("…")); }
    return p;
  }

  // The result's link: its page with the words found, as printed (?q=, one each: web.js marks them
  // there and scrolls to the first), then its section. Without a script the link still lands on it.
  function link(result) {
    var entry = result.entry, shown = [];
    result.groups.forEach(function (g) {
      ["x", "t"].some(function (k) {
        var m = next(result.folded[k], g.alts, 0);
        if (m) { shown.push(entry[k].slice(m.at, m.at + m.len)); }
        return Boolean(m);
      });
    });
    var params = new URLSearchParams();
    unique(shown).forEach(function (s) { params.append("q", s); });
    var hash = entry.u.indexOf("#");
    return entry.u.slice(0, hash) + "?" + params.toString() + entry.u.slice(hash);
  }

  // The words put in as they are: a string given to replace() would read `$&` or `$'` in them as patterns.
  function say(template, query, n) {
    return template.replace("{query}", function () { return query; }).replace("{count}", String(n));
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) { status.textContent = ""; return; }
    var wanted = groups(query).map(tolerate), results = search(wanted);
    var words = status.dataset;
    var text = say(results.length === 0 ? words.none : results.length === 1 ? words.one : words.many,
                   readAs(query, wanted), results.length);
    if (results.length > LIMIT) { text += " " + say(words.more, query, LIMIT); }
    status.textContent = text;
    results.slice(0, LIMIT).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = link(r);
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
