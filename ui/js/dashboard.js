// The Dashboard: four headline tiles, the before/after verdicts, and the charts drawn in Rust.
// Charts arrive as SVG text and are shown as images, so nothing in them can run or restyle
// the page; each has a table view, which is also what a screen reader gets.

import { el, clear } from './dom.js';
import { call } from './ipc.js';
import { shortDate } from './format.js';

const state = {
  root: null,
  onData: null,
  filter: { from: '', to: '', queues: [], severities: [] },
  data: null,
  tables: new Set(),
  panelOpen: false,
};

const darkScheme = window.matchMedia('(prefers-color-scheme: dark)');
darkScheme.addEventListener('change', () => { if (state.root?.isConnected) load(); });

/** Draws the dashboard into `root`; `onData` receives the loaded dashboard (for the top bar). */
export async function showDashboard(root, onData) {
  state.root = root;
  state.onData = onData;
  await load();
}

async function load() {
  if (!state.data) {
    clear(state.root).append(el('p', { class: 'loading', role: 'status', text: 'Loading the figures…' }));
  }
  try {
    state.data = await call('get_dashboard', { filter: state.filter, dark: darkScheme.matches });
  } catch (err) {
    if (state.root?.dataset.view !== 'dashboard') return;
    clear(state.root).append(el('section', { class: 'view state-message' },
      el('h1', { text: 'The figures could not be computed' }),
      el('p', { text: err.message ?? String(err) }),
      el('button', { class: 'button', type: 'button', onclick: () => load() }, 'Try again')));
    return;
  }
  draw();
  if (state.root?.dataset.view === 'dashboard') state.onData?.(state.data);
}

function draw() {
  if (state.root?.dataset.view !== 'dashboard') return;
  const d = state.data;
  const focusKey = document.activeElement?.dataset?.focusKey;
  const view = el('section', { class: 'view dashboard', 'aria-labelledby': 'dashboard-heading' },
    el('header', { class: 'view-head' },
      el('h1', { id: 'dashboard-heading', text: 'Dashboard' }),
      // Nothing to filter before the first import.
      d.imports.imports ? filterBar(d) : null));
  if (state.panelOpen) view.append(filterPanel(d));

  if (d.imports.imports === 0) {
    view.append(emptyState());
  } else if (!d.metrics.overall.items) {
    view.append(el('section', { class: 'card state-message', role: 'status' },
      el('h2', { text: 'No items match these filters' }),
      el('p', { text: 'The imported exports hold no alert or incident for this queue, severity and period. Remove a filter chip above to widen the view.' }),
      el('button', {
        class: 'button primary', type: 'button', dataset: { focusKey: 'clear-filters' },
        onclick: () => { Object.assign(state.filter, { queues: [], severities: [], from: '', to: '' }); load(); },
      }, 'Show everything')));
  } else {
    view.append(tiles(d), verdicts(d), charts(d));
  }
  clear(state.root).append(view);
  if (focusKey) state.root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

// ---------------------------------------------------------------- filters

function filterBar(d) {
  const f = state.filter;
  const bar = el('div', { class: 'filter-bar', role: 'group', 'aria-label': 'Filters' });
  const chip = (label, onRemove, key) => el('span', { class: 'chip' }, label,
    onRemove ? el('button', {
      type: 'button', class: 'chip-remove', 'aria-label': `Remove filter ${label}`, dataset: { focusKey: key },
      onclick: onRemove,
    }, '×') : null);
  if (f.queues.length) {
    for (const q of f.queues) bar.append(chip(q, () => { f.queues = f.queues.filter((x) => x !== q); load(); }, `chip-q-${q}`));
  } else {
    bar.append(chip('All queues'));
  }
  if (f.severities.length) {
    for (const s of f.severities) bar.append(chip(s, () => { f.severities = f.severities.filter((x) => x !== s); load(); }, `chip-s-${s}`));
  } else {
    bar.append(chip('All severities'));
  }
  if (f.from || f.to) {
    const label = `${f.from ? shortDate(f.from, d.metrics.data_last) : 'start'} – ${f.to ? shortDate(f.to, d.metrics.data_last) : 'now'}`;
    bar.append(chip(label, () => { f.from = ''; f.to = ''; load(); }, 'chip-dates'));
  } else {
    bar.append(chip(`${d.metrics.weeks.length} weeks`));
  }
  bar.append(el('button', {
    type: 'button', class: 'button', 'aria-expanded': String(state.panelOpen), dataset: { focusKey: 'filter-toggle' },
    onclick: () => { state.panelOpen = !state.panelOpen; draw(); },
  }, 'Filter…'));
  return bar;
}

function filterPanel(d) {
  const f = state.filter;
  const checkboxes = (legend, names, chosen) => el('fieldset', { class: 'filter-group' },
    el('legend', { text: legend }),
    ...names.map((name) => el('label', { class: 'check' },
      el('input', { type: 'checkbox', value: name, checked: chosen.includes(name) }), ' ', name)));
  const queues = checkboxes('Queues', d.all_queues, f.queues);
  const severities = checkboxes('Severities', d.all_severities, f.severities);
  const from = el('input', { type: 'date', value: f.from, 'aria-label': 'From' });
  const to = el('input', { type: 'date', value: f.to, 'aria-label': 'To' });
  const picked = (set) => [...set.querySelectorAll('input:checked')].map((i) => i.value);
  return el('form', {
    class: 'card filter-panel',
    onsubmit: (e) => {
      e.preventDefault();
      state.filter = { from: from.value, to: to.value, queues: picked(queues), severities: picked(severities) };
      state.panelOpen = false;
      load();
    },
    onkeydown: (e) => { if (e.key === 'Escape') { state.panelOpen = false; draw(); } },
  },
  queues, severities,
  el('fieldset', { class: 'filter-group' }, el('legend', { text: 'Period' }),
    el('label', {}, 'From ', from), el('label', {}, 'To ', to)),
  el('div', { class: 'filter-actions' },
    el('button', { class: 'button primary', type: 'submit' }, 'Apply'),
    el('button', {
      class: 'button', type: 'button',
      onclick: () => { state.filter = { from: '', to: '', queues: [], severities: [] }; state.panelOpen = false; load(); },
    }, 'Show everything')));
}

// ---------------------------------------------------------------- tiles

const TREND_WORDS = { better: 'better', worse: 'worse', unchanged: 'no change' };

function info(key, title, text) {
  const panel = el('p', { class: 'definition', id: `def-${key}`, hidden: true, text });
  const button = el('button', {
    type: 'button', class: 'info', 'aria-label': `What is ${title}?`, 'aria-expanded': 'false',
    'aria-controls': `def-${key}`, dataset: { focusKey: `info-${key}` },
    onclick: () => {
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', String(!panel.hidden));
    },
  }, '?');
  return { button, panel };
}

function tiles(d) {
  const row = el('div', { class: 'tiles' });
  for (const t of d.headline.tiles) {
    const { button, panel } = info(t.key, t.label, t.definition);
    row.append(el('article', { class: `card tile tile-${t.key}`, 'aria-label': t.label },
      el('div', { class: 'tile-label' }, t.label, ' ', button),
      el('div', { class: 'tile-value', text: t.value ?? '—' }),
      t.change ? el('div', { class: `tile-change trend-${t.trend ?? 'none'}` },
        `${t.arrow ?? ''} ${t.change}${t.trend ? ` · ${TREND_WORDS[t.trend]}` : ''}`.trim()) : el('div', { class: 'tile-change muted', text: t.value ? 'no earlier weeks to compare' : 'no data in this period' }),
      el('div', { class: 'tile-context', text: t.context }),
      panel));
  }
  const p = d.headline.plan;
  const { button, panel } = info('plan', 'Plan', 'Steps of the plan marked done, and each objective\'s red/amber/green status from its rule (or an override) with the reason.');
  row.append(el('article', { class: 'card tile tile-plan', 'aria-label': 'Plan' },
    el('div', { class: 'tile-label' }, 'Plan', ' ', button),
    el('div', { class: 'tile-value', text: `${p.done} / ${p.total}` }),
    el('div', { class: 'rag-pills' }, ...p.objectives.map((o) => el('span', {
      class: `rag-pill rag-${o.status}`, title: `${o.id}. ${o.title}: ${o.reason}`, tabindex: '0',
      'aria-label': `Objective ${o.id} ${o.status}: ${o.reason}`,
    }, `${o.id} ${o.status[0].toUpperCase()}${o.status.slice(1)}`))),
    el('div', { class: 'tile-context', text: worstReason(p.objectives) }),
    panel));
  return el('div', {}, row, el('p', { class: 'basis muted', text: d.headline.basis }));
}

function worstReason(objectives) {
  const order = { red: 0, amber: 1, green: 2 };
  const worst = [...objectives].sort((a, b) => order[a.status] - order[b.status])[0];
  return worst && worst.status !== 'green' ? `${worst.id}: ${worst.reason}` : 'no objective at risk';
}

// ---------------------------------------------------------------- verdicts

const VERDICTS_SHOWN = 3;

function verdicts(d) {
  const strip = el('section', { class: 'card verdicts', 'aria-label': 'What changed after each milestone' });
  if (!d.comparisons.length) {
    strip.append(el('p', { class: 'muted', text: 'No milestone has four weeks of data before it in this period. When a plan step is marked done, the weeks before and after it are compared here.' }));
    return strip;
  }
  // One sentence per milestone (its strongest result, as the core ranks them); the strongest
  // milestones first, shown in date order, then the rest.
  const byStrength = [...d.comparisons].sort((a, b) => b.strength - a.strength);
  const byDate = (list) => [...list].sort((a, b) => a.at.localeCompare(b.at));
  const ordered = [...byDate(byStrength.slice(0, VERDICTS_SHOWN)), ...byDate(byStrength.slice(VERDICTS_SHOWN))];
  const expanded = state.tables.has('verdicts');
  const shown = expanded ? ordered : ordered.slice(0, VERDICTS_SHOWN);
  for (const c of shown) {
    const sentence = c.sentences[0];
    if (!sentence) continue;
    const clear = c.strength > 1;
    strip.append(el('p', { class: clear ? 'verdict' : 'verdict muted' },
      ...sentence.map((span) => (span.strong ? el('strong', { text: span.text }) : span.text))));
  }
  if (ordered.length > VERDICTS_SHOWN) {
    strip.append(el('button', {
      type: 'button', class: 'link-button', 'aria-expanded': String(expanded), dataset: { focusKey: 'verdicts-more' },
      onclick: () => { if (expanded) state.tables.delete('verdicts'); else state.tables.add('verdicts'); draw(); },
    }, expanded ? 'Show fewer' : `Show all ${ordered.length} milestones`));
  }
  return strip;
}

// ---------------------------------------------------------------- charts

function charts(d) {
  const main = el('div', { class: 'charts-main' });
  const small = el('div', { class: 'charts-small' });
  for (const c of d.charts) {
    (c.key === 'queues' || c.key === 'triage' ? main : small).append(chartCard(c, d));
  }
  return el('div', {}, main, small);
}

function chartCard(c, d) {
  const { button, panel } = info(`chart-${c.key}`, c.title, c.definition);
  const showTable = state.tables.has(c.key);
  const toggle = el('button', {
    type: 'button', class: 'link-button table-toggle', 'aria-pressed': String(showTable),
    dataset: { focusKey: `table-${c.key}` },
    onclick: () => { if (showTable) state.tables.delete(c.key); else state.tables.add(c.key); draw(); },
  }, showTable ? 'View as chart' : 'View as table');
  const body = showTable
    ? chartTable(c.key, d)
    : el('img', {
      class: 'chart', alt: `${c.title}: ${c.subtitle}. Use “View as table” for the figures.`,
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`,
    });
  return el('article', { class: `card chart-card chart-${c.key}`, 'aria-label': c.title },
    el('header', { class: 'chart-head' },
      el('h2', {}, c.title, ' ', button),
      toggle),
    el('p', { class: 'chart-subtitle muted', text: c.subtitle }),
    panel,
    body);
}

function hours(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

function pct(share) {
  if (share === null || share === undefined) return '—';
  const p = share * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** A percentile, with "≈" when it was read from an aggregate's buckets (within 12%). */
function timing(t, field) {
  const text = hours(t[field]);
  return t.approximate && t[field] !== null && t[field] !== undefined ? `≈ ${text}` : text;
}

function chartTable(key, d) {
  const weeks = d.metrics.weeks;
  const queues = d.metrics.queues.filter((q) => q.items > 0).map((q) => q.name);
  const columns = {
    queues: [['Week', (w) => w.week], ...queues.map((q) => [q, (w) => String(w.by_queue[q] ?? 0)]), ['Active queues', (w) => String(w.active_queues)]],
    triage: [['Week', (w) => w.week], ['Median', (w) => timing(w.triage, 'median_s')], ['p90', (w) => timing(w.triage, 'p90_s')], ['n', (w) => String(w.triage.n)], ['Coverage', (w) => pct(w.triage.coverage)]],
    resolve: [['Week', (w) => w.week], ['Median', (w) => timing(w.resolve, 'median_s')], ['p90', (w) => timing(w.resolve, 'p90_s')], ['n', (w) => String(w.resolve.n)], ['Coverage', (w) => pct(w.resolve.coverage)]],
    automation: [['Week', (w) => w.week], ['Closed by automation', (w) => pct(w.automated_share)], ['Resolved', (w) => String(w.resolved)]],
    burnup: [['Week', (w) => w.week], ['Steps done', (w) => String(w.steps_done)], ['All steps', () => String(d.metrics.steps_total)]],
  }[key];
  return el('div', { class: 'table-scroll' }, el('table', { class: 'figures' },
    el('thead', {}, el('tr', {}, ...columns.map(([name]) => el('th', { scope: 'col', text: name })))),
    el('tbody', {}, ...weeks.map((w) => el('tr', {}, ...columns.map(([, value]) => el('td', { text: value(w) })))))));
}

// ---------------------------------------------------------------- first run

function emptyState() {
  const status = el('p', { class: 'muted', role: 'status' });
  const sample = el('button', {
    class: 'button primary', type: 'button', dataset: { focusKey: 'load-demo' },
    onclick: async () => {
      sample.disabled = true;
      status.textContent = 'Loading 16 weeks of sample exports…';
      try {
        await call('load_demo');
      } catch (err) {
        status.textContent = err.message ?? String(err);
        sample.disabled = false;
        return;
      }
      await load();
    },
  }, 'Explore with sample data');
  return el('section', { class: 'card welcome' },
    el('h2', { text: 'Welcome to Streamline' }),
    el('p', { text: 'Streamline shows whether your streamline-response program is working: it links the plan to the alert and incident exports your SOC already has — Defender XDR, Graph, Defender for Cloud, Sentinel, Splunk ES, TheHive — and compares the weeks before and after each milestone.' }),
    el('div', { class: 'welcome-actions' },
      sample,
      el('button', {
        class: 'button', type: 'button',
        onclick: () => document.querySelector('a[data-view="data"]')?.click(),
        disabled: !document.querySelector('a[data-view="data"]'),
        title: 'Import the exports in the Data view (Ctrl+3)',
      }, 'Import your exports')),
    status,
    el('p', { class: 'muted', text: 'Nothing leaves this laptop: everything stays in one file on this computer, and Streamline never connects to the network.' }));
}
