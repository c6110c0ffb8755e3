// The Settings view: the time zone weeks are counted in, the automation accounts, and what
// the About box says (version, where the data lives).

import { el, clear } from './dom.js';
import { call, attempt, notify } from './ipc.js';

const state = { root: null, onChange: null, settings: null, info: null };

export async function showSettings(root, onChange) {
  state.root = root;
  state.onChange = onChange;
  try {
    [state.settings, state.info] = await Promise.all([call('get_settings'), call('app_info')]);
  } catch (err) {
    if (root.dataset.view !== 'settings') return;
    clear(root).append(el('section', { class: 'view state-message' },
      el('h1', { text: 'The settings could not be read' }),
      el('p', { text: err.message ?? String(err) }),
      el('p', { class: 'muted', text: 'Nothing was changed. Open Settings again to retry.' })));
    return;
  }
  if (root.dataset.view !== 'settings') return;
  onChange?.(state.settings);
  draw();
}

function draw() {
  const focusKey = document.activeElement?.dataset?.focusKey;
  clear(state.root).append(el('section', { class: 'view settings', 'aria-labelledby': 'settings-heading' },
    el('header', { class: 'view-head' }, el('h1', { id: 'settings-heading', text: 'Settings' })),
    timeZoneCard(),
    automationCard(),
    aboutCard(state.info)));
  if (focusKey) state.root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
}

async function reload() {
  state.settings = await attempt('get_settings') ?? state.settings;
  if (state.root?.dataset.view !== 'settings') return;
  state.onChange?.(state.settings);
  draw();
}

function timeZoneCard() {
  const tz = state.settings.time_zone;
  const select = el('select', {
    id: 'time-zone', dataset: { focusKey: 'time-zone' },
    'aria-describedby': 'time-zone-help',
    onchange: async (e) => {
      const zone = e.target.value || null;
      if (await attempt('set_time_zone', { zone }) === undefined) return;
      notify(zone ? `Weeks are now counted in ${zone}.` : `Weeks now follow the system's time zone (${tz.system}).`);
      await reload();
    },
  },
  el('option', { value: '', selected: !tz.chosen, text: `Follow the system (${tz.system})` }),
  ...state.settings.time_zones.map((name) => el('option', { value: name, selected: name === tz.chosen, text: name })));
  return el('section', { class: 'card', 'aria-labelledby': 'tz-heading' },
    el('h2', { id: 'tz-heading', text: 'Time zone' }),
    el('p', { id: 'time-zone-help', class: 'card-intro', text: 'Weeks run Monday to Sunday in this zone, and an item belongs to the week of its creation time there. Every figure, chart and report uses it; the command line too, unless given --tz.' }),
    el('div', { class: 'setting-row' },
      el('label', { for: 'time-zone', text: 'Count weeks in' }), select),
    el('p', { class: 'muted small', role: 'status', text: `In force: ${tz.effective}` }));
}

function automationCard() {
  const accounts = el('textarea', {
    id: 'automation-accounts', rows: '4', dataset: { focusKey: 'automation-accounts' },
    'aria-describedby': 'automation-help', spellcheck: 'false',
    value: state.settings.automation_accounts.join('\n'),
  });
  return el('section', { class: 'card', 'aria-labelledby': 'automation-heading' },
    el('h2', { id: 'automation-heading', text: 'Automation accounts' }),
    el('p', { id: 'automation-help', class: 'card-intro', text: 'A resolved item counts as closed by automation when its assignee is one of these accounts (any case), or when an automated investigation closed it ("Successfully remediated", "No threats found"). One account per line. Saving re-marks the items already stored.' }),
    el('form', {
      class: 'setting-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const list = accounts.value.split('\n').map((a) => a.trim()).filter(Boolean);
        if (await attempt('set_automation_accounts', { accounts: list }) === undefined) return;
        notify(list.length ? `Automation accounts saved (${list.length}); stored items re-marked.` : 'No automation accounts: only automated investigations count now.');
        await reload();
      },
    },
    el('label', { for: 'automation-accounts', text: 'Accounts' }), accounts,
    el('div', {}, el('button', { class: 'button primary', type: 'submit', dataset: { focusKey: 'save-automation' } }, 'Save accounts'))));
}

/** Version, data folder and the promise that nothing leaves the computer; shared with the About box. */
export function aboutFacts(info) {
  return el('dl', { class: 'facts' },
    el('dt', { text: 'Version' }), el('dd', { class: 'about-version', text: info.version }),
    el('dt', { text: 'Data folder' }), el('dd', { class: 'about-folder path', text: info.data_folder }),
    el('dt', { text: 'Database' }), el('dd', { class: 'path', text: info.database }));
}

function aboutCard(info) {
  return el('section', { class: 'card', 'aria-labelledby': 'about-heading' },
    el('h2', { id: 'about-heading', text: 'About Streamline' }),
    el('p', { class: 'card-intro', text: 'Streamline works offline: the plan and the imported figures stay in one file on this computer, and nothing is sent anywhere.' }),
    aboutFacts(info),
    el('div', { class: 'add-form' },
      el('button', { class: 'button', type: 'button', onclick: () => attempt('open_data_folder') }, 'Open data folder'),
      el('a', { class: 'button', href: '#data', text: 'Back up or restore…' })));
}

/** The About box (Help ▸ About): a modal dialog, closed with Esc or its button. */
export async function showAbout() {
  const info = await attempt('app_info');
  if (!info) return;
  document.getElementById('about-dialog')?.remove();
  const dialog = el('dialog', { id: 'about-dialog', class: 'about', 'aria-labelledby': 'about-title' },
    el('h2', { id: 'about-title', text: 'Streamline' }),
    el('p', { class: 'muted', text: 'Is the SOC\'s "streamline response" program working? The plan and the evidence, offline.' }),
    aboutFacts(info),
    el('p', { class: 'small muted', text: 'Nothing leaves this computer: no network, no telemetry, no update checks.' }),
    el('div', { class: 'dialog-actions' },
      el('button', { class: 'button', type: 'button', onclick: () => attempt('open_data_folder') }, 'Open data folder'),
      el('button', { class: 'button primary', type: 'button', autofocus: true, onclick: () => dialog.close() }, 'Close')));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
