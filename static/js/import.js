/* The import page's paste box: keep the HTML flavour of a paste, which cleans better than its plain text.
 *
 * A browser's copy holds the page as text/html beside text/plain. On paste into an empty (or wholly
 * selected) box, the HTML goes into the hidden content_html field and a note says so; the server
 * cleans it as a web page and falls back to the plain text when it yields nothing. Editing the text
 * by hand, or the note's button, drops the HTML: what the box shows is then what is cleaned.
 * Listeners sit on the document because htmx swaps the form after an error.
 */
(function () {
  "use strict";

  function parts(area) {
    var form = area.form;
    if (!form) return null;
    var field = form.querySelector('input[name="content_html"]');
    var note = form.querySelector("#paste-note");
    return field && note ? { field: field, note: note } : null;
  }

  function setHtml(area, html) {
    var found = parts(area);
    if (!found) return;
    found.field.value = html;
    found.note.hidden = !html;
  }

  function isPasteBox(target) {
    return target && target.id === "field-content" && target.tagName === "TEXTAREA";
  }

  document.addEventListener("paste", function (event) {
    var area = event.target;
    if (!isPasteBox(area)) return;
    var replacesAll = !area.value.trim() || (area.selectionStart === 0 && area.selectionEnd === area.value.length);
    var html = event.clipboardData ? event.clipboardData.getData("text/html") : "";
    setHtml(area, replacesAll && html.trim() ? html : "");
  });

  document.addEventListener("input", function (event) {
    var area = event.target;
    if (isPasteBox(area) && event.inputType !== "insertFromPaste") setHtml(area, "");
  });

  // A file over the limit is refused here, before its upload, with the same words as the server's.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.dataset.maxBytes || !input.form) return;
    var limit = Number(input.dataset.maxBytes);
    var file = input.files && input.files[0];
    var old = input.form.querySelector("[data-size-error]");
    if (old) old.remove();
    if (file && file.size > limit) {
      var message = "The file " + file.name + " is " + (file.size / 1048576).toFixed(1) +
        " MB, larger than the limit of " + Math.floor(limit / 1048576) + " MB.";
      input.setCustomValidity(message);
      var note = document.createElement("p");
      note.className = "flash flash-error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-size-error", "");
      note.textContent = message;
      input.parentNode.insertBefore(note, input);
    } else {
      input.setCustomValidity("");
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-paste-plain]");
    if (!button || !button.form) return;
    var area = button.form.querySelector("#field-content");
    if (area) {
      setHtml(area, "");
      area.focus();
    }
  });
})();
