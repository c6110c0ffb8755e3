-- Pre-aggregated figures imported from an aggregate file (docs/queries/README.md): counts and
-- duration histograms by week, source format, product (the queue signal), severity and
-- measure, computed where a large SOC's data lives. Every import keeps its own cells; the
-- figures read, for each (source, week_start, product, severity) group, only the cells of the
-- newest import that has that group, so re-importing never double-counts and removing an
-- import brings back the older cells it had replaced.
CREATE TABLE aggregate_cell (
    import_id  INTEGER NOT NULL REFERENCES import(id) ON DELETE CASCADE,
    -- The raw format the figures were computed from ('sentinel', 'splunk-es'): with the product
    -- it picks the queue through the queue rules, as for raw items.
    source     TEXT NOT NULL,
    -- The Monday (YYYY-MM-DD) of the ISO week the items were created in.
    week_start TEXT NOT NULL,
    product    TEXT NOT NULL DEFAULT '',
    severity   TEXT NOT NULL CHECK (severity IN ('informational', 'low', 'medium', 'high', 'critical', 'unknown')),
    -- The queue the rules give (source, product); re-assigned when the rules change.
    queue      TEXT NOT NULL,
    measure    TEXT NOT NULL CHECK (measure IN ('created', 'resolved', 'automated', 'triage', 'resolve', 'closed')),
    -- triage/resolve: the duration bucket (-1: below zero); closed: whole weeks from the week
    -- created to the week closed; otherwise 0.
    bucket     INTEGER NOT NULL,
    count      INTEGER NOT NULL CHECK (count >= 0),
    -- triage/resolve: the sum of the durations, in seconds (exact means); otherwise 0.
    sum_s      REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (source, week_start, product, severity, measure, bucket, import_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX aggregate_cell_by_import ON aggregate_cell(import_id);
CREATE INDEX aggregate_cell_by_group ON aggregate_cell(source, week_start, product, severity, import_id);
-- The cells the figures read: for each group, those of the newest import that has the group.
CREATE VIEW current_aggregate_cell AS
    SELECT c.* FROM aggregate_cell c
    WHERE c.import_id = (
        SELECT MAX(g.import_id) FROM aggregate_cell g
        WHERE g.source = c.source AND g.week_start = c.week_start AND g.product = c.product
          AND g.severity = c.severity);
