/* "Thêm dòng": one more empty row in a table of rows (external recipients). */
(function () {
  "use strict";
  document.querySelectorAll(".qlvb-external-add").forEach(function (button) {
    if (button.dataset.ready) { return; }
    button.dataset.ready = "1";
    button.addEventListener("click", function () {
      var body = button.parentNode.querySelector("tbody");
      var last = body.querySelector("tr:last-child");
      var row = last.cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      body.appendChild(row);
      row.querySelector("input").focus();
    });
  });
})();
