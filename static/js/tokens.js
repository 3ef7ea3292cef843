// Tokens page: copy a new token to the clipboard. Without this file the token is still shown,
// selected-all on focus being the browser's own behaviour for a read-only field.
(() => {
  "use strict";

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy-target]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copyTarget);
    const status = button.parentElement.querySelector("[data-copy-status]");
    if (!field) return;
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = "Copied.";
    } catch {
      field.select();  // the clipboard was refused: leave it selected for Ctrl-C
      if (status) status.textContent = "Press Ctrl-C (or ⌘-C) to copy the selected token.";
    }
  });
})();
