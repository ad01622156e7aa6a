// Package drift compares two snapshots: resources added, removed and
// changed (with the changed property paths and their old and new values),
// findings new, resolved and still failing, and score changes per
// framework. It is pure data in and out: callers stream both snapshots'
// resources in (account, UID) order and their findings in any order; the
// resources are merge-joined one pair at a time, so neither estate is ever
// held in memory. Only the changes (and the old snapshot's FAIL findings,
// while matching) are.
package drift

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"cloudward/internal/finding"
	"cloudward/internal/resource"
)

// ResourceChangeType says what happened to a resource.
type ResourceChangeType string

// Resource change types.
const (
	Added   ResourceChangeType = "added"
	Removed ResourceChangeType = "removed"
	Changed ResourceChangeType = "changed"
)

// Change is one changed value. Path is "name", "kind", "provider",
// "region", "created_at", "tags.<key>" or "properties.<path>" with map keys
// joined by "." and list indexes as "[i]". Old and New are JSON values;
// nil means the value is absent on that side (JSON null is "null").
type Change struct {
	Path string          `json:"path"`
	Old  json.RawMessage `json:"old,omitempty"`
	New  json.RawMessage `json:"new,omitempty"`
}

// ResourceChange is one resource that was added, removed or changed. The
// descriptive fields come from the new resource, or the old one when it
// was removed.
type ResourceChange struct {
	Type     ResourceChangeType `json:"type"`
	UID      string             `json:"uid"`
	Kind     string             `json:"kind"`
	Provider string             `json:"provider"`
	Account  string             `json:"account"`
	Region   string             `json:"region"`
	Name     string             `json:"name"`
	// Changes lists what changed, by path; set only for Changed.
	Changes []Change `json:"changes,omitempty"`
}

// ResourceCounts counts resource changes.
type ResourceCounts struct {
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// Resources merge-joins two resource streams, each ordered by account then
// UID (byte-wise, as store.Store.Resources returns them), and calls emit
// for every resource added, removed or changed, in that order. A stream out
// of order is an error: a merge join over it would be wrong.
func Resources(old, cur iter.Seq2[resource.Resource, error], emit func(ResourceChange) error) (ResourceCounts, error) {
	var counts ResourceCounts
	nextOld, stopOld := iter.Pull2(old)
	defer stopOld()
	nextNew, stopNew := iter.Pull2(cur)
	defer stopNew()
	var lastOld, lastNew resource.Resource
	pull := func(next func() (resource.Resource, error, bool), last *resource.Resource, side string) (resource.Resource, bool, error) {
		r, err, ok := next()
		if !ok {
			return resource.Resource{}, false, nil
		}
		if err != nil {
			return resource.Resource{}, false, fmt.Errorf("read %s resources: %w", side, err)
		}
		if last.UID != "" && compareKey(*last, r) >= 0 {
			return resource.Resource{}, false, fmt.Errorf("%s resources are not ordered by account and uid: %s/%s after %s/%s", side, r.Account, r.UID, last.Account, last.UID)
		}
		*last = r
		return r, true, nil
	}
	o, oOK, err := pull(nextOld, &lastOld, "old")
	if err != nil {
		return counts, err
	}
	n, nOK, err := pull(nextNew, &lastNew, "new")
	if err != nil {
		return counts, err
	}
	for oOK || nOK {
		var c int
		switch {
		case !oOK:
			c = 1
		case !nOK:
			c = -1
		default:
			c = compareKey(o, n)
		}
		switch {
		case c < 0:
			counts.Removed++
			if err := emit(describe(Removed, o)); err != nil {
				return counts, err
			}
			if o, oOK, err = pull(nextOld, &lastOld, "old"); err != nil {
				return counts, err
			}
		case c > 0:
			counts.Added++
			if err := emit(describe(Added, n)); err != nil {
				return counts, err
			}
			if n, nOK, err = pull(nextNew, &lastNew, "new"); err != nil {
				return counts, err
			}
		default:
			changes, err := Compare(o, n)
			if err != nil {
				return counts, err
			}
			if len(changes) == 0 {
				counts.Unchanged++
			} else {
				counts.Changed++
				rc := describe(Changed, n)
				rc.Changes = changes
				if err := emit(rc); err != nil {
					return counts, err
				}
			}
			if o, oOK, err = pull(nextOld, &lastOld, "old"); err != nil {
				return counts, err
			}
			if n, nOK, err = pull(nextNew, &lastNew, "new"); err != nil {
				return counts, err
			}
		}
	}
	return counts, nil
}

func compareKey(a, b resource.Resource) int {
	return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.UID, b.UID))
}

func describe(t ResourceChangeType, r resource.Resource) ResourceChange {
	return ResourceChange{Type: t, UID: r.UID, Kind: r.Kind, Provider: string(r.Provider), Account: r.Account, Region: r.Region, Name: r.Name}
}

// Compare returns what differs between two versions of one resource,
// sorted by path. Properties are compared as JSON documents (key order and
// spacing do not matter; numbers compare by their text).
func Compare(old, cur resource.Resource) ([]Change, error) {
	var out []Change
	str := func(path, a, b string) {
		if a != b {
			out = append(out, Change{Path: path, Old: jsonValue(a), New: jsonValue(b)})
		}
	}
	str("name", old.Name, cur.Name)
	str("kind", old.Kind, cur.Kind)
	str("provider", string(old.Provider), string(cur.Provider))
	str("region", old.Region, cur.Region)
	if !old.CreatedAt.Equal(cur.CreatedAt) {
		out = append(out, Change{Path: "created_at", Old: timeValue(old.CreatedAt), New: timeValue(cur.CreatedAt)})
	}
	for _, k := range slices.Sorted(maps.Keys(unionKeys(old.Tags, cur.Tags))) {
		a, aOK := old.Tags[k]
		b, bOK := cur.Tags[k]
		if aOK != bOK || a != b {
			c := Change{Path: "tags." + k}
			if aOK {
				c.Old = jsonValue(a)
			}
			if bOK {
				c.New = jsonValue(b)
			}
			out = append(out, c)
		}
	}
	if !bytes.Equal(old.Properties, cur.Properties) {
		a, err := decode(old.Properties)
		if err != nil {
			return nil, fmt.Errorf("old properties of %s: %w", old.UID, err)
		}
		b, err := decode(cur.Properties)
		if err != nil {
			return nil, fmt.Errorf("new properties of %s: %w", cur.UID, err)
		}
		diffValue("properties", a, b, true, true, &out)
	}
	slices.SortStableFunc(out, func(x, y Change) int { return strings.Compare(x.Path, y.Path) })
	return out, nil
}

func unionKeys(a, b map[string]string) map[string]struct{} {
	u := make(map[string]struct{}, len(a)+len(b))
	for k := range a {
		u[k] = struct{}{}
	}
	for k := range b {
		u[k] = struct{}{}
	}
	return u
}

func decode(raw json.RawMessage) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// diffValue appends the differences between a and b under path. aOK and
// bOK say whether each side has a value at all.
func diffValue(path string, a, b any, aOK, bOK bool, out *[]Change) {
	if am, ok := a.(map[string]any); ok && aOK && bOK {
		if bm, ok := b.(map[string]any); ok {
			keys := make(map[string]struct{}, len(am)+len(bm))
			for k := range am {
				keys[k] = struct{}{}
			}
			for k := range bm {
				keys[k] = struct{}{}
			}
			for _, k := range slices.Sorted(maps.Keys(keys)) {
				av, aHas := am[k]
				bv, bHas := bm[k]
				diffValue(path+"."+k, av, bv, aHas, bHas, out)
			}
			return
		}
	}
	if al, ok := a.([]any); ok && aOK && bOK {
		if bl, ok := b.([]any); ok {
			for i := range max(len(al), len(bl)) {
				var av, bv any
				if i < len(al) {
					av = al[i]
				}
				if i < len(bl) {
					bv = bl[i]
				}
				diffValue(path+"["+strconv.Itoa(i)+"]", av, bv, i < len(al), i < len(bl), out)
			}
			return
		}
	}
	var ar, br json.RawMessage
	if aOK {
		ar = marshal(a)
	}
	if bOK {
		br = marshal(b)
	}
	if aOK != bOK || !bytes.Equal(ar, br) {
		*out = append(*out, Change{Path: path, Old: ar, New: br})
	}
}

func marshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(strconv.Quote(fmt.Sprint(v)))
	}
	return b
}

func jsonValue(s string) json.RawMessage { return marshal(s) }

func timeValue(t time.Time) json.RawMessage {
	if t.IsZero() {
		return nil
	}
	return marshal(t.UTC().Format(time.RFC3339Nano))
}

// FindingChangeType says what happened to a finding identity (check ID +
// resource UID) between two snapshots.
type FindingChangeType string

// Finding change types.
const (
	New          FindingChangeType = "new"           // FAIL now, not FAIL before
	Resolved     FindingChangeType = "resolved"      // FAIL before, not FAIL now
	StillFailing FindingChangeType = "still_failing" // FAIL in both
)

// FindingChange is one finding identity whose failing state matters. For
// New and StillFailing, Finding is the new snapshot's finding; for
// Resolved, the old one's, with OldStatus FAIL and NewStatus what it is now
// ("" when the check no longer evaluates the resource, e.g. it was
// removed).
type FindingChange struct {
	Type      FindingChangeType `json:"type"`
	Finding   finding.Finding   `json:"finding"`
	OldStatus finding.Status    `json:"old_status,omitempty"`
	NewStatus finding.Status    `json:"new_status,omitempty"`
}

// FindingDiff is the finding side of a diff, each list ordered by severity
// (highest first), check ID, then resource UID.
type FindingDiff struct {
	New          []FindingChange `json:"new"`
	Resolved     []FindingChange `json:"resolved"`
	StillFailing []FindingChange `json:"still_failing"`
}

type findingKey struct{ check, uid string }

// Findings compares two findings streams by identity (check ID + resource
// UID). Only FAIL counts as failing: MUTED, ERROR and PASS do not. It keeps
// the old snapshot's FAIL findings in memory while it streams the new ones.
func Findings(old, cur iter.Seq2[finding.Finding, error]) (FindingDiff, error) {
	var d FindingDiff
	failing := map[findingKey]finding.Finding{}
	for f, err := range old {
		if err != nil {
			return d, fmt.Errorf("read old findings: %w", err)
		}
		if f.Status == finding.Fail {
			failing[findingKey{f.CheckID, f.ResourceUID}] = f
		}
	}
	for f, err := range cur {
		if err != nil {
			return d, fmt.Errorf("read new findings: %w", err)
		}
		k := findingKey{f.CheckID, f.ResourceUID}
		was, wasFailing := failing[k]
		switch {
		case f.Status == finding.Fail && wasFailing:
			d.StillFailing = append(d.StillFailing, FindingChange{Type: StillFailing, Finding: f, OldStatus: finding.Fail, NewStatus: finding.Fail})
		case f.Status == finding.Fail:
			d.New = append(d.New, FindingChange{Type: New, Finding: f, NewStatus: finding.Fail})
		case wasFailing:
			d.Resolved = append(d.Resolved, FindingChange{Type: Resolved, Finding: was, OldStatus: finding.Fail, NewStatus: f.Status})
		}
		delete(failing, k)
	}
	for _, was := range failing {
		d.Resolved = append(d.Resolved, FindingChange{Type: Resolved, Finding: was, OldStatus: finding.Fail})
	}
	for _, l := range [][]FindingChange{d.New, d.Resolved, d.StillFailing} {
		slices.SortFunc(l, func(a, b FindingChange) int {
			return cmp.Or(cmp.Compare(b.Finding.Severity, a.Finding.Severity),
				strings.Compare(a.Finding.CheckID, b.Finding.CheckID),
				strings.Compare(a.Finding.ResourceUID, b.Finding.ResourceUID))
		})
	}
	return d, nil
}

// AtOrAbove returns the changes whose finding is at least sev.
func AtOrAbove(cs []FindingChange, sev finding.Severity) []FindingChange {
	var out []FindingChange
	for _, c := range cs {
		if c.Finding.Severity >= sev {
			out = append(out, c)
		}
	}
	return out
}

// Score is a framework's score in one snapshot: passed / (passed + failed)
// requirements, as a percentage; OK is false when none passed or failed.
type Score struct {
	Value float64 `json:"value"`
	OK    bool    `json:"ok"`
}

// ScoreChange is one framework's score in both snapshots.
type ScoreChange struct {
	Framework string `json:"framework"`
	Title     string `json:"title"`
	Old       Score  `json:"old"`
	New       Score  `json:"new"`
}

// Delta returns New - Old in percentage points; ok is false unless both
// scores are defined.
func (s ScoreChange) Delta() (float64, bool) {
	if !s.Old.OK || !s.New.OK {
		return 0, false
	}
	return s.New.Value - s.Old.Value, true
}

// Snapshot identifies one side of a diff.
type Snapshot struct {
	ID        int64     `json:"id"`
	Scope     string    `json:"scope"`
	StartedAt time.Time `json:"started_at"`
}

// Report is a whole diff, as the renderers take it.
type Report struct {
	Old             Snapshot         `json:"old"`
	New             Snapshot         `json:"new"`
	ResourceCounts  ResourceCounts   `json:"resource_counts"`
	ResourceChanges []ResourceChange `json:"resource_changes"`
	Findings        FindingDiff      `json:"findings"`
	Scores          []ScoreChange    `json:"scores"`
}
