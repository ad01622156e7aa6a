-- Findings are mostly PASS and PASS findings are only ever read in bulk:
-- index the others only (a partial index, as the SQLite store does), and
-- drop the identity column nothing reads, so that writing a finding costs
-- no sequence call and, when it passes, no ordered-index insert.
DROP INDEX snap_findings_order;
ALTER TABLE snap_findings DROP COLUMN id;
CREATE INDEX snap_findings_snapshot ON snap_findings (snapshot_id);
CREATE INDEX snap_findings_open ON snap_findings (snapshot_id, severity DESC, check_id)
	WHERE status <> 'PASS';
