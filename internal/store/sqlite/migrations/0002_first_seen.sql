-- When each open finding (FAIL, MUTED or ERROR) was first seen. A finding's
-- identity is its check ID and resource UID; its first_seen is carried from
-- the previous complete snapshot of the same scope while it stays open
-- (FAIL and MUTED count as the same state), and is the snapshot's start
-- otherwise. Rows are written in the transaction that commits the snapshot.
-- PASS findings get no row: most findings pass, and nobody acts on them.
CREATE TABLE finding_seen (
	snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id),
	check_id     TEXT    NOT NULL,
	resource_uid TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	first_seen   TEXT    NOT NULL,
	PRIMARY KEY (snapshot_id, check_id, resource_uid)
) WITHOUT ROWID;
CREATE INDEX snapshots_scope ON snapshots (scope, status, started_at);
