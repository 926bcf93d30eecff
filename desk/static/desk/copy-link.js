// Copy buttons beside fields holding a link to share (the preview links of an article).
// Without JavaScript the buttons stay hidden and the field itself can be selected and copied.
// With it, a button copies through the Clipboard API; where the browser refuses (no secure
// context, no permission), the field's text is selected for the person to copy.
(function () {
  "use strict";

  function say(button, text) {
    const status = button.parentElement.querySelector(".copy-status");
    if (status) {
      status.textContent = text;
    }
  }

  function reveal() {
    document.querySelectorAll("button.copy-button[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", async function (event) {
    const button = event.target.closest("button.copy-button");
    const field = button && document.getElementById(button.dataset.copy);
    if (!field) {
      return;
    }
    try {
      await navigator.clipboard.writeText(field.value);
      say(button, "Copied.");
    } catch (refused) {
      field.focus();
      field.select();
      say(button, "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches(".copy-source")) {
      event.target.select();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
