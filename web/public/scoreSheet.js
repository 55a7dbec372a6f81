/* global document, HTMLInputElement */
// The 1000-point score sheet's live subtotals (web/views/partials/sheet.hbs). The server renders the
// same numbers with the page; this only keeps them current while levels are chosen, and lists the
// files picked for an item before they are uploaded. Without it the numbers show after a save.
// Listeners sit on the document, so pages swapped in by htmx need nothing more.
(() => {
  /** how many unanswered items the summary names (as UNANSWERED_NAMED in web/scoreSheet.ts) */
  const NAMED = 12;

  const write = (element, value) => {
    if (element) element.textContent = String(value);
  };
  const show = (element, visible) => {
    if (element) element.hidden = !visible;
  };

  function jumpLinks(ids) {
    return ids.slice(0, NAMED).flatMap((id) => {
      const link = document.createElement('a');
      link.href = `#item-${id}`;
      link.textContent = id;
      return [link, document.createTextNode(' ')];
    });
  }

  function update(sheet) {
    let total = 0;
    const unanswered = [];
    for (const section of sheet.querySelectorAll('tbody[data-section]')) {
      let subtotal = 0;
      let open = 0;
      for (const row of section.querySelectorAll('tr[data-item]')) {
        const chosen = row.querySelector('input[type=radio]:checked');
        row.classList.toggle('answered', Boolean(chosen));
        if (chosen) {
          subtotal += Number(chosen.dataset.points) || 0;
        } else {
          open += 1;
          unanswered.push(row.dataset.item);
        }
      }
      total += subtotal;
      write(section.querySelector('[data-subtotal]'), subtotal);
      write(section.querySelector('[data-open]'), open);
      show(section.querySelector('[data-open-wrap]'), open > 0);
    }
    write(sheet.querySelector('[data-total]'), total);
    write(sheet.querySelector('[data-unanswered]'), unanswered.length);
    show(sheet.querySelector('[data-unanswered-wrap]'), unanswered.length > 0);
    show(sheet.querySelector('[data-jump]'), unanswered.length > 0);
    show(sheet.querySelector('[data-done]'), unanswered.length === 0);
    sheet.querySelector('[data-jump-list]')?.replaceChildren(...jumpLinks(unanswered));
  }

  /** the names of the files picked for an item, under its picker */
  function listPicked(input) {
    let list = input.parentElement.querySelector('.picked');
    if (!list) {
      list = document.createElement('small');
      list.className = 'picked';
      input.after(list);
    }
    list.textContent = Array.from(input.files || [], (file) => file.name).join('、');
  }

  document.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement)) return;
    const sheet = input.closest('[data-score-sheet]');
    if (!sheet) return;
    if (input.type === 'radio') update(sheet);
    else if (input.type === 'file') listPicked(input);
  });
})();
