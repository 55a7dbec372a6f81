/* global document */
// 延期 (web/views/extensions.hbs): once an enterprise is chosen, only the deadlines it has can be
// chosen, and an enterprise yet to apply gets its one deadline chosen for it. The server checks the
// same: without this script every deadline is offered, and a wrong one is refused naming the right ones.
// Listeners sit on the document, so a page swapped in by htmx needs nothing more.
(() => {
  function narrow() {
    const enterprise = document.getElementById('extension-enterprise');
    const deadline = document.getElementById('extension-deadline');
    if (!enterprise || !deadline) return;
    const chosen = enterprise.selectedOptions[0];
    const has = chosen && chosen.value ? (chosen.dataset.deadlines ?? '').split(' ') : null;
    for (const option of deadline.options) {
      if (!option.value) continue;
      option.disabled = has !== null && !has.includes(option.value);
      option.hidden = option.disabled;
    }
    if (deadline.selectedOptions[0]?.disabled) deadline.value = '';
    if (has?.length === 1 && !deadline.value) deadline.value = has[0];
  }
  document.addEventListener('change', (event) => {
    if (event.target?.id === 'extension-enterprise') narrow();
  });
  document.addEventListener('htmx:afterSettle', narrow);
  narrow();
})();
