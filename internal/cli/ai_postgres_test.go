package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"cloudward/internal/store/postgres/pgtest"
)

// TestAIInventoryPostgres: the AI inventory read from PostgreSQL equals the
// one read from SQLite (the linked resources are looked up through the
// stores' SQL views). It skips when PostgreSQL is not installed.
func TestAIInventoryPostgres(t *testing.T) {
	pg := pgtest.New(pgtest.Options{})
	t.Cleanup(func() {
		if err := pg.Close(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	dsn := pg.NewDB(t)
	dir := t.TempDir()
	var got [2][]byte
	for i, db := range []string{dsn, filepath.Join(dir, "cw.db")} {
		out := filepath.Join(dir, "ai.json")
		if code, _, stderr := run(t, "scan", "--demo", "--db", db, "--framework", "ai-security", "--output", "json", "--output-file", out); code != ExitOK {
			t.Fatalf("scan into %s: exit %d: %s", db, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			AI json.RawMessage `json:"ai_inventory"`
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			t.Fatal(err)
		}
		got[i] = rep.AI
	}
	if len(got[0]) < 1000 || !bytes.Equal(got[0], got[1]) {
		t.Errorf("AI inventory differs between PostgreSQL and SQLite:\n%s\n---\n%s", got[0], got[1])
	}
	if !bytes.Contains(got[0], []byte(`"name": "acme-prod-marketing-site"`)) {
		t.Error("linked bucket not named from PostgreSQL")
	}
}
