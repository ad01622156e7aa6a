-- PASS findings, compactly. Most of a scan's findings pass (about 95 % of
-- the demo estate's 4.9 per resource), carry no reason and are only read in
-- bulk, so a row per finding was the largest cost of writing a snapshot.
-- Instead, each write batch stores one row per check listing the resources
-- that passed it: uids is a JSON array of resource UIDs (sorted, distinct
-- within the row), n its length. Findings() and the query view `findings`
-- expand these rows, so readers see one PASS finding per (check, resource)
-- as before. PASS findings with a reason, and every other status, stay in
-- snap_findings; so do the PASS rows of snapshots written before this
-- migration.
CREATE TABLE snap_passes (
	id          INTEGER PRIMARY KEY,
	snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
	check_id    TEXT    NOT NULL,
	severity    INTEGER NOT NULL,
	n           INTEGER NOT NULL,
	uids        TEXT    NOT NULL
);
CREATE INDEX snap_passes_snapshot ON snap_passes (snapshot_id, check_id);
