-- Each status report issued: when, for what period, and a small snapshot (key figures, plan
-- state, last import) as JSON, from which the next report says what changed since.
CREATE TABLE report_issue (
    id            INTEGER PRIMARY KEY,
    issued_at_ms  INTEGER NOT NULL,
    period_from   TEXT,
    period_to     TEXT,
    author        TEXT NOT NULL DEFAULT '',
    audience      TEXT NOT NULL CHECK (audience IN ('executive', 'program')),
    -- One line: what changed since the report before it (shown in the list of past reports).
    summary       TEXT NOT NULL DEFAULT '',
    snapshot      TEXT NOT NULL
);
CREATE INDEX report_issue_issued_at ON report_issue (issued_at_ms);
