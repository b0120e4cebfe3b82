/* Runs in every page's head, before anything is drawn. */
(function () {
  "use strict";
  // The colour mode the reader chose, else the site's default (the <html>
  // element's data-theme), so that the page is drawn in it at once.
  const root = document.documentElement;
  const fallback = root.dataset.theme || "auto";
  root.dataset.mode = localStorage.getItem("mode") || fallback;
  root.dataset.theme = localStorage.getItem("theme") || fallback;

  // On the search page, the cursor starts in the search field.
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("search-results")) {
      return;
    }
    const input = document.querySelector("form.bd-search input");
    if (input) {
      input.focus();
      input.select();
    }
  });
})();
