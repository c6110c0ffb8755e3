// In-place editing: a value reads as text; a click (or Enter) turns it into a field.
// Enter saves, Esc cancels, leaving the field saves. A failed save keeps the field open.

import { el } from './dom.js';
import { notify } from './ipc.js';

/**
 * @param {object} o
 * @param {string} o.key      stable id, so focus comes back to it after the view redraws
 * @param {string} o.label    what the value is, for screen readers ("owner of step 2a.3")
 * @param {string} o.value    current value ('' for none)
 * @param {string} [o.shown]  text to show instead of the raw value (a formatted date)
 * @param {string} [o.placeholder] shown, dimmed, when there is no value
 * @param {'text'|'date'|'url'|'number'} [o.type]
 * @param {boolean} [o.multiline]
 * @param {(value: string) => Promise<boolean>} o.save resolves true when saved
 */
export function editable({ key, label, value, shown, placeholder = '', type = 'text', multiline = false, save, className = '' }) {
  const empty = value === '' || value === null || value === undefined;
  const display = el('span', {
    class: `editable ${empty ? 'editable-empty' : ''} ${className}`,
    role: 'button',
    tabindex: '0',
    'aria-label': `${label}: ${empty ? 'not set' : (shown ?? value)}. Press Enter to edit.`,
    dataset: { focusKey: key },
    title: 'Click to edit',
  }, empty ? placeholder || '—' : (shown ?? value));

  const open = () => {
    const input = multiline
      ? el('textarea', { class: 'edit-field', rows: '3', 'aria-label': label })
      : el('input', { class: 'edit-field', type, 'aria-label': label });
    input.value = value ?? '';
    input.dataset.focusKey = key;
    let settled = false;
    const close = () => {
      settled = true;
      input.replaceWith(display);
      display.focus();
    };
    const commit = async () => {
      if (settled) return;
      const next = input.value.trim();
      if (next === String(value ?? '')) { close(); return; }
      settled = true;
      const ok = await save(next);
      if (!ok) {
        settled = false;
        input.focus();
      }
      // On success the view redraws from the database, replacing this field.
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
      else if (e.key === 'Enter' && (!multiline || e.ctrlKey)) { e.preventDefault(); commit(); }
    });
    input.addEventListener('blur', () => { commit(); });
    display.replaceWith(input);
    input.focus();
    if (input.select && type !== 'date') input.select();
  };

  display.addEventListener('click', open);
  display.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'F2') { e.preventDefault(); open(); }
  });
  return display;
}

/** Wraps a command so an editable's `save` reports failures and tells whether it worked. */
export function saver(run, after) {
  return async (value) => {
    try {
      await run(value);
    } catch (err) {
      notify(err.message ?? String(err), { error: true });
      return false;
    }
    await after();
    return true;
  };
}
