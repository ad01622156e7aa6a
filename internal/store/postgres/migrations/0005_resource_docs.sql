-- Content-addressed property documents. Until now every snapshot stored
-- every resource's properties again, so a daily scan of an unchanged
-- estate grew the database by the whole estate. Now each distinct document
-- is stored once in resource_docs, keyed by the SHA-256 of its bytes (the
-- collector's bytes, which json keeps; collectors write canonical JSON),
-- and a snap_resources row names its document by doc_hash. The writer
-- computes the hash, asks which of a batch's hashes are missing and sends
-- only those documents; an unchanged document costs one index probe.
--
-- Why the full SHA-256 (32 bytes) and not a 64-bit hash: with SHA-256 two
-- different documents never share a key in practice, so no writer or
-- reader ever compares bodies, and a row can be COPYed with its hash
-- without resolving an ID first. A 64-bit key would save 25 bytes per
-- resource row (a few per cent of a snapshot's size) but needs a body
-- comparison on every match to be safe from collisions (the birthday bound
-- for 10^8 documents is about 3 in 10,000), which means reading every
-- unchanged document back on every scan. The SQLite store uses the same
-- key (its migration 0007).
--
-- first_snapshot is the snapshot whose write first stored the document.
-- When a snapshot fails (rollback, or a crashed scan found by the next
-- Open), the documents it introduced are deleted unless another snapshot
-- that can have seen them references them: a running one, or a complete
-- one that committed after the failed one began (end_seq > begin_seq, both
-- from snapshot_seq, which orders Begin against Commit across sessions).
-- Writers take a shared transaction-level advisory lock while they write
-- documents and references, the deleting transaction an exclusive one, so
-- a document is never deleted between a writer finding it present and the
-- writer's reference to it committing.
CREATE SEQUENCE snapshot_seq;
ALTER TABLE snapshots
	ADD COLUMN begin_seq bigint NOT NULL DEFAULT nextval('snapshot_seq'),
	ADD COLUMN end_seq   bigint;
UPDATE snapshots SET end_seq = nextval('snapshot_seq') WHERE status = 'complete';

CREATE TABLE resource_docs (
	hash           bytea  PRIMARY KEY,
	first_snapshot bigint NOT NULL,
	body           json   NOT NULL
);

-- Existing documents, each once, attributed to the oldest snapshot holding
-- it. convert_to gives the UTF-8 bytes the collector sent, which is what
-- the writer hashes.
INSERT INTO resource_docs (hash, first_snapshot, body)
	SELECT DISTINCT ON (hash) hash, snapshot_id, properties
	FROM (SELECT sha256(convert_to(properties::text, 'UTF8')) AS hash, snapshot_id, properties
		FROM snap_resources) d
	ORDER BY hash, snapshot_id;
CREATE INDEX resource_docs_first ON resource_docs (first_snapshot);

-- snap_resources is rebuilt without properties (a dropped column would
-- keep its bytes in every existing row), in streaming order, keeping row
-- IDs: snap_findings.resource_id points at them. The views that read it
-- are dropped first and recreated below.
DROP VIEW cloudward_query.resources;
DROP VIEW cloudward_query.findings;
ALTER TABLE snap_resources RENAME TO snap_resources_0004;
ALTER INDEX snap_resources_pkey RENAME TO snap_resources_0004_pkey;
ALTER SEQUENCE snap_resources_id_seq RENAME TO snap_resources_0004_id_seq;

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
	doc_hash     bytea   NOT NULL
);
INSERT INTO snap_resources OVERRIDING SYSTEM VALUE
	SELECT id, snapshot_id, uid, provider, account, region, kind, name, tags, created_at, created_nsec,
		sha256(convert_to(properties::text, 'UTF8'))
	FROM snap_resources_0004
	ORDER BY snapshot_id, account, uid;
SELECT setval(pg_get_serial_sequence('snap_resources', 'id'),
	coalesce((SELECT max(id) FROM snap_resources_0004), 0) + 1, false);
DROP TABLE snap_resources_0004;
CREATE UNIQUE INDEX snap_resources_uid ON snap_resources (snapshot_id, uid);
CREATE INDEX snap_resources_order ON snap_resources (snapshot_id, account, uid);
CREATE INDEX snap_resources_kind ON snap_resources (snapshot_id, kind);

CREATE VIEW cloudward_query.resources AS
	SELECT uid, provider, account, region, kind, name,
		coalesce(tags, '{}'::jsonb) AS tags, created_at,
		(SELECT d.body FROM resource_docs d WHERE d.hash = r.doc_hash)::jsonb AS properties
	FROM snap_resources r
	WHERE snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint;

CREATE VIEW cloudward_query.findings AS
	SELECT f.check_id, f.status,
		CASE f.severity WHEN 0 THEN 'info' WHEN 1 THEN 'low' WHEN 2 THEN 'medium'
			WHEN 3 THEN 'high' WHEN 4 THEN 'critical' END AS severity,
		f.reason, r.uid AS resource_uid, r.kind, r.provider, r.account, r.region,
		r.name AS resource_name
	FROM snap_findings f JOIN snap_resources r ON r.id = f.resource_id
	WHERE f.snapshot_id = nullif(current_setting('cloudward.snapshot', true), '')::bigint;
