// The frame: the sidebar's views with their shortcuts, the top bar, and start-up.

import { el, clear } from './dom.js';
import { call, attempt, notify } from './ipc.js';
import { editable, saver } from './editable.js';
import { showPlan } from './plan.js';
import { showDashboard } from './dashboard.js';
import { showData, chooseFiles, backUp, askRestore } from './data.js';
import { showReport, exportReport } from './report.js';
import { showSettings, showAbout } from './settings.js';
import { shortDate } from './format.js';

const VIEWS = {
  dashboard: { key: '1', show: (main) => showDashboard(main, dashboardTopBar) },
  plan: { key: '2', show: (main) => showPlan(main, planTopBar) },
  data: { key: '3', show: (main) => showData(main, dataTopBar) },
  report: { key: '4', show: (main) => showReport(main, reportTopBar) },
  settings: { key: '5', show: (main) => showSettings(main, settingsTopBar) },
};

let current = null;

function selectView(name) {
  if (!VIEWS[name]) name = 'dashboard';
  const previous = current;
  current = name;
  for (const link of document.querySelectorAll('.sidebar a[data-view]')) {
    const on = link.dataset.view === name;
    link.classList.toggle('current', on);
    if (on) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  const main = document.getElementById('main');
  if (name !== previous) main.scrollTop = 0;
  // A view whose data arrives after the user has moved on must not draw over the new one.
  main.dataset.view = name;
  return VIEWS[name].show(main);
}

function programName(name) {
  clear(document.getElementById('program-name')).append(editable({
    key: 'program-name', label: 'Program name', value: name, className: 'program-name-value',
    save: saver((v) => call('set_program_name', { name: v }), () => selectView(current)),
  }));
  document.title = `${name} · Streamline`;
}

function context(text) {
  clear(document.getElementById('topbar-context')).append(text);
}

function planTopBar(plan) {
  programName(plan.program_name);
  context(`Plan as of ${shortDate(plan.as_of, plan.as_of)} · ${plan.steps_done} of ${plan.steps_total} steps done`);
}

function dataTopBar(imports) {
  if (!imports.length) {
    context('No exports imported yet');
    return;
  }
  const last = Math.max(...imports.map((i) => i.imported_at_ms));
  context(`${imports.length} ${imports.length === 1 ? 'import' : 'imports'} · last import ${ago(last)}`);
}

function reportTopBar(preview, past) {
  const parts = [];
  if (preview) parts.push(`Report for ${preview.period}`);
  parts.push(past.length ? `${past.length} issued, the last ${ago(Date.parse(past[0].issued_at))}` : 'none issued yet');
  context(parts.join(' · '));
}

function settingsTopBar(settings) {
  context(`Weeks counted in ${settings.time_zone.effective}`);
}

function ago(ms) {
  const days = Math.floor((Date.now() - ms) / 86400000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

function dashboardTopBar(d) {
  programName(d.program_name);
  const m = d.metrics;
  if (!m.data_first) {
    context('No alert exports imported yet');
    return;
  }
  const parts = [
    `${shortDate(m.data_first, m.data_last)} – ${shortDate(m.data_last, new Date().toISOString().slice(0, 10))}`,
    `${m.overall.items.toLocaleString('en-US')} items`,
  ];
  if (d.imports.last_import_ms) parts.push(`last import ${ago(d.imports.last_import_ms)}`);
  context(parts.join(' · '));
}

function showStartupError(err) {
  const hints = {
    database_not_sqlite: 'The file is not a Streamline database. Point STREAMLINE_DB at another file, or move this one away.',
    database_newer: 'This database was written by a newer Streamline. Install the newer version to open it.',
    database_locked: 'Another program is holding the database. Close it and start Streamline again.',
    database_unavailable: 'Check that the data folder exists and can be written.',
  };
  clear(document.getElementById('main')).append(
    el('section', { class: 'view state-message' },
      el('h1', { text: 'Streamline cannot open its database' }),
      el('p', { text: err.message ?? String(err) }),
      el('p', { class: 'muted', text: hints[err.kind] ?? 'Nothing was changed. Restart Streamline to try again.' })));
}

document.addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
  const entry = Object.entries(VIEWS).find(([, v]) => v.key === e.key);
  if (entry) {
    e.preventDefault();
    selectView(entry[0]).then(() => document.getElementById('main').focus());
  }
});

document.querySelector('.sidebar').addEventListener('click', (e) => {
  const link = e.target.closest('a[data-view]');
  if (!link) return;
  e.preventDefault();
  selectView(link.dataset.view);
});

// Links inside views (e.g. Settings' "Back up or restore…") change the hash.
window.addEventListener('hashchange', () => selectView(location.hash.slice(1)));

/** What each entry of the application menu does (Quit is handled by the app itself). */
const MENU_ACTIONS = {
  import: async () => { await selectView('data'); await chooseFiles(); },
  'export-report': async () => { await selectView('report'); await exportReport(); },
  backup: () => backUp(),
  restore: async () => { await selectView('data'); askRestore(); },
  about: () => showAbout(),
};

function watchMenu() {
  const tauri = window.__TAURI__;
  if (!tauri?.core?.Channel) return;
  const channel = new tauri.core.Channel();
  channel.onmessage = (action) => {
    if (action.startsWith('view:')) {
      selectView(action.slice(5)).then(() => document.getElementById('main').focus());
    } else {
      MENU_ACTIONS[action]?.();
    }
  };
  attempt('watch_menu', { onAction: channel });
}

async function start() {
  try {
    await call('app_info');
  } catch (err) {
    showStartupError(err);
    return;
  }
  watchMenu();
  await selectView(location.hash.slice(1) || 'dashboard');
}

window.addEventListener('unhandledrejection', (e) => {
  notify(e.reason?.message ?? String(e.reason), { error: true });
});

start();
