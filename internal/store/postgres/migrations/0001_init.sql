-- Snapshots and their rows. Text columns that are sorted or compared use
-- the "C" collation, so that order is byte order on every server (as in the
-- SQLite store) whatever the database's default collation.

CREATE TABLE snapshots (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	scope       text        NOT NULL,
	started_at  timestamptz NOT NULL,
	finished_at timestamptz,
	status      text        NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
	resources   bigint      NOT NULL DEFAULT 0,
	edges       bigint      NOT NULL DEFAULT 0,
	errors      bigint      NOT NULL DEFAULT 0,
	findings    bigint      NOT NULL DEFAULT 0,
	-- The process that writes a running snapshot, for people reading the
	-- table. Liveness itself is an advisory lock the writer's session holds.
	owner_host  text        NOT NULL DEFAULT '',
	owner_pid   integer     NOT NULL DEFAULT 0
);
CREATE INDEX snapshots_status ON snapshots (status, started_at DESC, id DESC);
CREATE INDEX snapshots_scope ON snapshots (scope, status, started_at);

-- properties is json, not jsonb: json keeps the collector's document byte
-- for byte (jsonb reorders keys and rewrites whitespace and escapes), and
-- the query views cast it to jsonb for jsonb operators and JSON paths.
-- created_at holds microseconds; created_nsec the nanoseconds below them.
CREATE TABLE snap_resources (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	snapshot_id  bigint  NOT NULL REFERENCES snapshots (id),
	uid          text    COLLATE "C" NOT NULL,
	provider     text    COLLATE "C" NOT NULL,
	account      text    COLLATE "C" NOT NULL,
	region       text    COLLATE "C" NOT NULL,
	kind         text    COLLATE "C" NOT NULL,
	name         text    COLLATE "C" NOT NULL,
	tags         jsonb,
	created_at   timestamptz,
	created_nsec integer NOT NULL DEFAULT 0,
	properties   json    NOT NULL
);
CREATE UNIQUE INDEX snap_resources_uid ON snap_resources (snapshot_id, uid);
CREATE INDEX snap_resources_order ON snap_resources (snapshot_id, account, uid);

CREATE TABLE snap_edges (
	snapshot_id bigint NOT NULL REFERENCES snapshots (id),
	from_uid    text   COLLATE "C" NOT NULL,
	type        text   COLLATE "C" NOT NULL,
	to_uid      text   COLLATE "C" NOT NULL,
	PRIMARY KEY (snapshot_id, from_uid, type, to_uid)
);

CREATE TABLE snap_errors (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	snapshot_id bigint NOT NULL REFERENCES snapshots (id),
	provider    text   NOT NULL,
	account     text   NOT NULL,
	region      text   NOT NULL,
	service     text   NOT NULL,
	op          text   NOT NULL,
	kind        text   NOT NULL,
	message     text   NOT NULL
);
CREATE INDEX snap_errors_snapshot ON snap_errors (snapshot_id, id);

-- Findings point at their resource row; name, kind, provider, account and
-- region come from the join. resource_id has no declared foreign key: the
-- writer resolves it from the UID in the same transaction, and a declared
-- key would make every resource delete scan this table.
CREATE TABLE snap_findings (
	id          bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	snapshot_id bigint   NOT NULL REFERENCES snapshots (id),
	resource_id bigint   NOT NULL,
	check_id    text     COLLATE "C" NOT NULL,
	status      text     COLLATE "C" NOT NULL,
	severity    smallint NOT NULL,
	reason      text     NOT NULL DEFAULT ''
);
CREATE INDEX snap_findings_order ON snap_findings (snapshot_id, severity DESC, check_id);

-- When each open finding (FAIL, MUTED or ERROR) was first seen. A finding's
-- identity is its check ID and resource UID; its first_seen is carried from
-- the previous complete snapshot of the same scope while it stays open
-- (FAIL and MUTED count as the same state), and is the snapshot's start
-- otherwise. Rows are written in the transaction that commits the snapshot.
-- PASS findings get no row: most findings pass, and nobody acts on them.
CREATE TABLE finding_seen (
	snapshot_id  bigint      NOT NULL REFERENCES snapshots (id),
	check_id     text        COLLATE "C" NOT NULL,
	resource_uid text        COLLATE "C" NOT NULL,
	status       text        NOT NULL,
	first_seen   timestamptz NOT NULL,
	PRIMARY KEY (snapshot_id, check_id, resource_uid)
);

-- What `cloudward query` sees. Query puts this schema first on the
-- search_path and sets cloudward.snapshot for its transaction only, so the
-- views show one snapshot; outside Query they show nothing.
CREATE SCHEMA cloudward_query;

CREATE VIEW cloudward_query.resources AS
	SELECT uid, provider, account, region, kind, name,
		coalesce(tags, '{}'::jsonb) AS tags,
		created_at, properties::jsonb AS properties
	FROM snap_resources
	WHERE snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint;

CREATE VIEW cloudward_query.edges AS
	SELECT from_uid, to_uid, type
	FROM snap_edges
	WHERE snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint;

CREATE VIEW cloudward_query.findings AS
	SELECT f.check_id, f.status,
		CASE f.severity WHEN 0 THEN 'info' WHEN 1 THEN 'low' WHEN 2 THEN 'medium'
			WHEN 3 THEN 'high' WHEN 4 THEN 'critical' END AS severity,
		f.reason, r.uid AS resource_uid, r.kind, r.provider, r.account, r.region,
		r.name AS resource_name
	FROM snap_findings f JOIN snap_resources r ON r.id = f.resource_id
	WHERE f.snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint;

CREATE VIEW cloudward_query.collection_errors AS
	SELECT provider, account, region, service, op, kind, message
	FROM snap_errors
	WHERE snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint
	ORDER BY id;
