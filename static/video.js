// Video facade: the YouTube player (about 540 KB) and any request to a third party are made
// only after the reader presses play; without JavaScript the facade is a plain link.
(function () {
  "use strict";
  document.querySelectorAll(".video[data-embed]").forEach(function (box) {
    var link = box.querySelector(".video-portada");
    if (!link) { return; }
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.setAttribute("src", box.getAttribute("data-embed"));
      frame.setAttribute("title", "Video: " + (box.getAttribute("data-titulo") || ""));
      frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      link.replaceWith(frame);
      frame.focus();
    });
  });
})();
