-- Imports of alert exports, the work items they hold, and the queues the items land in.
-- Every instant is INTEGER UTC epoch milliseconds; calendar days are TEXT 'YYYY-MM-DD'.

CREATE TABLE import (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    format          TEXT NOT NULL,
    -- NULL when the file has no day/month dates to order.
    date_order      TEXT CHECK (date_order IN ('mdy', 'dmy')),
    -- How the order was settled: read from the data, chosen by the user, or assumed (no date
    -- in the file told the two apart).
    date_order_from TEXT CHECK (date_order_from IN ('data', 'user', 'assumed')),
    rows_read       INTEGER NOT NULL,
    items_new       INTEGER NOT NULL,
    items_updated   INTEGER NOT NULL,
    items_unchanged INTEGER NOT NULL,
    rows_rejected   INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    imported_at_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE import_rejection (
    import_id INTEGER NOT NULL REFERENCES import(id) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    reason    TEXT NOT NULL
) STRICT;
CREATE INDEX import_rejection_by_import ON import_rejection(import_id, line);

-- One row per object an analyst has to look at, after de-duplication. `identity` is the same
-- for one object seen through two exports (e.g. 'xdr-incident:14240' from the Defender XDR
-- CSV and from a Sentinel incident synced from XDR).
CREATE TABLE work_item (
    id             INTEGER PRIMARY KEY,
    identity       TEXT NOT NULL UNIQUE,
    source         TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('alert', 'incident')),
    title          TEXT NOT NULL DEFAULT '',
    severity       TEXT NOT NULL CHECK (severity IN ('informational', 'low', 'medium', 'high', 'critical', 'unknown')),
    status         TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'resolved', 'redirected')),
    queue          TEXT NOT NULL,
    -- The export's product/provider field that the queue rules read, kept so that a rule
    -- change can re-assign stored items.
    queue_signal   TEXT NOT NULL DEFAULT '',
    created_ms     INTEGER,
    -- 0 when the export has no created time and another stands in for it (the Defender XDR
    -- portal CSV: first activity); an export that states one replaces it.
    created_exact  INTEGER NOT NULL DEFAULT 1 CHECK (created_exact IN (0, 1)),
    triaged_ms     INTEGER,
    resolved_ms    INTEGER,
    -- The export's own "last changed" time: the newer state wins on re-import.
    updated_ms     INTEGER,
    assignee       TEXT,
    classification TEXT,
    determination  TEXT,
    automated      INTEGER NOT NULL DEFAULT 0 CHECK (automated IN (0, 1)),
    -- For an alert: the identity of its incident.
    incident_ref   TEXT,
    -- For an alert whose incident is imported too: that incident (it is counted there).
    parent_id      INTEGER,
    import_id      INTEGER NOT NULL,
    first_import_id INTEGER NOT NULL,
    changed_by_import_id INTEGER NOT NULL,
    -- What the figures count: not merged away (redirected) and not rolled up into an incident.
    counted        INTEGER GENERATED ALWAYS AS (parent_id IS NULL AND status <> 'redirected') STORED
) STRICT;
CREATE INDEX work_item_by_created ON work_item(counted, created_ms);
CREATE INDEX work_item_by_queue ON work_item(queue, created_ms);
CREATE INDEX work_item_by_severity ON work_item(severity, created_ms);
CREATE INDEX work_item_by_incident ON work_item(incident_ref) WHERE incident_ref IS NOT NULL;
CREATE INDEX work_item_by_parent ON work_item(parent_id) WHERE parent_id IS NOT NULL;

-- Which imports carry which items: an item goes with its last import only.
CREATE TABLE item_import (
    import_id INTEGER NOT NULL REFERENCES import(id) ON DELETE CASCADE,
    item_id   INTEGER NOT NULL,
    PRIMARY KEY (import_id, item_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX item_import_by_item ON item_import(item_id);

CREATE TABLE queue (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    -- Listed by hand (a legacy SIEM, a mail inbox): watched from/to these days (NULL: open).
    hand_listed INTEGER NOT NULL DEFAULT 0 CHECK (hand_listed IN (0, 1)),
    active_from TEXT,
    active_to   TEXT
) STRICT;
CREATE UNIQUE INDEX queue_one_primary ON queue(is_primary) WHERE is_primary = 1;

-- The first rule (by position) whose format matches, and whose signal is '' or equals the
-- item's queue signal (case-insensitive), names the item's queue.
CREATE TABLE queue_rule (
    id       INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    format   TEXT NOT NULL,
    signal   TEXT NOT NULL DEFAULT '',
    queue    TEXT NOT NULL
) STRICT;

-- Column mappings for "any other CSV", chosen once and reused for files with the same header.
CREATE TABLE column_mapping (
    name       TEXT PRIMARY KEY,
    header_key TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL
) STRICT;

INSERT INTO queue (name, is_primary) VALUES
    ('Defender XDR', 1),
    ('Defender for Cloud', 0),
    ('Microsoft Sentinel', 0),
    ('Splunk ES', 0),
    ('TheHive', 0);

INSERT INTO queue_rule (position, format, signal, queue) VALUES
    (1, 'defender-xdr', '', 'Defender XDR'),
    (2, 'graph-alerts', '', 'Defender XDR'),
    (3, 'defender-for-cloud', '', 'Defender for Cloud'),
    (4, 'sentinel', 'Azure Sentinel', 'Microsoft Sentinel'),
    (5, 'sentinel', 'Microsoft XDR', 'Defender XDR'),
    (6, 'sentinel', 'Microsoft 365 Defender', 'Defender XDR'),
    (7, 'sentinel', '', 'Microsoft Sentinel'),
    (8, 'splunk-es', '', 'Splunk ES'),
    (9, 'thehive', '', 'TheHive');

INSERT INTO setting (key, value) VALUES ('automation_accounts', 'Automation');
