// Suggestions for the site's search box: an ARIA 1.2 combobox with a listbox popup.
// Progressive enhancement only: without this script the box is a plain search form.
(function () {
  "use strict";

  var DELAY = 150;
  var MIN_LENGTH = 2;

  function kindLabel(kind) {
    return kind === "person" ? "Person" : "Organization";
  }

  function enhance(input) {
    var endpoint = input.getAttribute("data-suggest");
    var form = input.form;
    if (!endpoint || !form || !window.fetch) return;

    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.classList.add("has-suggestions");
    form.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function setActive(index) {
      var all = options();
      active = index;
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      if (!results.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function render(data) {
      results = (data && data.results) || [];
      list.textContent = "";
      active = -1;
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "search-suggestions__name";
        name.textContent = result.name;
        option.appendChild(name);
        var meta = document.createElement("span");
        meta.className = "search-suggestions__meta";
        meta.textContent =
          kindLabel(result.kind) + (result.alias !== result.name ? " · " + result.alias : "");
        option.appendChild(meta);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box
        });
        option.addEventListener("click", function () {
          window.location.assign(result.url);
        });
        list.appendChild(option);
      });
      if (results.length) {
        open();
        status.textContent =
          results.length + (results.length === 1 ? " suggestion" : " suggestions") +
          ". Use the up and down arrows to choose.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        render(null);
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = endpoint + "?q=" + encodeURIComponent(query);
      fetch(url, {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (input.value.trim() === query) render(data);
        })
        .catch(function () {
          /* aborted or offline: the plain form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      if (event.key === "ArrowDown") {
        if (!count) return;
        event.preventDefault();
        if (list.hidden) open();
        setActive(active + 1 >= count ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!count) return;
        event.preventDefault();
        if (list.hidden) open();
        setActive(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && results[active]) {
          event.preventDefault();
          window.location.assign(results[active].url);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          render(null);
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
