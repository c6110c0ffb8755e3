// The Data view: bring in exports (file dialog or drag and drop), watch each import's progress
// and cancel it, read what it did; the list of imports; the queues and their rules.

import { el, clear } from './dom.js';
import { call, attempt, notify } from './ipc.js';
import { localTime } from './format.js';

const tauri = window.__TAURI__;

const state = {
  root: null,
  onChange: null,
  files: [],          // {job, path, name, detection, format, dateOrder, status, progress, report, error, mapping}
  imports: [],
  formats: [],
  queues: null,
  rejections: new Map(), // import id → rows
  nextJob: 1,
  dragging: false,
  watching: false,
};

export async function showData(root, onChange) {
  state.root = root;
  state.onChange = onChange;
  if (!state.watching && tauri?.core?.Channel) {
    const channel = new tauri.core.Channel();
    channel.onmessage = (message) => {
      if (message.event === 'dropped') {
        state.dragging = false;
        addFiles(message.paths);
      } else {
        state.dragging = message.event === 'over';
        document.querySelector('.dropzone')?.classList.toggle('dropzone-over', state.dragging);
      }
    };
    if (await attempt('watch_file_drops', { onDrop: channel }) !== undefined) state.watching = true;
  }
  await reload();
}

async function reload() {
  try {
    const [imports, formats, queues] = await Promise.all([
      call('list_imports'), call('list_formats'), call('queue_settings'),
    ]);
    Object.assign(state, { imports, formats, queues });
    if (state.root?.dataset.view === 'data') state.onChange?.(imports);
  } catch (err) {
    if (state.root?.dataset.view !== 'data') return;
    clear(state.root).append(el('section', { class: 'view state-message' },
      el('h1', { text: 'The imports could not be read' }),
      el('p', { text: err.message ?? String(err) })));
    return;
  }
  draw();
}

function draw() {
  if (state.root?.dataset.view !== 'data') return;
  if (!state.root?.isConnected) return;
  const focusKey = document.activeElement?.dataset?.focusKey;
  clear(state.root).append(el('section', { class: 'view data', 'aria-labelledby': 'data-heading' },
    el('header', { class: 'view-head' }, el('h1', { id: 'data-heading', text: 'Data' })),
    dropZone(),
    state.files.length ? fileList() : null,
    importList(),
    queueSection(),
    backupSection()));
  if (focusKey) state.root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

// ---------------------------------------------------------------- bringing files in

function dropZone() {
  return el('div', { class: `card dropzone ${state.dragging ? 'dropzone-over' : ''}` },
    el('p', { class: 'dropzone-title', text: 'Drop exports here, or choose files' }),
    el('p', { class: 'muted', text: 'Defender XDR incident CSV (also Excel "Unicode Text"), Graph security alerts JSON, Defender for Cloud alerts CSV, Sentinel SecurityIncident CSV, Splunk ES notables CSV, TheHive cases JSON, weekly aggregates from the KQL and SPL queries for big SOCs (see the user guide), or any other CSV through a column mapping. Re-importing a file, or a newer export, never counts an item twice.' }),
    el('button', {
      class: 'button primary', type: 'button', dataset: { focusKey: 'choose-files' },
      onclick: chooseFiles,
    }, 'Choose files…'));
}

/** The file dialog, then each chosen file's import (the button, File ▸ Import exports…). */
export async function chooseFiles() {
  const paths = await attempt('choose_export_files');
  if (paths?.length) addFiles(paths);
}

async function addFiles(paths) {
  for (const path of paths) {
    const file = {
      job: state.nextJob++, path, name: path.split(/[\\/]/).pop(), detection: null,
      format: '', dateOrder: '', status: 'detecting', progress: null, report: null, error: null, mapping: null,
    };
    state.files.push(file);
    draw();
    try {
      file.detection = await call('detect_export', { path });
    } catch (err) {
      file.status = 'failed';
      file.error = err.message ?? String(err);
      draw();
      continue;
    }
    if (file.detection.format) {
      file.format = file.detection.format;
      runImport(file);
    } else {
      file.status = 'needs-mapping';
      file.mapping = await attempt('suggest_mapping', { name: file.name.replace(/\.[^.]+$/, ''), header: file.detection.header });
      draw();
    }
  }
}

async function runImport(file) {
  file.status = 'importing';
  file.progress = null;
  file.error = null;
  file.report = null;
  draw();
  const channel = new tauri.core.Channel();
  channel.onmessage = (p) => {
    file.progress = p;
    const bar = state.root.querySelector(`[data-job="${file.job}"] progress`);
    if (bar && p.bytesTotal) { bar.max = p.bytesTotal; bar.value = p.bytesRead; }
    const rows = state.root.querySelector(`[data-job="${file.job}"] .file-rows`);
    if (rows) rows.textContent = `${p.rowsRead.toLocaleString('en-US')} rows read`;
  };
  try {
    file.report = await call('import_export', {
      job: file.job, path: file.path, format: file.format || null, dateOrder: file.dateOrder || null, onProgress: channel,
    });
    file.status = 'done';
  } catch (err) {
    file.status = err.kind === 'cancelled' ? 'cancelled' : 'failed';
    file.error = err.message ?? String(err);
  }
  await reload();
}

function fileList() {
  const list = el('section', { class: 'card files', 'aria-label': 'Files being imported' });
  for (const f of state.files) list.append(fileRow(f));
  list.append(el('div', { class: 'files-actions' }, el('button', {
    class: 'link-button', type: 'button',
    disabled: state.files.some((f) => f.status === 'importing'),
    onclick: () => { state.files = state.files.filter((f) => f.status === 'importing'); draw(); },
  }, 'Clear this list')));
  return list;
}

function formatSelect(f) {
  const options = [el('option', { value: '', text: f.detection?.format ? 'Detect' : 'Choose a format…' })];
  for (const fmt of state.formats) options.push(el('option', { value: fmt.name, selected: fmt.name === f.format, text: fmt.title }));
  return el('select', {
    'aria-label': `Format of ${f.name}`, disabled: f.status === 'importing',
    onchange: (e) => { f.format = e.target.value; },
  }, ...options);
}

function orderSelect(f) {
  return el('select', {
    'aria-label': `Date order of ${f.name}`, disabled: f.status === 'importing',
    onchange: (e) => { f.dateOrder = e.target.value; },
  },
  el('option', { value: '', selected: !f.dateOrder, text: 'Dates: read from the data' }),
  el('option', { value: 'mdy', selected: f.dateOrder === 'mdy', text: 'Dates: month/day (US)' }),
  el('option', { value: 'dmy', selected: f.dateOrder === 'dmy', text: 'Dates: day/month' }));
}

function fileRow(f) {
  const row = el('div', { class: `file-row file-${f.status}`, dataset: { job: String(f.job) } },
    el('div', { class: 'file-name', title: f.path, text: f.name }));
  const controls = el('div', { class: 'file-controls' }, formatSelect(f), orderSelect(f));
  if (f.status === 'importing') {
    const p = f.progress;
    controls.append(
      el('progress', { max: String(p?.bytesTotal || 1), value: String(p?.bytesRead || 0), 'aria-label': `Progress of ${f.name}` }),
      el('span', { class: 'file-rows muted', text: p ? `${p.rowsRead.toLocaleString('en-US')} rows read` : 'starting…' }),
      el('button', {
        class: 'button', type: 'button', dataset: { focusKey: `cancel-${f.job}` },
        onclick: () => attempt('cancel_import', { job: f.job }),
      }, 'Cancel'));
  } else if (f.status !== 'detecting') {
    controls.append(el('button', {
      class: 'button', type: 'button', dataset: { focusKey: `import-${f.job}` },
      disabled: f.status === 'needs-mapping' && !f.format,
      onclick: () => runImport(f),
    }, f.status === 'done' ? 'Import again' : 'Import'));
  }
  row.append(controls);

  if (f.status === 'detecting') row.append(el('p', { class: 'muted', role: 'status', text: 'Reading the header…' }));
  if (f.status === 'done' && f.report) row.append(reportSummary(f.report));
  if (f.status === 'failed' || f.status === 'cancelled') {
    row.append(el('p', { class: f.status === 'failed' ? 'file-error' : 'muted', role: 'alert', text: f.error }));
  }
  if (f.status === 'needs-mapping') row.append(mappingForm(f));
  return row;
}

function reportSummary(r) {
  const rec = r.record;
  const order = rec.date_order ? `dates read as ${rec.date_order === 'mdy' ? 'month/day' : 'day/month'} (${rec.date_order_from === 'data' ? 'from the data' : rec.date_order_from === 'user' ? 'your choice' : 'assumed: nothing in the file told'})` : null;
  // An aggregate file holds weekly counts, not items: say what it brought in those terms.
  const counts = rec.format === 'aggregate' ? [
    `${rec.rows_read.toLocaleString('en-US')} rows`,
    `${rec.aggregate_cells.toLocaleString('en-US')} weekly cells`,
  ] : [
    `${rec.rows_read.toLocaleString('en-US')} rows`,
    `${rec.items_new.toLocaleString('en-US')} new`,
    `${rec.items_updated.toLocaleString('en-US')} updated`,
    `${rec.items_unchanged.toLocaleString('en-US')} unchanged`,
  ];
  const parts = [
    ...counts,
    `${rec.rows_rejected.toLocaleString('en-US')} rejected`,
    r.redirected ? `${r.redirected} merged incidents not counted` : null,
    order,
    `${(rec.duration_ms / 1000).toFixed(1)} s`,
  ].filter(Boolean);
  const box = el('div', { class: 'file-report' }, el('p', { text: `Imported: ${parts.join(' · ')}.` }));
  if (r.rejected.length) {
    box.append(el('details', {},
      el('summary', { text: `Rejected rows (${rec.rows_rejected})` }),
      el('ul', { class: 'rejections' }, ...r.rejected.map((x) => el('li', { text: `Line ${x.line}: ${x.reason}` })))));
  }
  return box;
}

function sentence(text) {
  const t = text.trim();
  if (!t) return '';
  return `${t[0].toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

const MAPPING_FIELDS = [
  ['id', 'Id (unique per item)', true], ['created', 'Created time', true], ['triaged', 'First analyst action'],
  ['resolved', 'Resolved time'], ['updated', 'Last changed'], ['title', 'Title'], ['severity', 'Severity'],
  ['status', 'Status'], ['queue_column', 'Product or queue column'], ['assignee', 'Assigned to'],
  ['classification', 'Classification'], ['determination', 'Determination'],
];

function mappingForm(f) {
  const m = f.mapping ?? {};
  const header = f.detection?.header ?? [];
  const name = el('input', { type: 'text', value: m.name ?? '', 'aria-label': 'Mapping name', required: true });
  const kind = el('select', { 'aria-label': 'Every row is' },
    el('option', { value: 'alert', selected: m.kind === 'alert', text: 'alerts' }),
    el('option', { value: 'incident', selected: m.kind !== 'alert', text: 'incidents' }));
  const queueName = el('input', { type: 'text', value: m.queue_name ?? '', placeholder: 'or one queue for every row', 'aria-label': 'Queue for every row' });
  const selects = {};
  const grid = el('div', { class: 'mapping-grid' });
  for (const [field, label, required] of MAPPING_FIELDS) {
    const select = el('select', { 'aria-label': label },
      el('option', { value: '', text: required ? 'Choose a column…' : '—' }),
      ...header.map((h) => el('option', { value: h, selected: m[field] === h, text: h })));
    selects[field] = select;
    grid.append(el('label', { class: 'mapping-field' }, el('span', { text: `${label}${required ? ' *' : ''}` }), select));
  }
  const sample = f.detection?.sample_rows?.[0];
  return el('form', {
    class: 'mapping-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const mapping = { name: name.value.trim(), header, kind: kind.value, queue_name: queueName.value.trim() || null };
      for (const [field] of MAPPING_FIELDS) mapping[field] = selects[field].value || null;
      mapping.id = mapping.id ?? '';
      mapping.created = mapping.created ?? '';
      const format = await attempt('save_mapping', { mapping });
      if (!format) return;
      state.formats = await call('list_formats');
      f.format = format;
      f.status = 'ready';
      runImport(f);
    },
  },
  el('p', {}, el('strong', { text: 'This file is not one of the known exports. ' }),
    sentence(f.detection?.unknown_because ?? ''),
    ' Say once which column holds what; the mapping is saved and used again for files with the same columns.'),
  sample ? el('p', { class: 'muted', text: `First row: ${sample.slice(0, 6).join(' · ')}` }) : null,
  el('div', { class: 'mapping-head' }, el('label', {}, 'Name ', name), el('label', {}, 'Every row is ', kind), queueName),
  grid,
  el('button', { class: 'button primary', type: 'submit' }, 'Save the mapping and import'));
}

// ---------------------------------------------------------------- imports so far

function importList() {
  const card = el('section', { class: 'card', 'aria-labelledby': 'imports-heading' },
    el('h2', { id: 'imports-heading', text: 'Imports' }));
  if (!state.imports.length) {
    card.append(el('p', { class: 'empty-note', text: 'Nothing imported yet. Bring in the week\'s exports above; each import is listed here and can be removed again.' }));
    return card;
  }
  const body = el('tbody');
  for (const rec of state.imports) {
    const rejected = state.rejections.get(rec.id);
    body.append(el('tr', { dataset: { import: String(rec.id) } },
      el('td', { title: `SHA-256 ${rec.sha256}`, text: rec.file_name }),
      el('td', { text: rec.format }),
      el('td', { text: localTime(new Date(rec.imported_at_ms).toISOString()) }),
      el('td', { class: 'num', text: rec.rows_read.toLocaleString('en-US') }),
      el('td', { class: 'num', text: rec.format === 'aggregate' ? `${rec.aggregate_cells.toLocaleString('en-US')} cells` : rec.items_new.toLocaleString('en-US') }),
      el('td', { class: 'num', text: rec.items_updated.toLocaleString('en-US') }),
      el('td', { class: 'num' }, rec.rows_rejected
        ? el('button', {
          class: 'link-button', type: 'button', 'aria-expanded': String(Boolean(rejected)),
          onclick: async () => {
            if (rejected) state.rejections.delete(rec.id);
            else state.rejections.set(rec.id, await attempt('rejected_rows', { id: rec.id, offset: 0, limit: 500 }) ?? []);
            draw();
          },
        }, rec.rows_rejected.toLocaleString('en-US'))
        : '0'),
      el('td', { text: rec.date_order ?? '—' }),
      el('td', { class: 'col-more' }, el('button', {
        class: 'icon-button danger', type: 'button', 'aria-label': `Remove the import of ${rec.file_name}`, title: 'Remove this import',
        onclick: async (e) => {
          const cell = e.target.closest('td');
          const box = el('div', { class: 'confirm', role: 'alertdialog' },
            el('span', { text: `Remove ${rec.file_name}? Its items go, unless another import also has them.` }),
            el('button', {
              class: 'button danger', type: 'button',
              onclick: async () => {
                const removed = await attempt('remove_import', { id: rec.id });
                if (removed !== undefined) notify(`Removed ${rec.file_name}: ${removed} items went with it.`);
                await reload();
              },
            }, 'Remove'),
            el('button', { class: 'button', type: 'button', onclick: () => box.remove() }, 'Cancel'));
          cell.append(box);
          box.querySelector('button').focus();
        },
      }, '×'))));
    if (rejected) {
      body.append(el('tr', { class: 'rejection-row' }, el('td', { colspan: '9' },
        el('ul', { class: 'rejections' }, ...rejected.map((x) => el('li', { text: `Line ${x.line}: ${x.reason}` }))))));
    }
  }
  card.append(el('table', { class: 'imports' },
    el('thead', {}, el('tr', {}, ...['File', 'Format', 'When', 'Rows', 'New', 'Updated', 'Rejected', 'Dates'].map((h) => el('th', { scope: 'col', text: h })),
      el('th', { scope: 'col', class: 'col-more' }, el('span', { class: 'sr-only', text: 'Remove' })))),
    body));
  return card;
}

// ---------------------------------------------------------------- queues

function queueSection() {
  const q = state.queues;
  const card = el('section', { class: 'card', 'aria-labelledby': 'queues-heading' },
    el('h2', { id: 'queues-heading', text: 'Queues' }),
    el('p', { class: 'card-intro', text: 'Where analysts have to look. The primary queue is the unified one the program consolidates onto. Rules say which queue each export\'s items land in; a change re-assigns the items already stored.' }));

  const body = el('tbody');
  for (const queue of q.queues) {
    body.append(el('tr', {},
      el('td', {}, el('input', {
        type: 'radio', name: 'primary-queue', checked: queue.primary, 'aria-label': `Make ${queue.name} the primary queue`,
        onchange: async () => { await attempt('set_primary_queue', { name: queue.name }); await reload(); },
      })),
      el('td', { text: queue.name }),
      el('td', { class: 'num', text: (queue.items + (queue.aggregated_items ?? 0)).toLocaleString('en-US'), title: queue.aggregated_items ? `${queue.items.toLocaleString('en-US')} imported one by one, ${queue.aggregated_items.toLocaleString('en-US')} in weekly aggregates` : undefined }),
      el('td', { text: queue.hand_listed ? `listed by hand · ${queue.active_from ?? 'always'} – ${queue.active_to ?? 'now'}` : 'from exports' }),
      el('td', { class: 'col-more' }, queue.hand_listed ? el('button', {
        class: 'icon-button danger', type: 'button', 'aria-label': `Remove ${queue.name}`,
        onclick: async () => { await attempt('remove_hand_listed_queue', { name: queue.name }); await reload(); },
      }, '×') : null)));
  }
  card.append(el('table', { class: 'queues' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Primary' }), el('th', { scope: 'col', text: 'Queue' }),
      el('th', { scope: 'col', text: 'Items' }), el('th', { scope: 'col', text: 'Source' }),
      el('th', { scope: 'col', class: 'col-more' }, el('span', { class: 'sr-only', text: 'Remove' })))),
    body));

  const name = el('input', { type: 'text', placeholder: 'A queue without an export (a legacy SIEM, a mail inbox)', 'aria-label': 'Hand-listed queue name' });
  const from = el('input', { type: 'date', 'aria-label': 'Watched from' });
  const to = el('input', { type: 'date', 'aria-label': 'Watched until' });
  card.append(el('form', {
    class: 'add-form',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!name.value.trim()) { name.focus(); return; }
      const saved = await attempt('save_hand_listed_queue', { queue: { name: name.value.trim(), active_from: from.value || null, active_to: to.value || null } });
      if (saved !== undefined) await reload();
    },
  }, name, el('label', {}, 'from ', from), el('label', {}, 'until ', to), el('button', { class: 'button', type: 'submit' }, 'Add queue')));

  card.append(rulesEditor(q.rules));
  return card;
}

function rulesEditor(rules) {
  const rows = rules.map((r) => ({ ...r }));
  const body = el('tbody');
  const render = () => {
    clear(body);
    rows.forEach((r, i) => {
      const input = (field, label) => el('input', {
        type: 'text', value: r[field] ?? '', 'aria-label': `${label} of rule ${i + 1}`,
        oninput: (e) => { r[field] = e.target.value; },
      });
      const formats = el('select', { 'aria-label': `Format of rule ${i + 1}`, onchange: (e) => { r.format = e.target.value; } },
        ...state.formats.map((f) => el('option', { value: f.name, selected: f.name === r.format, text: f.name })));
      body.append(el('tr', {},
        el('td', {}, formats),
        el('td', {}, input('signal', 'Product or provider (empty: any)')),
        el('td', {}, input('queue', 'Queue')),
        el('td', { class: 'col-more' }, el('button', {
          class: 'icon-button danger', type: 'button', 'aria-label': `Remove rule ${i + 1}`,
          onclick: () => { rows.splice(i, 1); render(); },
        }, '×'))));
    });
  };
  render();
  return el('form', {
    class: 'rules',
    onsubmit: async (e) => {
      e.preventDefault();
      const saved = await attempt('set_queue_rules', { rules: rows });
      if (saved !== undefined) { notify('Queue rules saved; stored items were re-assigned.'); await reload(); }
    },
  },
  el('h3', { text: 'Rules (first match wins)' }),
  el('table', {},
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: 'Export format' }), el('th', { scope: 'col', text: 'Product or provider' }),
      el('th', { scope: 'col', text: 'Queue' }), el('th', { scope: 'col', class: 'col-more' }, el('span', { class: 'sr-only', text: 'Remove' })))),
    body),
  el('div', { class: 'add-form' },
    el('button', {
      class: 'button', type: 'button',
      onclick: () => { rows.push({ format: state.formats[0]?.name ?? '', signal: '', queue: '' }); render(); },
    }, 'Add rule'),
    el('button', { class: 'button primary', type: 'submit' }, 'Save rules')));
}

// ---------------------------------------------------------------- backups

/** Asks where, then copies the database there (the button, File ▸ Back up data…). */
export async function backUp() {
  const saved = await attempt('backup_database');
  if (saved) notify(`Backed up to ${saved}.`);
  return saved;
}

/** File ▸ Restore from a backup…: the Data view's own confirmation, which says what is lost. */
export function askRestore() {
  const button = state.root?.querySelector('[data-focus-key="restore"]');
  button?.scrollIntoView({ block: 'center' });
  button?.click();
}

function backupSection() {
  const status = el('p', { class: 'muted small', role: 'status' });
  const card = el('section', { class: 'card', 'aria-labelledby': 'backup-heading' },
    el('h2', { id: 'backup-heading', text: 'Backups' }),
    el('p', { class: 'card-intro', text: 'The plan and the imported figures live in one file on this computer. Keep a copy elsewhere; a copy is also made by itself before Streamline upgrades the file.' }));
  const restore = el('button', {
    class: 'button', type: 'button', dataset: { focusKey: 'restore' },
    onclick: () => {
      const box = el('div', { class: 'confirm', role: 'alertdialog' },
        el('span', { text: 'Restoring replaces the plan and every import with the backup\'s. Continue?' }),
        el('button', {
          class: 'button danger', type: 'button',
          onclick: async () => {
            box.remove();
            const restored = await attempt('restore_database');
            if (restored) {
              notify(`Restored from ${restored}.`);
              await reload();
            }
          },
        }, 'Choose the backup…'),
        el('button', { class: 'button', type: 'button', onclick: () => box.remove() }, 'Cancel'));
      card.append(box);
      box.querySelector('button').focus();
    },
  }, 'Restore…');
  card.append(el('div', { class: 'add-form' },
    el('button', {
      class: 'button primary', type: 'button',
      onclick: async () => {
        const saved = await backUp();
        if (saved) status.textContent = `Backed up to ${saved}.`;
      },
    }, 'Back up…'),
    restore), status);
  return card;
}
