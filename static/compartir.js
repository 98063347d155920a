// «Compartir» on a record page, without any third-party script:
// - where the phone offers it (Web Share API), the button opens the phone's own share
//   sheet (WhatsApp, mail, SMS...);
// - otherwise it opens a panel with a WhatsApp link (https://wa.me/?text=, opened only if
//   the reader taps it) and a button that copies the page's address.
// Without JavaScript the panel still opens (it is a <details>), with the WhatsApp link and
// the address in a field the reader can copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("details.compartir").forEach(function (box) {
    var summary = box.querySelector("summary");
    var address = box.getAttribute("data-enlace") || window.location.href;
    var title = box.getAttribute("data-titulo") || document.title;
    var copy = box.querySelector("[data-copiar]");
    var field = box.querySelector(".enlace-pagina");
    var status = box.querySelector(".estado-copia");
    if (!summary) { return; }

    if (typeof navigator.share === "function") {
      summary.addEventListener("click", function (event) {
        event.preventDefault();
        navigator.share({ title: title, url: address }).catch(function (error) {
          // The reader closed the share sheet: nothing to do. Anything else: the panel.
          if (!error || error.name !== "AbortError") { box.open = true; }
        });
      });
    }

    function say(text) { if (status) { status.textContent = text; } }

    function copyByHand() {
      if (!field) { return false; }
      field.focus();
      field.select();
      try { return document.execCommand("copy"); } catch (error) { return false; }
    }

    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var done = function () { say("Enlace copiado. Pégalo donde quieras compartirlo."); };
        var failed = function () {
          if (copyByHand()) { done(); } else { say("No se pudo copiar: selecciona el enlace de la casilla y cópialo."); }
        };
        if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
          navigator.clipboard.writeText(address).then(done, failed);
        } else {
          failed();
        }
      });
    }
  });
})();
