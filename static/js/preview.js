// Import preview: keep a whole run of dropped blocks with one button, and keep the word
// counts in step with the ticks. Without this file the run's button asks the server to show
// the preview again with the run ticked; the form's `keep` checkboxes are the contract either way.
(() => {
  "use strict";

  const FORM = "import-preview";
  const form = () => document.getElementById(FORM);
  const boxes = (root) => Array.from(root.querySelectorAll('input[type="checkbox"][name="keep"]'));
  const format = (n) => n.toLocaleString("en");

  function setCount(name, value) {
    const el = form()?.querySelector(`[data-count="${name}"]`);
    if (el) el.textContent = format(value);
  }

  function updateCounts() {
    const root = form();
    if (!root) return;
    const totals = { keptBlocks: 0, droppedBlocks: 0, keptWords: 0, droppedWords: 0 };
    for (const box of boxes(root)) {
      const words = Number(box.closest("li.block")?.dataset.words ?? 0);
      if (box.checked) {
        totals.keptBlocks += 1;
        totals.keptWords += words;
      } else {
        totals.droppedBlocks += 1;
        totals.droppedWords += words;
      }
    }
    setCount("kept-blocks", totals.keptBlocks);
    setCount("dropped-blocks", totals.droppedBlocks);
    setCount("kept-words", totals.keptWords);
    setCount("dropped-words", totals.droppedWords);
  }

  // A run's button reads "Keep these N blocks" until they all are, then offers to drop them again.
  function updateRun(run) {
    const button = run.querySelector("[data-restore]");
    const inRun = boxes(run);
    const allKept = inRun.length > 0 && inRun.every((box) => box.checked);
    run.classList.toggle("run-restored", allKept);
    if (button) {
      button.textContent = allKept ? `Drop these ${inRun.length} blocks again` : `Keep these ${inRun.length} blocks`;
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-restore]");
    if (!button || !form()?.contains(button)) return;
    event.preventDefault(); // handled here: no round trip to the server
    const run = button.closest("[data-run]");
    const inRun = boxes(run);
    const keep = !inRun.every((box) => box.checked);
    for (const box of inRun) box.checked = keep;
    updateRun(run);
    updateCounts();
  });

  document.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.name !== "keep" || !form()?.contains(box)) return;
    const run = box.closest("[data-run]");
    if (run) updateRun(run);
    updateCounts();
  });

  // The page may come back from the server (a failed save swaps it in): recount then.
  document.addEventListener("htmx:after:swap", updateCounts);
  document.addEventListener("DOMContentLoaded", updateCounts);
})();
