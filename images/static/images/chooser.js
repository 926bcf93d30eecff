// The picture chooser (images/widgets.py): a preview of the chosen library picture, and a drop
// zone that uploads a new picture into the library, alt text required, and chooses it. Without
// this script the autocomplete still chooses and the library's own form still uploads.
(function () {
  "use strict";

  function csrfToken(element) {
    var form = element.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUp(chooser) {
    var select = chooser.querySelector("select");
    var chosen = chooser.querySelector(".image-chooser-chosen");
    var preview = chooser.querySelector(".image-chooser-preview");
    var idText = chooser.querySelector(".image-chooser-id");
    var drop = chooser.querySelector(".image-chooser-drop");
    var details = chooser.querySelector(".image-chooser-details");
    var fileInput = chooser.querySelector("input[type=file]");
    var alt = chooser.querySelector(".image-chooser-alt");
    var credit = chooser.querySelector(".image-chooser-credit");
    var button = chooser.querySelector(".image-chooser-upload");
    var status = chooser.querySelector(".image-chooser-status");
    var fileName = chooser.querySelector(".image-chooser-filename");
    var file = null;

    function showChosen() {
      var id = select.value;
      chosen.hidden = !id;
      if (!id) return;
      if (!preview) {
        // An image needs an address, so the page has none until a picture is chosen.
        preview = document.createElement("img");
        preview.className = "image-chooser-preview";
        preview.width = 320;
        preview.alt = "Preview of the chosen picture";
        chosen.prepend(preview);
      }
      preview.src = chooser.dataset.thumbnailUrl.replace("/0/", "/" + id + "/");
      idText.textContent = id;
    }

    function choose(id, label) {
      var option = new Option(label, id, true, true);
      select.appendChild(option);
      if (window.django && django.jQuery) {
        django.jQuery(select).val(id).trigger("change");
      } else {
        select.value = id;
        select.dispatchEvent(new Event("change"));
      }
      showChosen();
    }

    function take(picked) {
      if (!picked) return;
      file = picked;
      fileName.textContent = "Picture: " + picked.name;
      details.hidden = false;
      status.textContent = "";
      alt.focus();
    }

    function upload() {
      if (!file) return;
      if (!alt.value.trim()) {
        status.textContent = "Describe the picture in the alt text first.";
        alt.focus();
        return;
      }
      var data = new FormData();
      data.append("upload", file);
      data.append("alt_text", alt.value.trim());
      data.append("credit", credit.value.trim());
      button.disabled = true;
      status.textContent = "Uploading " + file.name + "…";
      fetch(chooser.dataset.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(chooser), "Accept": "application/json"}
      }).then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      }).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          var messages = [];
          Object.keys(result.body.errors || {}).forEach(function (field) {
            result.body.errors[field].forEach(function (error) { messages.push(error.message); });
          });
          status.textContent = "Not added: " + (messages.join(" ") || "the upload failed.");
          return;
        }
        choose(String(result.body.id), result.body.text);
        status.textContent = "Added “" + result.body.text + "” to the library and chose it.";
        details.hidden = true;
        alt.value = credit.value = "";
        fileInput.value = "";
        file = null;
      }).catch(function () {
        button.disabled = false;
        status.textContent = "Not added: the server could not be reached. Try again.";
      });
    }

    drop.hidden = false;
    if (window.django && django.jQuery) {
      django.jQuery(select).on("change", showChosen);
    } else {
      select.addEventListener("change", showChosen);
    }
    fileInput.addEventListener("change", function () { take(fileInput.files[0]); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) {
        event.preventDefault();
        drop.classList.add("image-chooser-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("image-chooser-over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      take(event.dataTransfer.files[0]);
    });
    button.addEventListener("click", upload);
    alt.addEventListener("keydown", function (event) {
      // Enter would submit the article form; here it adds the picture.
      if (event.key === "Enter") { event.preventDefault(); upload(); }
    });
  }

  function start() {
    document.querySelectorAll(".image-chooser").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
