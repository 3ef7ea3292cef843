// Errors never lose work. htmx 4 swaps error responses like any other, so the server's one error
// fragment (a 413, a 500, a refused step: marked by its X-Workbench-Error header) would replace
// the form the user was typing in. Instead the form stays as it is, with the message shown at its
// top; a dropped connection says so the same way. Views that answer an error with the form
// re-rendered around the user's input send no such header and are swapped as usual.
(() => {
  "use strict";

  const LOST = "The connection to the server was lost before it answered. Nothing you typed is lost: try again.";

  function placeFor(source) {
    const form = source?.closest?.("form") ?? (source?.tagName === "FORM" ? source : null);
    return form ?? document.getElementById("flash-area");
  }

  function show(source, message, kind = "error") {
    const place = placeFor(source);
    if (!place) return;
    place.querySelector(":scope > [data-request-error]")?.remove();
    const note = document.createElement("p");
    note.className = `flash flash-${kind}`;
    note.setAttribute("role", kind === "error" ? "alert" : "status");
    note.dataset.requestError = "";
    note.textContent = message;
    place.prepend(note);
  }

  function messageOf(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    return doc.querySelector(".flash-error")?.textContent.trim() || doc.body.textContent.trim();
  }

  document.addEventListener("htmx:before:request", (event) => {
    placeFor(event.detail?.ctx?.sourceElement)?.querySelector(":scope > [data-request-error]")?.remove();
  });

  // What the user typed in the fields an error answer replaces (by field id), put back after it:
  // a refused step re-renders the claim panel, and a comment half written elsewhere in it stays.
  const FIELDS = "textarea[id], input[id]:not([type=hidden]):not([type=file]):not([type=checkbox]):not([type=radio]), select[id]";
  let typed = null;

  function typedIn(target) {
    const found = new Map();
    for (const field of target?.querySelectorAll?.(FIELDS) ?? []) {
      const changed = field.tagName === "SELECT"
        ? Array.from(field.options).some((o) => o.selected !== o.defaultSelected)
        : field.value !== field.defaultValue;
      if (changed) found.set(field.id, field.value);
    }
    return found;
  }

  function putBack(found) {
    for (const [id, value] of found) {
      const field = document.getElementById(id);
      if (!field || !field.matches(FIELDS)) continue;
      const untouched = field.tagName === "SELECT" ? true : field.value === field.defaultValue;
      if (untouched && field.value !== value) field.value = value;
    }
  }

  document.addEventListener("htmx:before:swap", (event) => {
    const ctx = event.detail?.ctx;
    if (!ctx?.response || ctx.response.status < 400) return;
    if (ctx.response.headers.get("X-Workbench-Error") === "inline") {
      event.preventDefault();
      show(ctx.sourceElement, messageOf(ctx.text || "") || `The server answered ${ctx.response.status}.`);
      return;
    }
    typed = typedIn(ctx.target);
  });

  document.addEventListener("htmx:after:swap", () => {
    if (typed) putBack(typed);
    typed = null;
  });

  // Long work (a fetch, a PDF) can be stopped: the request is dropped and the form stays as it was.
  document.addEventListener("click", (event) => {
    const cancel = event.target.closest?.("[data-cancel-request]");
    const form = cancel?.closest("form");
    if (!form) return;
    form.dispatchEvent(new CustomEvent("htmx:abort"));
    show(form, "Stopped: nothing was saved, and what you typed is still here.", "info");
  });

  document.addEventListener("htmx:error", (event) => {
    const ctx = event.detail?.ctx;
    if (!ctx || ctx.response) return; // a response came back: not a dropped connection
    show(ctx.sourceElement, LOST);
  });
})();
