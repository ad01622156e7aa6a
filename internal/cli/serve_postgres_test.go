package cli

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"cloudward/internal/store/postgres/pgtest"
)

// serveOutput is an io.Writer safe to read while serve writes to it.
type serveOutput struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *serveOutput) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *serveOutput) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServePostgres runs `cloudward serve --demo --db postgres://…`: a token
// made with `cloudward token create` on the same database logs in, the scan
// at start lands in PostgreSQL, and the overview, an inventory search and
// the AI inventory answer from it. It skips when PostgreSQL is not
// installed.
func TestServePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and a server")
	}
	pg := pgtest.New(pgtest.Options{})
	t.Cleanup(func() {
		if err := pg.Close(); err != nil {
			t.Errorf("stop PostgreSQL: %v", err)
		}
	})
	dsn := pg.NewDB(t)
	code, token, stderr := run(t, "token", "create", "--db", dsn, "--name", "ci", "--scope", "read")
	if code != ExitOK {
		t.Fatalf("token create: exit %d: %s", code, stderr)
	}
	token = strings.TrimSpace(token)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut serveOutput
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--demo", "--db", dsn, "--listen", addr, "--schedule", "off"}, strings.NewReader(""), &out, &errOut)
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != ExitOK {
				t.Errorf("serve exited %d: %s", code, errOut.String())
			}
		case <-time.After(time.Minute):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)

	get := func(path string, out any) int {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		if out != nil && resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		return resp.StatusCode
	}
	var ov struct {
		Snapshot struct{ ID, Resources int64 }
		Totals   struct{ Fail int64 }
	}
	deadline := time.Now().Add(3 * time.Minute)
	for get("/api/v1/overview", &ov) != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("no overview after 3 minutes; serve said:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if ov.Snapshot.Resources == 0 || ov.Totals.Fail == 0 {
		t.Errorf("overview = %+v, want resources and failing findings", ov)
	}
	if !strings.Contains(out.String(), "database postgres://") || strings.Contains(out.String(), "First admin token") {
		t.Errorf("serve said %q: want the database named, and no new admin token (one exists)", out.String())
	}
	var page struct {
		Items []struct{ UID, Name, Kind string }
		Total *int64
	}
	if code := get("/api/v1/resources?kind=aws_s3_bucket&limit=1", &page); code != http.StatusOK || len(page.Items) != 1 {
		t.Fatalf("kind filter: %d, %+v", code, page)
	}
	name := page.Items[0].Name
	if code := get("/api/v1/resources?q="+name, &page); code != http.StatusOK || page.Total == nil || *page.Total == 0 {
		t.Fatalf("search %q: %d, %+v", name, code, page)
	}
	var ai struct{ Resources int64 }
	if code := get("/api/v1/ai", &ai); code != http.StatusOK {
		t.Errorf("AI inventory: %d", code)
	}
	stop()
}
