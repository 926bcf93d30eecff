// The comment form on a page for everyone carries no start token (the page is the same for
// every reader). When the reader begins, ask for one of their own; a form sent without one
// comes back from the server with one, to send again (the no-JavaScript path).
document.querySelectorAll("input[name=started][data-start-url]").forEach(function (input) {
  var asked = false;
  function ask() {
    if (asked || input.value) return;
    asked = true;
    fetch(input.dataset.startUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (token) { input.value = token.trim(); })
      .catch(function () { asked = false; });
  }
  input.form.addEventListener("focusin", ask);
  input.form.addEventListener("input", ask);
});
