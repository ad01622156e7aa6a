-- Resources by kind: the cross-resource checks re-read the resources of
-- their kinds after collection, and the dashboard filters by kind. Entries
-- of one kind are appended in rowid order, so the index stays cheap to
-- maintain during bulk writes.
CREATE INDEX snap_resources_kind ON snap_resources (snapshot_id, kind);
