/* Offline search of the archive site (communiques/site/search.py writes the index).
   Every word typed must begin a word of the communiqué (title, chapô or body). */
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  var index = window.COMMUNIQUES_INDEX;
  if (!form || !index) { return; }
  var input = form.querySelector("input");
  var status = document.getElementById("recherche-etat");
  var list = document.getElementById("recherche-resultats");
  form.hidden = false;

  function normalise(text) {
    return text.replace(/œ/g, "oe").replace(/æ/g, "ae").normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function search(event) {
    if (event) { event.preventDefault(); }
    var terms = normalise(input.value).match(/[a-z0-9]+/g) || [];
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var found = index.filter(function (record) {
      var haystack = " " + record.m;
      return terms.every(function (term) { return haystack.indexOf(" " + term) !== -1; });
    });
    found.slice(0, 50).forEach(function (record) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = record.u;
      link.textContent = record.t;
      link.lang = record.l;
      var date = document.createElement("span");
      date.className = "date";
      date.textContent = " — " + record.d;
      item.appendChild(link);
      item.appendChild(date);
      list.appendChild(item);
    });
    status.textContent = found.length === 0 ? form.dataset.aucun
      : found.length === 1 ? form.dataset.un
      : form.dataset.plusieurs.replace("{n}", found.length);
  }

  form.addEventListener("submit", search);
  input.addEventListener("input", search);
})();
