// The Plan view: the guidance's checklists edited in place, the accountability table, and the
// activity log. Every change is saved at once and the view redraws from the database.

import { el, clear } from './dom.js';
import { call, attempt, notify } from './ipc.js';
import { editable, saver } from './editable.js';
import { shortDate, localTime, percent } from './format.js';

const STATUSES = [
  ['not_started', 'Not started'],
  ['in_progress', 'In progress'],
  ['blocked', 'Blocked'],
  ['done', 'Done'],
];
const RAG_LABEL = { red: 'Red', amber: 'Amber', green: 'Green' };
const TABS = [
  ['checklist', 'Checklist'],
  ['accountability', 'Accountability'],
  ['activity', 'Activity'],
];

const state = {
  tab: 'checklist',
  plan: null,
  log: null,
  openDetails: new Set(),
  // Objective 1's status from the data, read once per visit (it scans every item).
  queueStatus: undefined,
  overrideOpen: null,
  root: null,
  onChange: null,
};

/** Draws the Plan view into `root`; `onChange` runs after every saved edit (the top bar). */
export async function showPlan(root, onChange) {
  state.root = root;
  state.onChange = onChange;
  state.queueStatus = undefined;
  await reload();
  try {
    state.queueStatus = await call('queue_target_status');
  } catch {
    state.queueStatus = null;
  }
  // Only the status line changes: redrawing the view would move the user's focus.
  const line = state.root.querySelector('.queue-status');
  if (line) line.replaceWith(queueStatusText());
}

export async function reload() {
  try {
    state.plan = await call('get_plan');
    if (state.tab === 'activity') state.log = await call('audit_log', { limit: 500 });
  } catch (err) {
    drawError(err);
    return;
  }
  draw();
  if (state.root?.dataset.view === 'plan') state.onChange?.(state.plan);
}

function drawError(err) {
  if (state.root?.dataset.view !== 'plan') return;
  clear(state.root).append(
    el('section', { class: 'view state-message' },
      el('h1', { text: 'The plan could not be read' }),
      el('p', { text: err.message ?? String(err) }),
      el('button', { class: 'button', type: 'button', onclick: () => reload() }, 'Try again')),
  );
}

function draw() {
  if (state.root?.dataset.view !== 'plan') return;
  const focusKey = document.activeElement?.dataset?.focusKey;
  const panel = el('div', { class: 'tabpanel', role: 'tabpanel', id: `plan-${state.tab}`, 'aria-labelledby': `tab-${state.tab}` });
  if (state.tab === 'checklist') drawChecklist(panel);
  else if (state.tab === 'accountability') drawAccountability(panel);
  else drawActivity(panel);

  clear(state.root).append(
    el('section', { class: 'view', 'aria-labelledby': 'plan-heading' },
      el('header', { class: 'view-head' },
        el('h1', { id: 'plan-heading', text: 'Plan' }),
        tabList()),
      panel),
  );
  if (focusKey) {
    const again = state.root.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    again?.focus();
  }
}

function tabList() {
  const list = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Plan sections' });
  for (const [id, label] of TABS) {
    const selected = state.tab === id;
    list.append(el('button', {
      class: 'tab', role: 'tab', type: 'button', id: `tab-${id}`,
      'aria-selected': String(selected), 'aria-controls': `plan-${id}`,
      tabindex: selected ? '0' : '-1', dataset: { focusKey: `tab-${id}` },
      onclick: () => selectTab(id),
      onkeydown: (e) => {
        const i = TABS.findIndex(([t]) => t === id);
        if (e.key === 'ArrowRight') selectTab(TABS[(i + 1) % TABS.length][0], true);
        if (e.key === 'ArrowLeft') selectTab(TABS[(i + TABS.length - 1) % TABS.length][0], true);
      },
    }, label));
  }
  return list;
}

async function selectTab(id, focus = false) {
  state.tab = id;
  if (id === 'activity') state.log = await attempt('audit_log', { limit: 500 }) ?? [];
  draw();
  if (focus) document.getElementById(`tab-${id}`)?.focus();
}

// ---------------------------------------------------------------- checklist

function drawChecklist(panel) {
  const plan = state.plan;
  panel.append(el('p', { class: 'summary' },
    `${plan.steps_done} of ${plan.steps_total} steps done`,
    plan.steps_total ? ` (${percent(plan.steps_done, plan.steps_total)})` : '',
    ` · as of ${shortDate(plan.as_of, plan.as_of)}`));
  plan.objectives.forEach((o, i) => panel.append(objectiveCard(o, i, plan.objectives.length)));
  if (!plan.objectives.length) {
    panel.append(el('article', { class: 'card' }, el('p', { class: 'empty-note', text: 'The plan has no objectives. Add the first one below: the guidance\'s are 1 (one alert queue), 2a (Defender XDR with AutoIR) and 2b (Defender for Cloud).' })));
  }
  panel.append(addObjectiveForm());
}

function stepEdit(reference, edits) {
  return call('edit_step', { reference, edits });
}

function objectiveEdit(id, edits) {
  return call('edit_objective', { id, edits });
}

function objectiveCard(o, index, count) {
  const today = state.plan.as_of;
  const card = el('article', { class: 'card objective', 'aria-labelledby': `objective-${o.id}-title`, dataset: { objective: o.id } });

  const title = el('h2', { id: `objective-${o.id}-title`, class: 'objective-title' },
    el('span', { class: 'objective-id', text: `${o.id}.` }), ' ',
    editable({
      key: `objective-${o.id}-title`, label: `Title of objective ${o.id}`, value: o.title,
      save: saver((v) => objectiveEdit(o.id, [{ field: 'title', value: v }]), reload),
    }));

  const owner = el('div', { class: 'objective-owner' },
    'Owner: ',
    editable({
      key: `objective-${o.id}-role`, label: `Owner role of objective ${o.id}`, value: o.owner_role, placeholder: 'role',
      save: saver((v) => objectiveEdit(o.id, [{ field: 'owner_role', value: v }]), reload),
    }),
    ' · ',
    editable({
      key: `objective-${o.id}-person`, label: `Owner of objective ${o.id}`, value: o.owner_person, placeholder: 'add a name',
      save: saver((v) => objectiveEdit(o.id, [{ field: 'owner_person', value: v }]), reload),
    }));

  const progress = el('div', { class: 'objective-progress' },
    el('progress', { max: String(Math.max(o.steps_total, 1)), value: String(o.steps_done), 'aria-label': `Objective ${o.id} progress` }),
    el('span', { text: `${o.steps_done} of ${o.steps_total} done${o.steps_total ? ` · ${percent(o.steps_done, o.steps_total)}` : ''}` }));

  const tools = el('div', { class: 'objective-tools' },
    el('button', {
      class: 'icon-button', type: 'button', title: 'Move up', 'aria-label': `Move objective ${o.id} up`,
      disabled: index === 0, dataset: { focusKey: `objective-${o.id}-up` },
      onclick: async () => { await attempt('move_objective', { id: o.id, to: index }); await reload(); },
    }, '↑'),
    el('button', {
      class: 'icon-button', type: 'button', title: 'Move down', 'aria-label': `Move objective ${o.id} down`,
      disabled: index === count - 1, dataset: { focusKey: `objective-${o.id}-down` },
      onclick: async () => { await attempt('move_objective', { id: o.id, to: index + 2 }); await reload(); },
    }, '↓'),
    el('button', {
      class: 'icon-button danger', type: 'button', title: 'Remove objective', 'aria-label': `Remove objective ${o.id}`,
      onclick: () => confirmRemove(card, `Remove objective ${o.id} and its ${o.steps_total} steps?`, async () => {
        await attempt('remove_objective', { id: o.id });
        await reload();
      }),
    }, '×'));

  card.append(
    el('header', { class: 'objective-head' },
      el('div', { class: 'objective-heading' }, title, owner),
      el('div', { class: 'objective-status' }, ragBlock(o), progress),
      tools),
  );

  if (o.kind === 'outcome') card.append(outcomeTarget(o));

  const body = el('tbody');
  for (const s of o.steps) {
    body.append(stepRow(s, o, today));
    if (state.openDetails.has(s.id)) body.append(stepDetails(s, o));
  }
  card.append(el('table', { class: 'checklist' },
    el('caption', { class: 'sr-only', text: `Implementation steps of objective ${o.id}` }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', class: 'col-done', text: 'Done' }),
      el('th', { scope: 'col', text: 'Implementation step' }),
      el('th', { scope: 'col', class: 'col-owner', text: 'Owner' }),
      el('th', { scope: 'col', class: 'col-due', text: 'Due' }),
      el('th', { scope: 'col', class: 'col-status', text: 'Status' }),
      el('th', { scope: 'col', class: 'col-doc', text: 'Documentation' }),
      el('th', { scope: 'col', class: 'col-more' }, el('span', { class: 'sr-only', text: 'More' })))),
    body));
  if (!o.steps.length) card.append(el('p', { class: 'empty-note', text: 'No steps yet. Add the first one below.' }));
  card.append(addStepForm(o));
  return card;
}

function ragBlock(o) {
  const rag = o.rag;
  const pill = el('span', { class: `rag-pill rag-${rag.status}`, title: rag.reason }, RAG_LABEL[rag.status]);
  const reason = el('span', { class: 'rag-reason' },
    rag.overridden ? `Set by hand: ${rag.reason}` : rag.reason,
    rag.overridden ? el('span', { class: 'muted', text: ` · the rule says ${RAG_LABEL[rag.rule_status]}: ${rag.rule_reason}` }) : null);
  const block = el('div', { class: 'rag' }, pill, reason);

  if (state.overrideOpen === o.id) {
    const select = el('select', { 'aria-label': `RAG status for objective ${o.id}`, dataset: { focusKey: `objective-${o.id}-rag-select` } },
      ...['red', 'amber', 'green'].map((r) => el('option', { value: r, selected: r === rag.status }, RAG_LABEL[r])));
    const why = el('input', { type: 'text', placeholder: 'Reason (required)', 'aria-label': `Reason for the RAG override of objective ${o.id}`, value: rag.overridden ? rag.reason : '' });
    const form = el('form', {
      class: 'inline-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const done = await attempt('edit_objective', { id: o.id, edits: [{ field: 'rag_override', value: { status: select.value, reason: why.value } }] });
        if (done) { state.overrideOpen = null; await reload(); }
      },
    }, select, why,
    el('button', { class: 'button primary', type: 'submit' }, 'Set'),
    el('button', { class: 'button', type: 'button', onclick: () => { state.overrideOpen = null; draw(); } }, 'Cancel'));
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { state.overrideOpen = null; draw(); } });
    block.append(form);
    queueMicrotask(() => select.focus());
  } else {
    block.append(el('button', {
      class: 'link-button', type: 'button', dataset: { focusKey: `objective-${o.id}-override` },
      onclick: () => { state.overrideOpen = o.id; draw(); },
    }, rag.overridden ? 'Change' : 'Override'));
    if (rag.overridden) {
      block.append(el('button', {
        class: 'link-button', type: 'button',
        onclick: async () => { await attempt('edit_objective', { id: o.id, edits: [{ field: 'rag_override', value: null }] }); await reload(); },
      }, 'Back to the rule'));
    }
  }
  return block;
}

function outcomeTarget(o) {
  return el('p', { class: 'outcome-target' },
    'Met when the active alert queues stay at or below ',
    editable({
      key: `objective-${o.id}-target`, label: `Queue target of objective ${o.id}`, value: String(o.queue_target), type: 'number',
      save: saver((v) => objectiveEdit(o.id, [{ field: 'queue_target', value: Number(v) }]), reload),
    }),
    ' for ',
    editable({
      key: `objective-${o.id}-weeks`, label: `Weeks in a row required for objective ${o.id}`, value: String(o.weeks_required), type: 'number',
      save: saver((v) => objectiveEdit(o.id, [{ field: 'weeks_required', value: Number(v) }]), reload),
    }),
    ' weeks in a row. ',
    queueStatusText());
}

function queueStatusText() {
  const q = state.queueStatus;
  if (q === undefined) return el('span', { class: 'queue-status muted', role: 'status', text: 'Reading the data…' });
  if (q === null) return el('span', { class: 'queue-status muted', text: 'Measured from the imported alert exports.' });
  return el('strong', { class: `queue-status ${q.met ? 'trend-better' : ''}`, text: `From the data: ${q.status}.` });
}

function stepRow(s, o, today) {
  const done = s.status === 'done';
  const checkbox = el('input', {
    type: 'checkbox', checked: done, 'aria-label': `Done: ${s.reference} ${s.text}`,
    dataset: { focusKey: `step-${s.id}-done`, step: s.reference },
    onchange: async (e) => {
      const status = e.target.checked ? 'done' : 'not_started';
      await attempt('edit_step', { reference: s.reference, edits: [{ field: 'status', value: status }] });
      await reload();
    },
  });
  const doneCell = el('td', { class: 'col-done' }, checkbox);
  if (done) {
    doneCell.append(el('div', { class: 'done-date' },
      editable({
        key: `step-${s.id}-done-date`, label: `Done date of step ${s.reference}`, value: s.done_date ?? '',
        shown: shortDate(s.done_date, today), type: 'date', className: 'done-date-value',
        save: saver((v) => stepEdit(s.reference, [{ field: 'done_date', value: v || null }]), reload),
      })));
  }

  const textCell = el('td', { class: 'col-step' },
    el('span', { class: 'step-number', text: `${s.number}.` }), ' ',
    editable({
      key: `step-${s.id}-text`, label: `Text of step ${s.reference}`, value: s.text, multiline: true,
      save: saver((v) => stepEdit(s.reference, [{ field: 'text', value: v }]), reload),
    }),
    s.suggested ? el('span', { class: 'badge', title: 'The guidance leaves this step empty; this is a suggestion until you edit it.' }, 'suggested') : null,
    s.notes ? el('span', { class: 'badge badge-quiet', title: s.notes }, 'notes') : null);

  const ownerCell = el('td', { class: 'col-owner' },
    editable({
      key: `step-${s.id}-person`, label: `Owner of step ${s.reference}`, value: s.owner_person, placeholder: 'add a name',
      save: saver((v) => stepEdit(s.reference, [{ field: 'owner_person', value: v }]), reload),
    }),
    el('div', { class: 'owner-role' }, editable({
      key: `step-${s.id}-role`, label: `Owner role of step ${s.reference}`, value: s.owner_role, placeholder: 'role',
      save: saver((v) => stepEdit(s.reference, [{ field: 'owner_role', value: v }]), reload),
    })));

  const dueCell = el('td', { class: 'col-due' },
    editable({
      key: `step-${s.id}-due`, label: `Due date of step ${s.reference}`, value: s.due_date ?? '',
      shown: shortDate(s.due_date, today), type: 'date', placeholder: '—',
      save: saver((v) => stepEdit(s.reference, [{ field: 'due_date', value: v || null }]), reload),
    }),
    s.overdue ? el('div', { class: 'overdue', text: 'overdue' }) : null);

  const status = el('select', {
    class: `status status-${s.status}`, 'aria-label': `Status of step ${s.reference}`,
    dataset: { focusKey: `step-${s.id}-status` },
    onchange: async (e) => {
      await attempt('edit_step', { reference: s.reference, edits: [{ field: 'status', value: e.target.value }] });
      await reload();
    },
  }, ...STATUSES.map(([value, label]) => el('option', { value, selected: value === s.status }, label)));

  const docCell = el('td', { class: 'col-doc' }, s.doc_link
    ? linkButton(s.doc_label || 'Link', s.doc_link, `Open the documentation of step ${s.reference} in the browser`)
    : el('span', { class: 'muted', text: '—' }));

  const expanded = state.openDetails.has(s.id);
  const more = el('button', {
    class: 'icon-button', type: 'button', 'aria-expanded': String(expanded),
    'aria-label': `More about step ${s.reference}`, title: 'Notes, evidence, links, order',
    dataset: { focusKey: `step-${s.id}-more` },
    onclick: () => {
      if (expanded) state.openDetails.delete(s.id); else state.openDetails.add(s.id);
      draw();
    },
  }, expanded ? '▾' : '▸');

  return el('tr', { class: `step ${done ? 'step-done' : ''}`, dataset: { step: s.reference } },
    doneCell, textCell, ownerCell, dueCell, el('td', { class: 'col-status' }, status), docCell,
    el('td', { class: 'col-more' }, more));
}

function stepDetails(s, o) {
  const field = (label, node) => el('div', { class: 'detail' }, el('span', { class: 'detail-label', text: label }), node);
  const index = o.steps.findIndex((x) => x.id === s.id);
  const save = (name) => saver((v) => stepEdit(s.reference, [{ field: name, value: v }]), reload);
  return el('tr', { class: 'step-details' }, el('td', { colspan: '7' },
    el('div', { class: 'details-grid' },
      field('Notes', editable({ key: `step-${s.id}-notes`, label: `Notes of step ${s.reference}`, value: s.notes, multiline: true, placeholder: 'add notes', save: save('notes') })),
      field('Evidence', el('span', {},
        editable({ key: `step-${s.id}-evidence`, label: `Evidence link of step ${s.reference}`, value: s.evidence_link, type: 'url', placeholder: 'https://…', save: save('evidence_link') }),
        s.evidence_link ? [' ', linkButton('Open', s.evidence_link, `Open the evidence of step ${s.reference} in the browser`)] : null)),
      field('Documentation', el('span', {},
        editable({ key: `step-${s.id}-doc-label`, label: `Documentation label of step ${s.reference}`, value: s.doc_label, placeholder: 'label', save: save('doc_label') }),
        ' ',
        editable({ key: `step-${s.id}-doc-link`, label: `Documentation link of step ${s.reference}`, value: s.doc_link, type: 'url', placeholder: 'https://…', save: save('doc_link') }))),
      el('div', { class: 'detail detail-actions' },
        el('button', {
          class: 'button', type: 'button', disabled: index === 0, dataset: { focusKey: `step-${s.id}-up` },
          onclick: async () => { await attempt('move_step', { reference: s.reference, to: index }); await reload(); },
        }, 'Move up'),
        el('button', {
          class: 'button', type: 'button', disabled: index === o.steps.length - 1, dataset: { focusKey: `step-${s.id}-down` },
          onclick: async () => { await attempt('move_step', { reference: s.reference, to: index + 2 }); await reload(); },
        }, 'Move down'),
        el('button', {
          class: 'button danger', type: 'button',
          onclick: (e) => confirmRemove(e.target.closest('td'), `Remove step ${s.reference}?`, async () => {
            state.openDetails.delete(s.id);
            await attempt('remove_step', { reference: s.reference });
            await reload();
          }),
        }, 'Remove step')))));
}

function linkButton(label, url, aria) {
  return el('button', {
    class: 'link-button', type: 'button', title: url, 'aria-label': aria,
    onclick: async () => {
      const opened = await attempt('open_link', { url });
      if (opened !== undefined) notify(`Opened in your browser: ${url}`);
    },
  }, `${label} ↗`);
}

function confirmRemove(anchor, question, run) {
  const box = el('div', { class: 'confirm', role: 'alertdialog', 'aria-label': question },
    el('span', { text: question }),
    el('button', { class: 'button danger', type: 'button', onclick: async () => { box.remove(); await run(); } }, 'Remove'),
    el('button', { class: 'button', type: 'button', onclick: () => box.remove() }, 'Cancel'));
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') box.remove(); });
  anchor.append(box);
  box.querySelector('button')?.focus();
}

function addStepForm(o) {
  const input = el('input', { type: 'text', placeholder: 'New implementation step', 'aria-label': `New step for objective ${o.id}`, dataset: { focusKey: `objective-${o.id}-new-step` } });
  return el('form', {
    class: 'add-form',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!input.value.trim()) { input.focus(); return; }
      const added = await attempt('add_step', { objectiveId: o.id, text: input.value, ownerRole: o.owner_role });
      if (added) await reload();
    },
  }, input, el('button', { class: 'button', type: 'submit' }, 'Add step'));
}

function addObjectiveForm() {
  const id = el('input', { type: 'text', placeholder: 'Id (e.g. 3)', size: '8', 'aria-label': 'New objective id' });
  const title = el('input', { type: 'text', placeholder: 'New deployment objective', 'aria-label': 'New objective title' });
  return el('form', {
    class: 'add-form add-objective card',
    onsubmit: async (e) => {
      e.preventDefault();
      const added = await attempt('add_objective', { id: id.value, title: title.value, ownerRole: '' });
      if (added) await reload();
    },
  }, id, title, el('button', { class: 'button', type: 'submit' }, 'Add objective'));
}

// ---------------------------------------------------------------- accountability

function drawAccountability(panel) {
  const rows = state.plan.accountability;
  const edit = (row, field) => saver((v) => call('edit_accountability', { number: String(row.number), edits: [{ field, value: v }] }), reload);
  const body = el('tbody');
  for (const row of rows) {
    const cell = (field, label, placeholder) => el('td', {}, editable({
      key: `acc-${row.id}-${field}`, label: `${label} of row ${row.number}`, value: row[field], placeholder, save: edit(row, field),
    }));
    const removeCell = el('td', { class: 'col-more' });
    removeCell.append(el('button', {
      class: 'icon-button danger', type: 'button', 'aria-label': `Remove row ${row.number}`, title: 'Remove row',
      onclick: () => confirmRemove(removeCell, `Remove row ${row.number}?`, async () => {
        await attempt('remove_accountability', { number: String(row.number) });
        await reload();
      }),
    }, '×'));
    body.append(el('tr', { dataset: { row: String(row.number) } },
      cell('lead', 'Lead', '—'), cell('owner', 'Owner', '—'), cell('accountability', 'Accountability', ''),
      cell('person', 'Person', 'add a name'), removeCell));
  }
  const input = el('input', { type: 'text', placeholder: 'New accountability', 'aria-label': 'New accountability row' });
  panel.append(el('article', { class: 'card' },
    el('p', { class: 'card-intro', text: 'Who sponsors, leads and carries out the program, as the guidance sets it out. Add the person who fills each role.' }),
    el('table', { class: 'accountability' },
      el('caption', { class: 'sr-only', text: 'Program and project member accountabilities' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: 'Lead' }), el('th', { scope: 'col', text: 'Owner' }),
        el('th', { scope: 'col', text: 'Accountability' }), el('th', { scope: 'col', text: 'Person' }),
        el('th', { scope: 'col', class: 'col-more' }, el('span', { class: 'sr-only', text: 'Remove' })))),
      body),
    rows.length ? null : el('p', { class: 'empty-note', text: 'The table is empty. Add a row below.' }),
    el('form', {
      class: 'add-form',
      onsubmit: async (e) => {
        e.preventDefault();
        if (!input.value.trim()) { input.focus(); return; }
        if (await attempt('add_accountability', { accountability: input.value })) await reload();
      },
    }, input, el('button', { class: 'button', type: 'submit' }, 'Add row'))));
}

// ---------------------------------------------------------------- activity

const FIELD_NAMES = {
  text: 'text', owner_role: 'owner role', owner_person: 'owner', due_date: 'due date', status: 'status',
  done_date: 'done date', notes: 'notes', evidence_link: 'evidence link', doc_label: 'documentation label',
  doc_link: 'documentation link', suggested: 'suggested', title: 'title', queue_target: 'queue target',
  weeks_required: 'weeks required', rag_override: 'RAG override', lead: 'lead', owner: 'owner',
  accountability: 'accountability', person: 'person', program_name: 'program name', position: 'position',
};
const ENTITY_NAMES = { step: 'Step', objective: 'Objective', accountability: 'Accountability row', setting: 'Setting' };

const DATE_FIELDS = new Set(['due_date', 'done_date']);

function showValue(field, value) {
  if (field === 'status') return STATUSES.find(([v]) => v === value)?.[1].toLowerCase() ?? value;
  if (DATE_FIELDS.has(field)) return shortDate(value, state.plan?.as_of);
  return value;
}

function clip(text, length = 70) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function describe(e) {
  const what = `${ENTITY_NAMES[e.entity] ?? e.entity} ${e.entity === 'setting' ? '' : e.entity_id}`.trim();
  const context = e.context && e.entity !== 'setting' ? ` (${clip(e.context)})` : '';
  const field = FIELD_NAMES[e.field] ?? e.field;
  const had = e.old_value !== null && e.old_value !== undefined && e.old_value !== '';
  const has = e.new_value !== null && e.new_value !== undefined && e.new_value !== '';
  switch (e.action) {
    case 'add': return `${what} added: ${clip(e.new_value ?? '')}`;
    case 'remove': return `${what} removed: ${clip(e.old_value ?? '')}`;
    case 'move': return `${what}${context} moved from place ${e.old_value} to ${e.new_value}`;
    default:
      if (!had) return `${what}${context}: ${field} set to ${showValue(e.field, e.new_value)}`;
      if (!has) return `${what}${context}: ${field} cleared (was ${showValue(e.field, e.old_value)})`;
      return `${what}${context}: ${field} ${showValue(e.field, e.old_value)} → ${showValue(e.field, e.new_value)}`;
  }
}

function drawActivity(panel) {
  const log = state.log ?? [];
  if (!log.length) {
    panel.append(el('article', { class: 'card' }, el('p', { class: 'empty-note', text: 'No changes yet. Every edit to the plan, from the app or the command line, is listed here with its time.' })));
    return;
  }
  const list = el('ol', { class: 'activity', 'aria-label': 'Changes, newest first' });
  for (const e of log) {
    list.append(el('li', { class: 'activity-item', title: e.context || undefined },
      el('time', { datetime: e.at, text: localTime(e.at) }),
      el('span', { class: `source source-${e.source}`, text: e.source === 'cli' ? 'command line' : e.source }),
      el('span', { class: 'activity-text', text: describe(e) })));
  }
  panel.append(el('article', { class: 'card' }, list));
}
