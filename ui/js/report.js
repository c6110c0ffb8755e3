// The Report view: options on the left, a live preview of the report on the right (the same
// HTML the export writes, in a frame of its own), export to a folder, and the reports issued
// before with what changed since each.

import { el, clear } from './dom.js';
import { call, attempt, notify } from './ipc.js';
import { localTime, shortDate } from './format.js';

const tauri = window.__TAURI__;

const state = {
  root: null,
  onChange: null,
  request: { from: '', to: '', audience: 'executive', author: '' },
  formats: new Set(['pdf', 'html', 'md', 'png']),
  paper: 'a4',
  preview: null,
  past: [],
  busy: false,
  message: null,
};

export async function showReport(root, onChange) {
  state.root = root;
  state.onChange = onChange;
  if (!state.request.author) {
    const defaults = await attempt('report_defaults');
    if (defaults) state.request.author = defaults.author;
  }
  state.past = await attempt('past_reports') ?? [];
  draw();
  await refreshPreview();
}

async function refreshPreview() {
  const hadData = state.preview?.has_data;
  try {
    state.preview = await call('report_preview', { request: state.request });
    state.message = null;
  } catch (err) {
    state.preview = null;
    state.message = err.message ?? String(err);
  }
  // The options say what to do first while nothing is imported.
  if (state.preview && state.preview.has_data !== hadData) draw(); else drawPreview();
  if (state.root?.dataset.view === 'report') state.onChange?.(state.preview, state.past);
}

function draw() {
  if (state.root?.dataset.view !== 'report') return;
  const r = state.request;
  const field = (label, input) => el('label', { class: 'option' }, el('span', { text: label }), input);
  const changed = (key) => (e) => { r[key] = e.target.value; refreshPreview(); };
  const options = el('form', {
    class: 'card report-options', 'aria-label': 'Report options',
    onsubmit: (e) => { e.preventDefault(); exportReport(); },
  },
  el('h2', { text: 'Options' }),
  state.preview && !state.preview.has_data ? el('p', { class: 'empty-note', role: 'note' },
    'No alert exports are imported yet, so a report would hold the plan only. Import the week\'s exports in ',
    el('a', { href: '#data', text: 'Data' }), ' (Ctrl+3), or explore with sample data from the ',
    el('a', { href: '#dashboard', text: 'Dashboard' }), '.') : null,
  field('From', el('input', { type: 'date', value: r.from, onchange: changed('from') })),
  field('To', el('input', { type: 'date', value: r.to, onchange: changed('to') })),
  el('p', { class: 'muted small', text: 'Leave the dates empty for all the data.' }),
  el('fieldset', { class: 'option-group' }, el('legend', { text: 'Audience' }),
    ...[['executive', 'Executive: the figures and verdicts'], ['program', 'Program: also every step']].map(([value, label]) =>
      el('label', { class: 'check' }, el('input', {
        type: 'radio', name: 'audience', value, checked: r.audience === value, onchange: changed('audience'),
      }), ' ', label))),
  field('Author', el('input', { type: 'text', value: r.author, onchange: changed('author') })),
  el('fieldset', { class: 'option-group' }, el('legend', { text: 'Formats' }),
    ...[['pdf', 'PDF'], ['html', 'HTML (one file)'], ['md', 'Markdown with PNG charts'], ['png', 'Charts as 2× PNG for slides']].map(([value, label]) =>
      el('label', { class: 'check' }, el('input', {
        type: 'checkbox', value, checked: state.formats.has(value),
        onchange: (e) => { if (e.target.checked) state.formats.add(value); else state.formats.delete(value); },
      }), ' ', label))),
  field('Paper', el('select', { onchange: (e) => { state.paper = e.target.value; } },
    el('option', { value: 'a4', selected: state.paper === 'a4', text: 'A4' }),
    el('option', { value: 'letter', selected: state.paper === 'letter', text: 'Letter' }))),
  el('div', { class: 'report-actions' },
    el('button', { class: 'button primary', type: 'submit', disabled: state.busy, dataset: { focusKey: 'export-report' } }, state.busy ? 'Exporting…' : 'Export…'),
    el('button', {
      class: 'button', type: 'button', disabled: state.busy, title: 'Write the files without recording the report as issued',
      onclick: () => exportReport(true),
    }, 'Export a draft…')),
  el('p', { class: 'muted small', role: 'status', id: 'report-status' }));

  clear(state.root).append(el('section', { class: 'view report', 'aria-labelledby': 'report-heading' },
    el('header', { class: 'view-head' }, el('h1', { id: 'report-heading', text: 'Report' })),
    el('div', { class: 'report-layout' },
      el('div', { class: 'report-side' }, options, pastReports()),
      el('div', { class: 'card report-preview', id: 'report-preview' }))));
  drawPreview();
}

function drawPreview() {
  if (state.root?.dataset.view !== 'report') return;
  const box = document.getElementById('report-preview');
  if (!box) return;
  if (state.message) {
    clear(box).append(el('div', { class: 'state-message' },
      el('h2', { text: 'The report could not be built' }), el('p', { text: state.message })));
    return;
  }
  if (!state.preview) {
    clear(box).append(el('p', { class: 'loading', role: 'status', text: 'Building the preview…' }));
    return;
  }
  const src = tauri.core.convertFileSrc(`preview-${state.preview.version}.html`, 'report');
  clear(box).append(el('iframe', {
    class: 'report-frame', src, title: `Preview: ${state.preview.title}, ${state.preview.period}`,
    sandbox: '',
  }));
}

/** Export… (also File ▸ Export report…): asks for a folder and writes the chosen formats. */
export async function exportReport(draft = false) {
  if (!state.formats.size) {
    notify('Choose at least one format.', { error: true });
    return;
  }
  state.busy = true;
  draw();
  let result;
  try {
    result = await call('export_report', {
      request: state.request, formats: [...state.formats], paper: state.paper, draft,
    });
  } catch (err) {
    notify(err.message ?? String(err), { error: true });
  }
  state.busy = false;
  if (result) {
    notify(`${result.files.length} files written to ${result.folder}${result.issued ? '; recorded as issued' : ' (draft)'}.`);
    state.past = await attempt('past_reports') ?? state.past;
  }
  draw();
}

function pastReports() {
  const card = el('section', { class: 'card', 'aria-labelledby': 'past-heading' }, el('h2', { id: 'past-heading', text: 'Issued reports' }));
  if (!state.past.length) {
    card.append(el('p', { class: 'empty-note', text: 'None yet. Each exported report is recorded here, and the next one says what changed since.' }));
    return card;
  }
  card.append(el('ol', { class: 'past-reports' }, ...state.past.map((p) => el('li', {},
    el('div', { class: 'past-when' }, localTime(p.issued_at), p.author ? ` · ${p.author}` : ''),
    el('div', { class: 'muted small', text: p.period_from || p.period_to ? `${shortDate(p.period_from ?? '', p.period_to ?? '')} – ${shortDate(p.period_to ?? '', p.period_to ?? '')}` : 'all data' }),
    el('div', { class: 'small', text: p.summary })))));
  return card;
}
