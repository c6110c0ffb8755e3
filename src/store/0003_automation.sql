-- Closed by a tool (an automated investigation state, an automation rule) whatever the
-- assignee: kept so that a change of the automation accounts can re-mark stored items.
ALTER TABLE work_item ADD COLUMN closed_by_tool INTEGER NOT NULL DEFAULT 0 CHECK (closed_by_tool IN (0, 1));
UPDATE work_item SET closed_by_tool = automated;
