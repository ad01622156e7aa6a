package postgres

import (
	"context"
	"fmt"

	"cloudward/internal/finding"
)

// Findings buffers findings for resources of the snapshot (by UID), for a
// distributed evaluation job: WriteTx writes them with the job's other
// rows, after its resources, in the caller's transaction. Each finding must
// name a resource already in the snapshot (written before, or buffered in
// the same JobRows); an unknown UID fails WriteTx, naming the UID. Like the
// store's Writer, it validates every finding first and buffers none of fs
// when one is invalid.
func (j *JobRows) Findings(_ context.Context, fs []finding.Finding) error {
	rows := make([]findingRow, len(fs))
	for i, f := range fs {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("snapshot %d: %w", j.id, err)
		}
		rows[i] = findingRow{uid: f.ResourceUID, check: f.CheckID, status: string(f.Status), reason: f.Reason, severity: int16(f.Severity)}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.b.findings = append(j.b.findings, rows...)
	return nil
}

// FindingsLen reports how many findings are buffered.
func (j *JobRows) FindingsLen() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.b.findings)
}
