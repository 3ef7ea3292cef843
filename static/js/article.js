// Article page: turn a selection into a claim, open claims from their highlights.
// Positions are Unicode code points of the canonical text (paragraphs joined by a blank
// line); the browser counts UTF-16 code units, so offsets are converted here.
(() => {
  "use strict";

  const ARTICLE = "article-text";
  let cachedChars = null; // the canonical text as an array of code points

  const article = () => document.getElementById(ARTICLE);
  const paragraphs = () => Array.from(article()?.querySelectorAll("p[data-offset]") ?? []);

  function canonicalChars() {
    if (cachedChars === null) {
      cachedChars = Array.from(paragraphs().map((p) => p.textContent).join("\n\n"));
    }
    return cachedChars;
  }

  const countCodePoints = (text) => {
    let n = 0;
    for (const _ of text) n += 1;
    return n;
  };

  // Canonical offset of a DOM boundary point (node, offset) inside the article.
  function canonicalOffset(node, offset) {
    const root = article();
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const paragraph = element?.closest("p[data-offset]");
    if (paragraph && root.contains(paragraph)) {
      const range = document.createRange();
      range.setStart(paragraph, 0);
      range.setEnd(node, offset);
      return Number(paragraph.dataset.offset) + countCodePoints(range.toString());
    }
    // Between paragraphs: the start of the next paragraph, or the end of the text.
    const point = document.createRange();
    point.setStart(node, offset);
    for (const p of paragraphs()) {
      if (point.comparePoint(p, 0) >= 0) return Number(p.dataset.offset);
    }
    return canonicalChars().length;
  }

  // The current selection inside the article as {start, end, exact}, trimmed of white space.
  function selectedSpan() {
    const root = article();
    const selection = document.getSelection();
    if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    let start = canonicalOffset(range.startContainer, range.startOffset);
    let end = canonicalOffset(range.endContainer, range.endOffset);
    const chars = canonicalChars();
    while (start < end && /\s/u.test(chars[start])) start += 1;
    while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
    if (end <= start) return null;
    return { start, end, exact: chars.slice(start, end).join(""), range };
  }

  // --- the "Add claim" button ---------------------------------------------------------------

  function addButton() { return document.getElementById("add-claim"); }

  // The button is placed through a rule in our own stylesheet, not a style attribute: the
  // Content-Security-Policy forbids inline styles, and htmx copies style attributes on swaps.
  let placementRule = null;
  function placementStyle() {
    if (placementRule === null) {
      const sheet = Array.from(document.styleSheets).find((s) => s.href?.includes("/static/css/app.css"));
      if (!sheet) return null;
      placementRule = sheet.cssRules[sheet.insertRule("#add-claim {}", sheet.cssRules.length)];
    }
    return placementRule.style;
  }

  function placeButton() {
    const button = addButton();
    if (!button) return;
    const span = selectedSpan();
    if (!span) { button.hidden = true; return; }
    const rects = span.range.getClientRects();
    const rect = rects.length ? rects[rects.length - 1] : span.range.getBoundingClientRect();
    const style = placementStyle();
    if (style) {
      style.top = `${rect.bottom + window.scrollY + 8}px`;
      style.left = `${Math.max(8, rect.right + window.scrollX - 60)}px`;
    }
    button.hidden = false;
  }

  function openNewClaim() {
    const span = selectedSpan();
    const form = document.getElementById("new-claim");
    if (!span || !form) return false;
    form.elements.namedItem("start").value = String(span.start);
    form.elements.namedItem("end").value = String(span.end);
    form.elements.namedItem("exact").value = span.exact;
    form.querySelector("[data-quote]").textContent = span.exact;
    form.querySelector(".flash-error")?.remove();
    form.hidden = false;
    addButton().hidden = true;
    setKeyboardMode(false);
    form.scrollIntoView({ block: "nearest" });
    form.querySelector("select[name=verdict]").focus();
    return true;
  }

  // --- selecting with the keyboard ----------------------------------------------------------
  // The article becomes a caret-browsable region (contenteditable with every edit refused),
  // so Shift+arrow keys select words; "A" then opens the claim form.

  function toggleButton() { return document.getElementById("keyboard-select"); }

  function setKeyboardMode(on) {
    const root = article();
    const toggle = toggleButton();
    if (!root || !toggle) return;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Stop keyboard selection" : "Select with keyboard";
    if (on) {
      root.setAttribute("contenteditable", "true");
      root.setAttribute("aria-readonly", "true");
      root.spellcheck = false;
      root.focus();
      const first = root.querySelector("p[data-offset]");
      if (first?.firstChild) document.getSelection().collapse(first.firstChild, 0);
    } else {
      root.removeAttribute("contenteditable");
      root.removeAttribute("aria-readonly");
    }
  }

  const refuseEdit = (event) => {
    if (event.target.closest?.(`#${ARTICLE}[contenteditable]`)) event.preventDefault();
  };

  function isFormField(element) {
    return element && (element.matches("input, textarea, select, button") ||
                       (element.isContentEditable && element.id !== ARTICLE));
  }

  // --- opening claims from highlights -------------------------------------------------------

  function claimUrl(id) {
    return document.getElementById("workspace").dataset.claimUrl.replace(/0$/, String(id));
  }

  function openClaims(ids) {
    const workspace = document.getElementById("workspace");
    const url = ids.length === 1 ? claimUrl(ids[0])
      : `${workspace.dataset.pickUrl}?ids=${ids.join(",")}`;
    htmx.ajax("GET", url, { target: "#claim-detail", swap: "innerHTML" });
  }

  function markActive() {
    const card = document.querySelector("#claim-detail .claim-card");
    const id = card?.dataset.claim;
    for (const mark of document.querySelectorAll(`#${ARTICLE} mark.active`)) mark.classList.remove("active");
    if (!id) return;
    const marks = Array.from(document.querySelectorAll(`#${ARTICLE} mark[data-claims]`))
      .filter((mark) => mark.dataset.claims.split(" ").includes(id));
    for (const mark of marks) mark.classList.add("active");
    return marks;
  }

  // --- wiring -------------------------------------------------------------------------------

  document.addEventListener("selectionchange", () => window.requestAnimationFrame(placeButton));
  document.addEventListener("beforeinput", refuseEdit, true);
  for (const name of ["paste", "drop", "cut"]) document.addEventListener(name, refuseEdit, true);

  document.addEventListener("click", (event) => {
    if (event.target.closest("#add-claim")) { openNewClaim(); return; }
    if (event.target.closest("#keyboard-select")) {
      setKeyboardMode(toggleButton().getAttribute("aria-pressed") !== "true");
      return;
    }
    if (event.target.closest("[data-cancel-claim]")) {
      document.getElementById("new-claim").hidden = true;
      return;
    }
    const mark = event.target.closest(`#${ARTICLE} mark[data-claims]`);
    if (mark && document.getSelection().isCollapsed) openClaims(mark.dataset.claims.split(" "));
  });

  // Once the claim is being saved, the selection has done its job.
  document.addEventListener("submit", (event) => {
    const reattach = event.target.closest("form[data-reattach]");
    if (reattach) {
      const span = selectedSpan();
      reattach.querySelector(".flash-error")?.remove();
      if (!span) {
        event.preventDefault();
        const note = document.createElement("p");
        note.className = "flash flash-error";
        note.setAttribute("role", "alert");
        note.textContent = "Select the new words in the article first, then press Re-attach.";
        reattach.prepend(note);
        return;
      }
      reattach.elements.namedItem("start").value = String(span.start);
      reattach.elements.namedItem("end").value = String(span.end);
      reattach.elements.namedItem("exact").value = span.exact;
      return;
    }
    if (event.target.id === "new-claim") {
      document.getSelection().removeAllRanges();
      if (addButton()) addButton().hidden = true;
    }
  }, true);

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggleButton()?.getAttribute("aria-pressed") === "true") {
      setKeyboardMode(false);
      return;
    }
    const plainA = (event.key === "a" || event.key === "A") && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (plainA && !isFormField(document.activeElement) && selectedSpan()) {
      event.preventDefault();
      openNewClaim();
    }
  });

  document.addEventListener("htmx:after:swap", () => {
    cachedChars = null; // the article may have been re-rendered
    const marks = markActive();
    const detail = document.getElementById("claim-detail");
    if (marks?.length && detail?.contains(document.activeElement) === false) {
      marks[0].scrollIntoView({ block: "nearest" });
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    markActive();
    // For the benchmark: the highlights are laid out and painted after two frames.
    window.requestAnimationFrame(() => window.requestAnimationFrame(() => performance.mark("highlights-painted")));
  });
})();
