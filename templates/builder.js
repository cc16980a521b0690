// certfolio — the portfolio builder's live preview and reordering (issue 12). The page works
// without this script: every control is a form field or a submit button, and "Update the
// preview" re-renders on the server. With it, each change re-renders the preview in place
// (the server renders it: one presentation model), rows can be dragged, and "Copy" copies.
// Loaded only by the builder and share pages (their CSP allows this one same-origin script).
'use strict';

(function () {
  const form = document.querySelector('form[data-live-preview]');
  const preview = document.getElementById('preview');
  const status = document.getElementById('preview-status');

  // One request in flight at a time; the last change wins.
  let timer = null;
  let controller = null;
  function refresh() {
    if (!form || !preview) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (controller) controller.abort();
      controller = new AbortController();
      const query = new URLSearchParams(new FormData(form));
      query.set('fragment', '1');
      try {
        const response = await fetch(form.dataset.livePreview + '?' + query.toString(), {
          headers: { Accept: 'text/html' },
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (!response.ok && response.status !== 422) throw new Error(String(response.status));
        preview.innerHTML = await response.text();
        if (status) status.textContent = status.dataset.updated || '';
      } catch (e) {
        if (e.name !== 'AbortError' && status) status.textContent = status.dataset.failed || '';
      }
    }, 200);
  }

  if (form) {
    form.addEventListener('input', (e) => {
      if (e.target.closest('[data-no-preview]')) return;
      refresh();
    });
    form.addEventListener('change', refresh);
  }

  // Order: the rows of the course table, each with "up"/"down" submit buttons that also work
  // without the script (the server moves the course). Here they move the row at once, keep the
  // focus on the button pressed, and update the hidden `order` fields.
  const table = document.querySelector('[data-order]');
  function renumber() {
    if (!table) return;
    table.querySelectorAll('tr[data-course]').forEach((row) => {
      const field = row.querySelector('input[name="order"]');
      if (field) field.value = row.dataset.course;
    });
    refresh();
  }
  function move(row, down) {
    const other = down ? row.nextElementSibling : row.previousElementSibling;
    if (!other || !other.matches('tr[data-course]')) return false;
    if (down) other.after(row); else other.before(row);
    const name = row.querySelector('.title');
    if (status && name) status.textContent = (status.dataset.moved || '').replace('{}', name.textContent.trim());
    renumber();
    return true;
  }
  if (table) {
    table.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-move]');
      if (!button) return;
      e.preventDefault();
      const row = button.closest('tr[data-course]');
      if (move(row, button.dataset.move === 'down')) button.focus();
    });
    // Drag and drop, for a pointer; the buttons stay for the keyboard.
    let dragged = null;
    table.querySelectorAll('tr[data-course]').forEach((row) => {
      row.draggable = true;
      row.addEventListener('dragstart', (e) => {
        dragged = row;
        e.dataTransfer.effectAllowed = 'move';
        row.classList.add('dragging');
      });
      row.addEventListener('dragend', () => {
        row.classList.remove('dragging');
        dragged = null;
      });
      row.addEventListener('dragover', (e) => {
        if (!dragged || dragged === row) return;
        e.preventDefault();
        const box = row.getBoundingClientRect();
        if (e.clientY > box.top + box.height / 2) row.after(dragged); else row.before(dragged);
      });
      row.addEventListener('drop', (e) => {
        e.preventDefault();
        renumber();
      });
    });
  }

  // "Copy link": the URL is in a read-only field anyone can select; the button copies it.
  document.querySelectorAll('button[data-copy]').forEach((button) => {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      const said = document.getElementById(button.dataset.copy + '-status');
      try {
        await navigator.clipboard.writeText(field.value);
        if (said) said.textContent = button.dataset.done || '';
      } catch (e) {
        field.select();
        if (said) said.textContent = button.dataset.select || '';
      }
    });
  });
})();
