// Public answer forms: show a question only when the earlier answer it depends on is chosen.
// Without JavaScript every question shows, with a note saying when to answer it; the server
// drops answers whose condition is not met either way.
(function () {
  "use strict";
  var form = document.querySelector("form.answer-form");
  if (!form) { return; }
  var dependents = form.querySelectorAll("[data-show-if]");
  if (!dependents.length) { return; }

  function chosen(name) {
    var values = [];
    var inputs = form.querySelectorAll("[name='" + name + "'], [name^='" + name + "-']");
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.tagName === "SELECT" && input.value) {
        values.push(input.name.slice(name.length + 1));  // a ranked option counts as chosen
      }
    });
    return values;
  }

  function isShown(element) {
    return !element.closest("[data-show-if]") || !element.closest("[data-show-if]").hidden;
  }

  function update() {
    Array.prototype.forEach.call(dependents, function (question) {
      var source = form.querySelector("[name='" + question.getAttribute("data-show-if") + "']," +
        "[name^='" + question.getAttribute("data-show-if") + "-']");
      var wanted = question.getAttribute("data-show-if-values").split(" ");
      var answers = chosen(question.getAttribute("data-show-if"));
      var met = answers.some(function (value) { return wanted.indexOf(value) !== -1; });
      question.hidden = !(met && source && isShown(source));
    });
    // Number the questions on show, so a hidden one leaves no gap.
    var number = 0;
    Array.prototype.forEach.call(form.querySelectorAll(":scope > .question"), function (question) {
      var label = question.querySelector(".question-number");
      if (!question.hidden && label) {
        number += 1;
        label.textContent = number + ".";
      }
    });
  }

  form.classList.add("has-conditions");
  form.addEventListener("change", update);
  update();
}());
