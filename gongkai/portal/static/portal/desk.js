/* Small helpers for the application forms. Every form works without them (the CSP allows
   only this file, no inline code). */
(function () {
  "use strict";

  // A search box above a long select (data-filter): keeps the options whose text matches.
  // Options are rebuilt rather than hidden, because mobile pickers ignore hidden options.
  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    var original = Array.prototype.map.call(select.children, function (node) {
      return node.cloneNode(true);
    });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.placeholder = document.documentElement.lang === "en" ? "Search by name" : "输入名称查找";
    box.setAttribute("aria-label", box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.trim();
      var chosen = select.value;
      select.textContent = "";
      original.forEach(function (node) {
        if (node.tagName === "OPTGROUP") {
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            if (!words || option.textContent.indexOf(words) !== -1 || node.label.indexOf(words) !== -1) {
              group.appendChild(option.cloneNode(true));
            }
          });
          if (group.children.length) select.appendChild(group);
        } else if (!words || !node.value || node.textContent.indexOf(words) !== -1) {
          select.appendChild(node.cloneNode(true));
        }
      });
      select.value = chosen;
      if (select.value !== chosen) select.selectedIndex = 0;
      var matches = select.querySelectorAll("option[value]:not([value=''])");
      if (words && matches.length === 1) select.value = matches[0].value;
    });
  });

  // Applicant kind: show the identity fields of a person or of an organization.
  document.querySelectorAll("[data-kind-switch]").forEach(function (group) {
    var form = group.closest("form");
    function update() {
      var checked = group.querySelector("input:checked");
      if (!checked) return;
      var kind = checked.value === "person" ? "person" : "org";
      form.querySelectorAll("[data-kind]").forEach(function (block) {
        block.hidden = block.getAttribute("data-kind") !== kind;
      });
    }
    group.addEventListener("change", update);
    update();
  });

  // Decision form: the withheld parts only for 部分公开, and a button to add a row.
  document.querySelectorAll("[data-withheld]").forEach(function (fieldset) {
    var form = fieldset.closest("form");
    var decision = form.querySelector("select[name$='-decision']");
    function update() {
      fieldset.hidden = decision.value !== "partial" && !fieldset.querySelector(".field-error");
    }
    if (decision) {
      decision.addEventListener("change", update);
      update();
    }
    var total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
    var template = fieldset.querySelector("template[data-row-template]");
    fieldset.querySelector("[data-add-row]").addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      fieldset.querySelector("[data-rows]").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
