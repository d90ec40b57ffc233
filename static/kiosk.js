// Kiosk pages: clear a form left idle, return to a blank form after "thank you", and never let
// Back show the previous person's answers. Timings come from data-kiosk-* attributes on <body>.
(function () {
  "use strict";
  var body = document.body;
  var resetUrl = body.getAttribute("data-kiosk-reset-url");
  if (!resetUrl) { return; }

  function seconds(name, fallback) {
    var value = Number(body.getAttribute("data-kiosk-" + name + "-seconds"));
    return value > 0 ? value : fallback;
  }

  // Empty every field, not just back to what the page was sent with: after an error the page
  // arrives holding the person's answers.
  function clearForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.type === "hidden" || element.type === "submit" || element.type === "button") {
          return;
        }
        if (element.type === "radio" || element.type === "checkbox") {
          element.checked = false;
        } else if (element.tagName === "SELECT") {
          element.selectedIndex = 0;
        } else {
          element.value = "";
        }
      });
    });
  }

  function startAgain() {
    clearForms();
    window.location.replace(resetUrl);  // replace: Back cannot return to this page
  }

  // A page brought back from the browser's memory (Back, Forward) starts afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { startAgain(); }
  });
  // Leaving the page (after Send, too) empties it, so no copy of the answers stays behind.
  window.addEventListener("pagehide", clearForms);

  Array.prototype.forEach.call(document.querySelectorAll("[data-kiosk-reset]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      startAgain();
    });
  });

  // The thank-you page: back to a blank form a little before the <meta> refresh would.
  if (body.hasAttribute("data-kiosk-return-seconds")) {
    window.setTimeout(startAgain, Math.max(seconds("return", 8) * 1000 - 500, 0));
    return;
  }

  var warning = document.getElementById("kiosk-warning");
  if (!warning) { return; }
  var countdown = warning.querySelector("[data-kiosk-countdown]");
  var stay = warning.querySelector("[data-kiosk-stay]");
  var idleSeconds = seconds("idle", 60);
  var warningSeconds = seconds("warning", 20);
  var isDirty = body.hasAttribute("data-kiosk-dirty");
  var idleTimer = null;
  var tickTimer = null;

  function warn() {
    if (!isDirty) { restartIdle(); return; }  // a blank form has nothing to clear
    var left = warningSeconds;
    countdown.textContent = String(left);
    warning.hidden = false;
    stay.focus();
    tickTimer = window.setInterval(function () {
      left -= 1;
      countdown.textContent = String(Math.max(left, 0));
      if (left <= 0) {
        window.clearInterval(tickTimer);
        startAgain();
      }
    }, 1000);
  }

  function restartIdle() {
    window.clearTimeout(idleTimer);
    window.clearInterval(tickTimer);
    warning.hidden = true;
    idleTimer = window.setTimeout(warn, idleSeconds * 1000);
  }

  ["input", "change"].forEach(function (name) {
    document.addEventListener(name, function () { isDirty = true; }, true);
  });
  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    document.addEventListener(name, restartIdle, { capture: true, passive: true });
  });
  stay.addEventListener("click", restartIdle);
  restartIdle();
}());
