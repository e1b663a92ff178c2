-- The base overview reads each member's stored total and level for thousands of members at a
-- time (a page's order, the level distribution). A covering index keeps those reads off the
-- snapshot rows, whose reports are kilobytes of JSON (the load test: page 50 of 5,000).
CREATE INDEX score_snapshots_person_total_level ON score_snapshots (person_id, total, level);
