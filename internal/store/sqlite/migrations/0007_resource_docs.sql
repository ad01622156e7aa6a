-- Content-addressed property documents. A daily scan of an unchanged
-- estate would otherwise store every resource's properties again; now each
-- distinct document is stored once in resource_docs, keyed by the SHA-256
-- of its bytes (collectors write canonical JSON: encoding/json sorts map
-- keys), and snap_resources rows name it by doc_hash. Writing a resource
-- inserts its document with ON CONFLICT DO NOTHING: an unchanged document
-- costs one index probe and no write.
--
-- snap_resources.properties stays for rows written before this migration
-- (doc_hash NULL, properties inline); rows written since have doc_hash set
-- and properties ''. Readers take coalesce of the two (see read.go).
--
-- first_snapshot is the snapshot that first stored the document: when a
-- snapshot fails (rollback, or a crashed scan found at the next open), the
-- documents it introduced that no other snapshot references are deleted.
CREATE TABLE resource_docs (
	id             INTEGER PRIMARY KEY,
	hash           BLOB    NOT NULL UNIQUE,
	first_snapshot INTEGER NOT NULL,
	body           TEXT    NOT NULL
);
CREATE INDEX resource_docs_first ON resource_docs (first_snapshot);
ALTER TABLE snap_resources ADD COLUMN doc_hash BLOB;
