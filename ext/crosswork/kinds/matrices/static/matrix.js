/* crosswork feature matrices: choose and order the drivers a table shows.

   Without this script every matrix table is complete. With it, a picker
   above each full matrix table hides driver columns (checkboxes) and moves
   them left or right (buttons); "?drivers=a,b" in the address shows only
   those drivers, in that order, and the picker keeps the address in step
   so that a view can be shared. Every element is built with textContent:
   no page text is ever parsed as markup. */
(function () {
  "use strict";

  var KEY_PREFIX = "crosswork-driver-";

  function driverKey(cell) {
    for (var i = 0; i < cell.classList.length; i++) {
      var name = cell.classList[i];
      if (name.indexOf(KEY_PREFIX) === 0) {
        return name.slice(KEY_PREFIX.length);
      }
    }
    return "";
  }

  function wantedKeys() {
    var value = new URLSearchParams(window.location.search).get("drivers");
    return value ? value.split(",").filter(Boolean) : [];
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function setup(scroller, number) {
    var table = scroller.querySelector("table.crosswork-matrix");
    var head = table && table.tHead && table.tHead.rows[0];
    if (!head || head.cells.length < 3) {
      return;
    }
    var rows = Array.prototype.slice.call(table.rows);
    var drivers = [];
    for (var column = 1; column < head.cells.length; column++) {
      var cell = head.cells[column];
      drivers.push({
        column: column,
        key: driverKey(cell) || String(column),
        title: cell.textContent.trim(),
        shown: true,
        cells: rows.map(function (row) { return row.cells[column]; }),
      });
    }
    var original = drivers.slice();
    var wanted = wantedKeys().filter(function (key) {
      return drivers.some(function (d) { return d.key === key; });
    });
    if (wanted.length) {
      drivers.forEach(function (d) { d.shown = wanted.indexOf(d.key) >= 0; });
      drivers.sort(function (a, b) {
        var ia = wanted.indexOf(a.key), ib = wanted.indexOf(b.key);
        return (ia < 0 ? 1e6 + a.column : ia) - (ib < 0 ? 1e6 + b.column : ib);
      });
    }

    var picker = element("details", "", { "class": "crosswork-driver-picker" });
    picker.appendChild(element("summary", "Choose and order the drivers"));
    var fieldset = element("fieldset");
    fieldset.appendChild(element("legend", "Drivers shown, in column order"));
    var list = element("ul");
    fieldset.appendChild(list);
    var reset = element("button", "Show every driver in file order", { type: "button" });
    fieldset.appendChild(reset);
    var status = element("p", "", { "class": "crosswork-driver-status", "aria-live": "polite" });
    fieldset.appendChild(status);
    picker.appendChild(fieldset);
    scroller.parentNode.insertBefore(picker, scroller);

    function apply(focus) {
      rows.forEach(function (row, index) {
        drivers.forEach(function (d) {
          var c = d.cells[index];
          if (c) {
            c.hidden = !d.shown;
            row.appendChild(c);
          }
        });
      });
      list.textContent = "";
      drivers.forEach(function (d, position) {
        list.appendChild(item(d, position));
      });
      var shown = drivers.filter(function (d) { return d.shown; });
      status.textContent = "Showing " + shown.length + " of " + drivers.length + " drivers.";
      remember(shown);
      if (focus) {
        var target = list.querySelector('[data-focus="' + focus + '"]');
        if (target && target.disabled) {
          target = list.querySelector('[data-focus="' + focus.replace(/-(left|right)$/, "") + '"]');
        }
        if (target) {
          target.focus();
        }
      }
    }

    function remember(shown) {
      var url = new URL(window.location.href);
      var everything = shown.length === drivers.length && drivers.every(function (d, i) {
        return d === original[i];
      });
      if (everything) {
        url.searchParams.delete("drivers");
      } else {
        url.searchParams.set("drivers", shown.map(function (d) { return d.key; }).join(","));
        url.search = url.search.replace(/%2C/g, ",");  // keys are [a-z0-9-]
      }
      window.history.replaceState(null, "", url.toString());
    }

    function move(position, step, focus) {
      var other = position + step;
      if (other < 0 || other >= drivers.length) {
        return;
      }
      var d = drivers[position];
      drivers[position] = drivers[other];
      drivers[other] = d;
      apply(focus);
    }

    function item(d, position) {
      var id = "crosswork-driver-" + number + "-" + d.column;
      var li = element("li");
      var box = element("input", "", { type: "checkbox", id: id, "data-focus": id });
      box.checked = d.shown;
      box.addEventListener("change", function () {
        d.shown = box.checked;
        apply(id);
      });
      li.appendChild(box);
      li.appendChild(element("label", d.title, { "for": id }));
      var left = element("button", "\u2191", {
        type: "button",
        "aria-label": "Move " + d.title + " left",
        "data-focus": id + "-left",
      });
      left.disabled = position === 0;
      left.addEventListener("click", function () { move(position, -1, id + "-left"); });
      var right = element("button", "\u2193", {
        type: "button",
        "aria-label": "Move " + d.title + " right",
        "data-focus": id + "-right",
      });
      right.disabled = position === drivers.length - 1;
      right.addEventListener("click", function () { move(position, 1, id + "-right"); });
      li.appendChild(left);
      li.appendChild(right);
      return li;
    }

    reset.addEventListener("click", function () {
      drivers = original.slice();
      drivers.forEach(function (d) { d.shown = true; });
      apply();
    });
    if (wanted.length) {
      picker.open = true;
    }
    apply();
  }

  function start() {
    var scrollers = document.querySelectorAll(".crosswork-matrix-scroll");
    Array.prototype.forEach.call(scrollers, setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
