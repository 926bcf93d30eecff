// Click-to-load embeds (images/embeds.py): until the reader asks, nothing loads from the provider.
// Each facade gets a button; pressing it swaps in the provider's iframe. Without this script the
// facade is a plain link to the post, video or chart.
(function () {
  "use strict";
  function load(figure) {
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-embed-src");
    frame.title = figure.getAttribute("data-embed-title") || "Embedded content";
    frame.className = "embed-frame";
    frame.setAttribute("allow", "fullscreen; picture-in-picture");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var button = figure.querySelector(".embed-load");
    figure.insertBefore(frame, figure.firstChild);
    if (button) button.remove();
    figure.classList.add("embed-loaded");
    frame.focus();
  }
  document.querySelectorAll("figure.embed[data-embed-src]").forEach(function (figure) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed-load";
    var title = figure.getAttribute("data-embed-title") || "Embedded content";
    button.textContent = "Show the " + title.charAt(0).toLowerCase() + title.slice(1) + " here";
    button.addEventListener("click", function () { load(figure); });
    figure.insertBefore(button, figure.firstChild);
  });
})();
