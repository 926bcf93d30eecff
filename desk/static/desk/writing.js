// The writing desk on the article form (desk/admin/writing.py, desk/writing/desk.html): a live
// preview beside the body with its length and the pre-publish checklist, Ctrl/Cmd+S to save,
// autosave every 30 seconds and on leaving a field, a restore offer, a warning before leaving
// with unsaved changes, and who else has the article open. Without this script the form works
// as before: the server renders the presence notice and the Markdown help.
(function () {
  "use strict";

  var PREVIEW_DELAY = 600; // ms after the last keystroke
  var SKIPPED = /^(csrfmiddlewaretoken|loaded_version)$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  // The desk's requests go one after another: each answer reflects the one before, and the
  // server gets at most one request at a time from a form. A request sent as the page goes
  // (keepalive) cannot wait its turn.
  var queue = Promise.resolve();
  function post(url, body, options) {
    function send() {
      return fetch(url, Object.assign({
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }, options || {})).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        // A session that ended sends the login page instead.
        if (!json) throw new Error(response.ok ? "log in again in another tab" : "HTTP " + response.status);
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || "HTTP " + response.status);
          return answer;
        });
      });
    }
    if (options && options.keepalive) return send();
    var result = queue.then(send, send);
    queue = result.catch(function () {});
    return result;
  }

  // The form as it would be submitted, without files (they cannot be kept or previewed), and
  // with the label of each chosen option, so a restore can show choices the page has no option
  // for (the autocomplete selects load theirs as you type).
  function formData(form) {
    var data = new FormData(form);
    Array.from(data.keys()).forEach(function (name) {
      if (data.getAll(name).some(function (value) { return value instanceof File; })) {
        data.delete(name);
      }
    });
    form.querySelectorAll("select[name]").forEach(function (select) {
      Array.from(select.selectedOptions).forEach(function (option) {
        if (option.value) data.append("_label:" + select.name, option.text);
      });
    });
    return data;
  }

  function fingerprint(form) {
    var parts = [];
    formData(form).forEach(function (value, name) {
      if (!SKIPPED.test(name) && name.indexOf("_label:") !== 0) parts.push(name + "=" + value);
    });
    return parts.join("\u0000");
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }

  function setUp(desk, form) {
    var body = form.querySelector("textarea[name=body]");
    var live = desk.querySelector(".writing-live");
    var help = desk.querySelector(".writing-help");
    var figures = desk.querySelector(".writing-figures");
    var status = desk.querySelector(".writing-status");
    var host = desk.querySelector(".writing-preview");
    var loadedVersion = form.querySelector("input[name=loaded_version]");
    var submitting = false;
    var saved = null; // fingerprint of the form as loaded (or last saved)
    var kept = null; // fingerprint of what autosave last kept

    // The preview lives in its own shadow tree with the site's stylesheets, so the reader site's
    // styles and the admin's never meet.
    var bodyRow = body.closest(".form-row");
    var split = document.createElement("div");
    split.className = "writing-split";
    bodyRow.parentNode.insertBefore(split, bodyRow);
    split.appendChild(bodyRow);
    split.appendChild(live);
    bodyRow.appendChild(help);
    live.hidden = false;
    var shadow = host.attachShadow({ mode: "open" });
    desk.dataset.stylesheets.split(" ").forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      shadow.appendChild(link);
    });
    var page = document.createElement("div");
    page.className = "writing-preview-page";
    shadow.appendChild(page);

    // Live preview, figures and checklist.
    var timer = null;
    var busy = false; // one request at a time; what is typed meanwhile goes in the next one
    var again = false;
    function refresh() {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      again = false;
      post(desk.dataset.previewUrl, formData(form)).then(function (answer) {
        page.innerHTML = answer.html;
        figures.textContent = answer.figures;
        var list = form.querySelector(".field-prepublish_checklist .readonly");
        if (list && answer.checklist) list.innerHTML = answer.checklist;
        var words = form.querySelector(".field-word_count .readonly");
        if (words) words.textContent = answer.words;
        var minutes = form.querySelector(".field-reading_time .readonly");
        if (minutes) minutes.textContent = answer.reading_time;
        if (!again) host.dataset.state = "current";
        if (status.textContent.indexOf("The preview") === 0) status.textContent = "";
      }).catch(function (problem) {
        status.textContent = "The preview could not be updated: " + problem.message;
      }).then(function () {
        busy = false;
        if (again) refresh();
      });
    }
    function soon() {
      host.dataset.state = "stale";
      clearTimeout(timer);
      timer = setTimeout(refresh, PREVIEW_DELAY);
    }
    form.addEventListener("input", soon);
    form.addEventListener("change", soon);
    refresh();

    // Ctrl/Cmd+S: save and continue editing, as the button does.
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        var button = form.querySelector("input[name=_continue]") || form.querySelector("input[name=_save]");
        if (button) form.requestSubmit(button);
      }
    });

    // Leaving with unsaved changes asks first, unless the form is being submitted.
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || saved === null || fingerprint(form) === saved) return;
      event.preventDefault();
      event.returnValue = "";
    });

    // Autosave: every so often and when a field loses focus or the tab is hidden, if anything
    // changed since the last time.
    function autosave(options) {
      if (submitting || saved === null) return;
      var now = fingerprint(form);
      if (now === (kept === null ? saved : kept)) return;
      var data = formData(form);
      if (loadedVersion) data.set("loaded_version", loadedVersion.value);
      post(desk.dataset.autosaveUrl, data, options).then(function (answer) {
        kept = now;
        status.textContent = "Autosaved at " + answer.clock + ", for you only: save to keep it.";
      }).catch(function (problem) {
        status.textContent = "Not autosaved: " + problem.message;
      });
    }
    setInterval(autosave, Number(desk.dataset.autosaveSeconds) * 1000);
    form.addEventListener("focusout", function (event) {
      // Focus moving to Save means the form is about to be sent: the save keeps it.
      var next = event.relatedTarget;
      if (next && next.type === "submit" && next.form === form) return;
      autosave();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") autosave({ keepalive: true });
    });

    offerRestore(desk, form, function () {
      kept = null; // what is on the server now is the autosave restored
      soon();
    });

    // Judge "unsaved" against the form once every other script has set it up.
    if (document.readyState === "complete") saved = fingerprint(form);
    else window.addEventListener("load", function () { saved = fingerprint(form); });
  }

  function offerRestore(desk, form, restored) {
    var offer = desk.querySelector(".writing-restore");
    var source = document.getElementById("writing-autosave-data");
    if (!offer || !source) return;
    var data = JSON.parse(source.textContent);
    offer.hidden = false;
    offer.querySelector(".writing-restore-button").addEventListener("click", function () {
      fill(form, data);
      offer.hidden = true;
      desk.querySelector(".writing-status").textContent = "Your changes are back in the form: save to keep them.";
      restored();
    });
    offer.querySelector(".writing-dismiss-button").addEventListener("click", function () {
      post(desk.dataset.discardUrl, new FormData(form)).then(function () {
        offer.hidden = true;
      }).catch(function (problem) {
        desk.querySelector(".writing-status").textContent = "Could not dismiss them (" + problem.message + ").";
      });
    });
  }

  // Put kept values back in the form: inline rows added first (with the admin's own "Add
  // another"), then each field the form has, hidden bookkeeping fields left as they are.
  function fill(form, data) {
    Object.keys(data).forEach(function (name) {
      var match = /^(.+)-TOTAL_FORMS$/.exec(name);
      var total = match && form.querySelector("input[name='" + name + "']");
      if (!total) return;
      var add = document.querySelector("#" + CSS.escape(match[1]) + "-group .add-row a");
      var missing = Number(data[name][0]) - Number(total.value);
      for (var i = 0; i < missing && add; i++) add.click();
    });
    Array.from(form.elements).forEach(function (field) {
      var name = field.name;
      if (!name || field.type === "hidden" || field.type === "file" || SKIPPED.test(name)) return;
      if (field.type === "submit" || field.type === "button") return;
      var values = data[name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT") {
        var labels = data["_label:" + name] || [];
        values.forEach(function (value, index) {
          var known = Array.from(field.options).some(function (option) { return option.value === value; });
          if (!known) field.appendChild(new Option(labels[index] || value, value));
        });
        Array.from(field.options).forEach(function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else if (name in data) {
        field.value = values[0] || "";
      } else {
        return;
      }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      if (window.django && django.jQuery) django.jQuery(field).trigger("change");
      else field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  // Presence: a heartbeat says this person has the article open and answers who is editing it.
  function watchPresence(desk, form) {
    var notice = desk.querySelector(".writing-presence");
    var text = desk.querySelector(".writing-presence-text");
    var takeOver = desk.querySelector(".writing-take-over");
    var loadedVersion = form.querySelector("input[name=loaded_version]");
    var wasHolder = false;
    var timer = null;

    function say(parts) {
      text.textContent = "";
      parts.forEach(function (part) {
        var node = part.strong ? document.createElement("strong") : document.createTextNode(part.text);
        if (part.strong) node.textContent = part.text;
        text.appendChild(node);
      });
    }

    function show(answer) {
      var holder = answer.holder;
      var lines = [];
      if (holder && !holder.you) {
        if (wasHolder) {
          lines.push({ strong: true, text: holder.name }, { text: " took over editing at " + holder.clock + ". " +
            "If you save now and they save first, your save is refused; copy what you need to keep." });
        } else {
          lines.push({ strong: true, text: holder.name }, { text: " has been editing since " + holder.clock + ". " +
            "The first save wins: if they save before you, your save is refused, so agree who writes, or take over." });
        }
      } else if (answer.others.length) {
        lines.push({ text: answer.others.join(", ") + (answer.others.length === 1 ? " has" : " have") +
          " this article open too; you are the one editing it." });
      }
      if (answer.saved_by !== undefined && loadedVersion && answer.saved_at !== loadedVersion.value) {
        lines.push({ text: " " }, { strong: true, text: (answer.saved_by || "Someone") + " saved the article at " +
          answer.saved_clock + ", after you opened it." }, { text: " Reload to see their version; your unsaved changes are autosaved and will be offered back." });
      }
      say(lines);
      notice.hidden = lines.length === 0;
      if (takeOver) takeOver.hidden = !(holder && !holder.you);
      wasHolder = Boolean(holder && holder.you);
    }

    function beat(takingOver) {
      var data = new FormData();
      data.set("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      if (loadedVersion) data.set("loaded_version", loadedVersion.value);
      if (takingOver) data.set("take_over", "1");
      return post(desk.dataset.presenceUrl, data).then(function (answer) {
        show(answer);
        clearTimeout(timer);
        timer = setTimeout(beat, answer.heartbeat * 1000);
      }).catch(function () {
        clearTimeout(timer);
        timer = setTimeout(beat, 20000);
      });
    }

    if (takeOver) takeOver.addEventListener("click", function () { beat(true); });
    beat(false);
  }

  function start() {
    var desk = document.querySelector(".writing-desk");
    var form = desk && desk.closest("form");
    if (!form || !desk.dataset.previewUrl || !form.querySelector("textarea[name=body]")) return;
    setUp(desk, form);
    if (desk.dataset.presenceUrl) watchPresence(desk, form);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
