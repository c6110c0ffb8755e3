-- The deployment plan: objectives, their implementation steps, the accountability table,
-- and the audit log every edit writes to (it feeds the burn-up chart and the milestones).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE objective (
    id                  TEXT PRIMARY KEY,
    title               TEXT NOT NULL,
    -- 'outcome' objectives are met by the data (objective 1: active queues at or below a target).
    kind                TEXT NOT NULL DEFAULT 'deployment' CHECK (kind IN ('outcome', 'deployment')),
    owner_role          TEXT NOT NULL DEFAULT '',
    owner_person        TEXT NOT NULL DEFAULT '',
    position            INTEGER NOT NULL,
    rag_override        TEXT CHECK (rag_override IN ('red', 'amber', 'green')),
    rag_override_reason TEXT,
    queue_target        INTEGER NOT NULL DEFAULT 1 CHECK (queue_target >= 0),
    weeks_required      INTEGER NOT NULL DEFAULT 4 CHECK (weeks_required >= 1)
) STRICT;

CREATE TABLE step (
    id            INTEGER PRIMARY KEY,
    objective_id  TEXT NOT NULL REFERENCES objective(id) ON DELETE CASCADE ON UPDATE CASCADE,
    position      INTEGER NOT NULL,
    text          TEXT NOT NULL,
    owner_role    TEXT NOT NULL DEFAULT '',
    owner_person  TEXT NOT NULL DEFAULT '',
    due_date      TEXT,
    status        TEXT NOT NULL DEFAULT 'not_started'
                  CHECK (status IN ('not_started', 'in_progress', 'blocked', 'done')),
    done_date     TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    evidence_link TEXT NOT NULL DEFAULT '',
    doc_label     TEXT NOT NULL DEFAULT '',
    doc_link      TEXT NOT NULL DEFAULT '',
    -- Seeded where the guidance leaves the table empty; cleared once a person edits the text.
    suggested     INTEGER NOT NULL DEFAULT 0 CHECK (suggested IN (0, 1))
) STRICT;
CREATE INDEX step_by_objective ON step(objective_id, position);

CREATE TABLE accountability (
    id             INTEGER PRIMARY KEY,
    position       INTEGER NOT NULL,
    lead           TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    accountability TEXT NOT NULL DEFAULT '',
    person         TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    entity    TEXT NOT NULL CHECK (entity IN ('objective', 'step', 'accountability', 'setting')),
    entity_id TEXT NOT NULL,
    -- The objective a step belonged to when edited, so the log reads well after a removal.
    context   TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL CHECK (action IN ('add', 'edit', 'remove', 'move')),
    field     TEXT NOT NULL DEFAULT '',
    old_value TEXT,
    new_value TEXT,
    source    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_by_time ON audit_log(at);
