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
    const startsIn = root.contains(range.startContainer), endsIn = root.contains(range.endContainer);
    if (!range.intersectsNode(root) || (!startsIn && !endsIn && !range.toString().trim())) return null;
    // A selection dragged in from the headline (or out past the text) keeps only its words in the
    // article: the headline is not part of the text claims anchor to.
    let start = startsIn ? canonicalOffset(range.startContainer, range.startOffset) : canonicalOffset(root, 0);
    let end = endsIn ? canonicalOffset(range.endContainer, range.endOffset)
      : canonicalOffset(root, root.childNodes.length);
    const chars = canonicalChars();
    while (start < end && /\s/u.test(chars[start])) start += 1;
    while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
    if (end <= start) return null;
    return { start, end, exact: chars.slice(start, end).join(""), range, clamped: !startsIn || !endsIn };
  }

  // --- the "Add claim" button ---------------------------------------------------------------
  // It exists only while words are selected, so a screen reader meets it only then (and hears it
  // announced); it sits in the margin beside the selection's last line, never over the words; and
  // it is made only once the pointer is up, so a fast drag that ends over it keeps its selection.

  function addButton() { return document.getElementById("add-claim"); }
  let pointerDown = false;

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

  function removeButton() {
    const button = addButton();
    if (!button) return;
    const hadFocus = button === document.activeElement;
    button.remove();
    if (hadFocus) article()?.focus();
  }

  // Each orphan shows the words selected now beside its old words, before it is re-attached.
  function showNewWords(span) {
    for (const box of document.querySelectorAll(".orphans [data-new-words]")) {
      if (box.closest(".orphan")?.querySelector(".reattach-confirm")) continue;
      box.textContent = span ? span.exact : "";
      const hint = box.parentElement.querySelector("[data-new-words-hint]");
      if (hint) hint.hidden = Boolean(span);
    }
  }

  // Why a selection makes no claim, or only part of one: said beside the article, not guessed at.
  function explainSelection(span) {
    const hint = document.getElementById("selection-hint");
    if (!hint) return;
    const selection = document.getSelection();
    const head = document.querySelector(".article-head");
    const touchesHead = selection && !selection.isCollapsed && selection.rangeCount > 0 && head
      && selection.getRangeAt(0).intersectsNode(head) && selection.toString().trim();
    let why = "";
    if (span?.clamped) why = "Only the words in the article's text count: the claim starts at its first selected word there.";
    else if (!span && touchesHead) why = "The headline and byline are not part of the article's text: select words in the text to make a claim.";
    hint.textContent = why;
    hint.hidden = !why;
  }

  function placeButton() {
    if (pointerDown) return;
    const current = selectedSpan();
    showNewWords(current);
    explainSelection(current);
    const span = document.getElementById("new-claim") ? current : null;
    if (!span) { removeButton(); return; }
    let button = addButton();
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.id = "add-claim";
      button.className = "button primary add-claim";
      button.textContent = "Add claim";
      button.setAttribute("aria-keyshortcuts", "A");
      article().after(button);
      announce("Words selected: press A, or the Add claim button beside them, to make a claim.");
    }
    const rects = Array.from(span.range.getClientRects()).filter((r) => r.width > 0);
    const rect = rects.length ? rects[rects.length - 1] : span.range.getBoundingClientRect();
    const text = article().getBoundingClientRect();
    const style = placementStyle();
    if (style) {
      // In the gutter right of the text column, level with the selection's last line.
      style.top = `${rect.top + window.scrollY - 2}px`;
      style.left = `${text.right + window.scrollX + 8}px`;
    }
  }

  // --- announcing ---------------------------------------------------------------------------

  function announce(message) {
    const region = document.getElementById("announcer");
    if (!region) return;
    // A changed text is what a screen reader reads out: clear first, so a repeat is heard too.
    region.textContent = "";
    window.setTimeout(() => { region.textContent = message; }, 50);
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
    removeButton();
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

  // The highlight a claim was opened from, to return to with Escape; whether the panel takes the
  // focus once it has loaded (opened by the keyboard, or a claim just saved).
  let openedFrom = null;
  let focusPanel = false;
  let savingClaim = false;

  function openClaims(ids, mark, byKeyboard) {
    const workspace = document.getElementById("workspace");
    const url = ids.length === 1 ? claimUrl(ids[0])
      : `${workspace.dataset.pickUrl}?ids=${ids.join(",")}`;
    openedFrom = mark ? focusableMarkOf(mark) : null;
    focusPanel = Boolean(byKeyboard);
    htmx.ajax("GET", url, { target: "#claim-detail", swap: "innerHTML" });
  }

  // --- moving between claims with the keyboard ----------------------------------------------
  // Each claim's first highlight is a stop in the reading order (tabindex, named for the claim);
  // "]" and "[" move to the next and previous claim, Enter opens it, Escape comes back.

  const claimStops = () => Array.from(document.querySelectorAll(`#${ARTICLE} mark[tabindex]`));

  function focusableMarkOf(mark) {
    if (mark.hasAttribute("tabindex")) return mark;
    const ids = mark.dataset.claims.split(" ");
    return claimStops().find((stop) => stop.dataset.claims.split(" ").some((id) => ids.includes(id))) ?? mark;
  }

  function stopFor(id) {
    return claimStops().find((stop) => stop.dataset.claims.split(" ").includes(String(id))) ?? null;
  }

  function moveBetweenClaims(step) {
    const stops = claimStops();
    if (!stops.length) return;
    const current = stops.indexOf(document.activeElement);
    let next;
    if (current >= 0) {
      next = Math.min(stops.length - 1, Math.max(0, current + step));
    } else {
      // From elsewhere: the first claim after (or before) the focus or the caret.
      const here = document.activeElement && article()?.contains(document.activeElement)
        ? document.activeElement : null;
      next = step > 0 ? 0 : stops.length - 1;
      if (here) {
        const after = stops.findIndex((stop) => here.compareDocumentPosition(stop) & Node.DOCUMENT_POSITION_FOLLOWING);
        if (after >= 0) next = step > 0 ? after : Math.max(0, after - 1);
      }
    }
    stops[next].focus();
  }

  function openPanelFocus() {
    const heading = document.querySelector("#claim-detail h2");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
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
      article()?.focus();
      return;
    }
    const mark = event.target.closest(`#${ARTICLE} mark[data-claims]`);
    if (mark && document.getSelection().isCollapsed) openClaims(mark.dataset.claims.split(" "), mark, false);
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
      removeButton();
      savingClaim = true;
    }
  }, true);

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggleButton()?.getAttribute("aria-pressed") === "true") {
      setKeyboardMode(false);
      return;
    }
    const panel = document.getElementById("claim-panel");
    if (event.key === "Escape" && panel?.contains(document.activeElement)) {
      // Back to the claim's highlight (the open claim's, or the one it was opened from).
      const id = document.querySelector("#claim-detail .claim-card")?.dataset.claim;
      const stop = (openedFrom?.isConnected ? openedFrom : null) ?? (id ? stopFor(id) : null);
      if (stop) { event.preventDefault(); stop.focus(); }
      return;
    }
    const stop = event.target.closest?.(`#${ARTICLE} mark[tabindex]`);
    if (stop && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openClaims(stop.dataset.claims.split(" "), stop, true);
      return;
    }
    const bare = !event.ctrlKey && !event.metaKey && !event.altKey;
    if (bare && (event.key === "]" || event.key === "[") && !isFormField(document.activeElement)) {
      event.preventDefault();
      moveBetweenClaims(event.key === "]" ? 1 : -1);
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
    const saved = savingClaim && document.querySelector("#claim-panel .flash-success");
    if (savingClaim && !document.getElementById("new-claim")?.querySelector(".flash-error")) {
      // Saved: the new claim is open in the panel; focus goes to it and the news is read out.
      if (saved) announce(saved.textContent.trim());
      openPanelFocus();
    }
    savingClaim = false;
    if (focusPanel) { focusPanel = false; openPanelFocus(); }
  });

  document.addEventListener("pointerdown", (event) => { if (event.button === 0) pointerDown = true; }, true);
  document.addEventListener("pointerup", () => {
    pointerDown = false;
    window.requestAnimationFrame(placeButton);
  }, true);

  document.addEventListener("DOMContentLoaded", () => {
    markActive();
    // For the benchmark: the highlights are laid out and painted after two frames.
    window.requestAnimationFrame(() => window.requestAnimationFrame(() => performance.mark("highlights-painted")));
  });
})();
