/* Coding from the keyboard: select a passage, tick themes, save. Every screen also works
   without this script: the passage can be typed or pasted and the themes ticked by hand. */
(function () {
  "use strict";

  function isTyping(element) {
    if (element.isContentEditable && element.hasAttribute("data-coding-text")) return false;
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      return true;
    }
    return element.tagName === "INPUT" && !["checkbox", "radio", "submit", "button"].includes(element.type);
  }

  function codingScreen(text, form) {
    var passage = form.querySelector("[data-coding-passage]");
    var start = form.querySelector("[data-coding-start]");
    var end = form.querySelector("[data-coding-end]");
    var whole = form.querySelector("input[name=whole]");
    var filter = form.querySelector("[data-theme-filter]");
    var status = form.querySelector("[data-filter-status]");
    var items = Array.prototype.slice.call(form.querySelectorAll("[data-theme-name]"));
    var groups = Array.prototype.slice.call(form.querySelectorAll("[data-theme-group]"));

    // Editable only so that the caret moves with the arrow keys; every change is refused.
    text.setAttribute("contenteditable", "true");
    text.setAttribute("role", "textbox");
    text.setAttribute("aria-readonly", "true");
    text.setAttribute("aria-multiline", "true");
    text.setAttribute("aria-label", "The text to code: select the passage");
    text.spellcheck = false;
    ["beforeinput", "paste", "drop", "cut"].forEach(function (name) {
      text.addEventListener(name, function (event) { event.preventDefault(); });
    });
    // The text is what one works on here: start in it, unless a message needs reading first.
    if (!document.querySelector(".error-summary")) {
      text.focus();
      document.getSelection().collapse(text, 0);
    }

    function offsetOf(node, nodeOffset) {
      var range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(node, nodeOffset);
      return range.toString().length;
    }

    document.addEventListener("selectionchange", function () {
      var selection = document.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      var range = selection.getRangeAt(0);
      if (!text.contains(range.commonAncestorContainer)) return;
      var chosen = range.toString();
      var trimmed = chosen.trim();
      if (!trimmed) return;
      var from = offsetOf(range.startContainer, range.startOffset);
      from += chosen.length - chosen.replace(/^\s+/, "").length;
      passage.value = trimmed;
      start.value = from;
      end.value = from + trimmed.length;
      if (whole) whole.checked = false;
    });
    // Typing a passage by hand means the selection no longer says where it is.
    passage.addEventListener("input", function () { start.value = ""; end.value = ""; });

    function say(message) { if (status) status.textContent = message; }
    function labelOf(box) { return form.querySelector("label[for='" + box.id + "']").textContent.trim(); }
    function tick(box, value) {
      box.checked = value;
      say((value ? "Ticked " : "Unticked ") + "“" + labelOf(box).replace(/\s*Suggested$/, "") + "”.");
    }

    function narrow() {
      var words = filter.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        item.hidden = words !== "" && item.getAttribute("data-theme-name").indexOf(words) === -1;
        if (!item.hidden) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-theme-name]:not([hidden])");
      });
      say(words ? shown + (shown === 1 ? " theme matches." : " themes match.") : "");
      return items.filter(function (item) { return !item.hidden; });
    }

    if (filter) {
      filter.addEventListener("input", narrow);
      filter.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.ctrlKey || event.metaKey) return;
        event.preventDefault();  // Enter here picks a theme; it never sends the form
        var shown = narrow();
        if (shown.length !== 1) return;
        var box = shown[0].querySelector("input[type=checkbox]");
        filter.value = "";
        narrow();
        tick(box, true);
      });
    }

    Array.prototype.forEach.call(document.querySelectorAll("[data-use-theme]"), function (button) {
      button.addEventListener("click", function () {
        var box = document.getElementById("theme-" + button.getAttribute("data-use-theme"));
        if (box) tick(box, true);
      });
    });

    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        var button = form.querySelector(event.shiftKey ? "[data-coding-save-next]" : "[data-coding-save]");
        if (form.requestSubmit) form.requestSubmit(button); else button.click();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (/^[1-9]$/.test(event.key)) {
        var box = form.querySelector("[data-suggestion='" + event.key + "']");
        if (!box) return;
        event.preventDefault();
        tick(box, !box.checked);
      } else if (event.key === "/" && filter) {
        event.preventDefault();
        filter.focus();
      }
    });
  }

  function queueList(list) {
    var links = Array.prototype.slice.call(list.querySelectorAll("[data-queue-link]"));
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (event.key !== "j" && event.key !== "k") return;
      var at = links.indexOf(document.activeElement);
      var next = at === -1 ? 0 : at + (event.key === "j" ? 1 : -1);
      if (next < 0 || next >= links.length) return;
      event.preventDefault();
      links[next].focus();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-js-only]"), function (element) {
    element.hidden = false;
  });
  var text = document.querySelector("[data-coding-text]");
  var form = document.getElementById("coding-form");
  if (text && form) codingScreen(text, form);
  var queue = document.querySelector("[data-queue]");
  if (queue) queueList(queue);
}());
