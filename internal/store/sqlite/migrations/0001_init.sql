-- Snapshots and their rows. Times are UTC text in a fixed-width format
-- (2006-01-02T15:04:05.000000000Z) so that they sort and SQLite's date
-- functions read them.

CREATE TABLE snapshots (
	id          INTEGER PRIMARY KEY,
	scope       TEXT    NOT NULL,
	started_at  TEXT    NOT NULL,
	finished_at TEXT,
	status      TEXT    NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
	resources   INTEGER NOT NULL DEFAULT 0,
	edges       INTEGER NOT NULL DEFAULT 0,
	errors      INTEGER NOT NULL DEFAULT 0,
	findings    INTEGER NOT NULL DEFAULT 0,
	-- The process that writes a running snapshot, so that opening the store
	-- from another process does not fail a scan that is still going.
	owner_host  TEXT    NOT NULL DEFAULT '',
	owner_pid   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX snapshots_status ON snapshots (status, started_at);

CREATE TABLE snap_resources (
	id          INTEGER PRIMARY KEY,
	snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
	uid         TEXT    NOT NULL,
	provider    TEXT    NOT NULL,
	account     TEXT    NOT NULL,
	region      TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	tags        TEXT,            -- JSON object, NULL when there are none
	created_at  TEXT,            -- NULL when the provider does not say
	properties  TEXT    NOT NULL -- JSON object
);
CREATE UNIQUE INDEX snap_resources_uid ON snap_resources (snapshot_id, uid);
CREATE INDEX snap_resources_order ON snap_resources (snapshot_id, account, uid);

CREATE TABLE snap_edges (
	snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
	from_uid    TEXT    NOT NULL,
	type        TEXT    NOT NULL,
	to_uid      TEXT    NOT NULL,
	PRIMARY KEY (snapshot_id, from_uid, type, to_uid)
) WITHOUT ROWID;

CREATE TABLE snap_errors (
	id          INTEGER PRIMARY KEY,
	snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
	provider    TEXT    NOT NULL,
	account     TEXT    NOT NULL,
	region      TEXT    NOT NULL,
	service     TEXT    NOT NULL,
	op          TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	message     TEXT    NOT NULL
);
CREATE INDEX snap_errors_snapshot ON snap_errors (snapshot_id);

-- Findings name their resource by UID; name, kind, provider, account and
-- region come from the join with snap_resources on (snapshot_id, uid).
-- PASS findings are most of the rows and only ever read in bulk, so the
-- ordered index covers the others only (a partial index): writing a PASS
-- finding is an append. The snapshot index is an append too (IDs grow).
CREATE TABLE snap_findings (
	id           INTEGER PRIMARY KEY,
	snapshot_id  INTEGER NOT NULL REFERENCES snapshots (id),
	resource_uid TEXT    NOT NULL,
	check_id     TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	severity     INTEGER NOT NULL,
	reason       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX snap_findings_snapshot ON snap_findings (snapshot_id);
CREATE INDEX snap_findings_open ON snap_findings (snapshot_id, severity DESC, check_id, resource_uid)
	WHERE status <> 'PASS';
