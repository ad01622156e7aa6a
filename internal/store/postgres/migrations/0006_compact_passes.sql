-- PASS findings, compactly (as the SQLite store's migration 0006). Most of
-- a scan's findings pass (about 95 % of the demo estate's), carry no
-- reason and are only read in bulk, and after migration 0005 their rows
-- were the largest part of what a rescan adds. Each write batch now stores
-- one row per (check, severity) listing the resource rows that passed it:
-- resource_ids holds snap_resources IDs, 8 bytes each instead of a row of
-- about 100. Findings(), FindingGroups() and the query view `findings`
-- expand these rows, so readers see one PASS finding per (check, resource)
-- as before. PASS findings with a reason, and every other status, stay in
-- snap_findings; so do the PASS rows of snapshots written before this
-- migration. In the view, the PASS branch's columns have exactly the
-- types and collations of snap_findings' so that the planner pushes a
-- statement's filters into both branches (and drops the PASS branch when
-- the statement excludes PASS).
CREATE TABLE snap_passes (
	snapshot_id  bigint   NOT NULL REFERENCES snapshots (id),
	check_id     text     COLLATE "C" NOT NULL,
	severity     smallint NOT NULL,
	resource_ids bigint[] NOT NULL
);
CREATE INDEX snap_passes_snapshot ON snap_passes (snapshot_id);

CREATE OR REPLACE VIEW cloudward_query.findings AS
	SELECT f.check_id, f.status,
		CASE f.severity WHEN 0 THEN 'info' WHEN 1 THEN 'low' WHEN 2 THEN 'medium'
			WHEN 3 THEN 'high' WHEN 4 THEN 'critical' END AS severity,
		f.reason, r.uid AS resource_uid, r.kind, r.provider, r.account, r.region,
		r.name AS resource_name
	FROM (SELECT check_id, status, severity, reason, resource_id FROM snap_findings
			WHERE snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint
		UNION ALL
		SELECT p.check_id, 'PASS'::text COLLATE "C", p.severity, ''::text, u.id FROM snap_passes p, unnest(p.resource_ids) u (id)
			WHERE p.snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint) f
	JOIN snap_resources r ON r.id = f.resource_id;
