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
  // The side list of sections shows where the reader is.
  var links = Array.prototype.slice.call(document.querySelectorAll(".page-toc-side a[href^='#']"));
  if (links.length && "IntersectionObserver" in window) {
    var byId = {};
    links.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
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
})();
