/* Suggestions on the registration form of incoming documents (search/suggest.py).
   When the clerk chooses the PDF, it is sent to @@goi-y-van-ban-den (nothing is saved);
   the values read from its first page go into the EMPTY fields only, each marked
   "gợi ý" until the clerk changes or confirms it. The form is saved only by the clerk. */
(function () {
  "use strict";
  var form = document.getElementById("qlvb-incoming-form");
  if (!form) { return; }
  var input = form.querySelector("#file");
  var status = document.getElementById("qlvb-suggest-status");
  var url = form.getAttribute("data-suggest-url");
  function clearMarks() {
    // suggestions of a previous file the clerk left untouched are taken back
    form.querySelectorAll(".qlvb-suggested").forEach(function (el) {
      el.value = "";
      el.classList.remove("qlvb-suggested");
    });
    form.querySelectorAll(".qlvb-suggestion-badge").forEach(function (el) { el.remove(); });
  }
  function mark(field, label) {
    field.classList.add("qlvb-suggested");
    var badge = document.createElement("span");
    badge.className = "badge text-bg-warning ms-2 qlvb-suggestion-badge";
    badge.textContent = label;
    var lab = form.querySelector('label[for="' + field.id + '"]');
    if (lab) { lab.appendChild(badge); }
    field.addEventListener("input", function () {
      field.classList.remove("qlvb-suggested");
      badge.remove();
    }, { once: true });
  }
  input.addEventListener("change", function () {
    clearMarks();
    if (!input.files || !input.files.length || !url) { return; }
    var data = new FormData();
    data.append("file", input.files[0]);
    data.append("_authenticator", form.querySelector('input[name="_authenticator"]').value);
    status.hidden = false;
    status.className = "alert alert-info mt-1";
    status.textContent = status.getAttribute("data-reading");
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.error) {
          status.className = "alert alert-warning mt-1";
          status.textContent = answer.error;
          return;
        }
        var filled = 0;
        Object.keys(answer.suggestions).forEach(function (name) {
          var field = form.querySelector('[name="' + name + '"]');
          if (!field || field.value) { return; }  // never overwrite what the clerk typed
          field.value = answer.suggestions[name];
          if (field.value !== answer.suggestions[name]) { return; }  // not a choice of the list
          field.dispatchEvent(new Event("change", { bubbles: true }));
          mark(field, answer.label);
          filled += 1;
        });
        status.className = filled ? "alert alert-warning mt-1 qlvb-suggest-done" : "alert alert-info mt-1";
        status.textContent = filled ? answer.message : status.getAttribute("data-none");
      })
      .catch(function () { status.hidden = true; });
  });
}());
