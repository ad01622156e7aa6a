package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"cloudward/internal/store"
	"cloudward/internal/store/postgres"
)

// startWorkerProcesses starts n `cloudward worker` processes (this test
// binary re-executed, see TestDistributedWorkerProcess) named prefix-1…n,
// each with `worker --db dsn --id ID --concurrency 2 --poll-interval 100ms
// -v` and args, and waits until every one has started taking jobs. They are
// stopped (SIGTERM, then SIGKILL after 10 s) when the test ends. logs
// returns what they printed so far.
func startWorkerProcesses(t *testing.T, dsn, prefix string, n int, args ...string) (logs func() string) {
	t.Helper()
	type worker struct {
		id     string
		cmd    *exec.Cmd
		out    *lockedBuffer
		exited chan struct{}
		err    error
	}
	var workers []*worker
	logs = func() string {
		var b strings.Builder
		for _, w := range workers {
			fmt.Fprintf(&b, "--- %s\n%s", w.id, w.out.String())
		}
		return b.String()
	}
	t.Cleanup(func() {
		for _, w := range workers {
			_ = w.cmd.Process.Signal(syscall.SIGTERM)
		}
		for _, w := range workers {
			select {
			case <-w.exited:
			case <-time.After(10 * time.Second):
				_ = w.cmd.Process.Kill()
				<-w.exited
			}
		}
	})
	for i := 1; i <= n; i++ {
		w := &worker{id: fmt.Sprintf("%s-%d", prefix, i), out: &lockedBuffer{}, exited: make(chan struct{})}
		argv, err := json.Marshal(append([]string{"worker", "--db", dsn,
			"--id", w.id, "--concurrency", "2", "--poll-interval", "100ms", "-v"}, args...))
		if err != nil {
			t.Fatal(err)
		}
		w.cmd = exec.Command(os.Args[0], "-test.run=^TestDistributedWorkerProcess$", "-test.count=1")
		w.cmd.Env = append(os.Environ(), workerArgsEnv+"="+string(argv))
		w.cmd.Stdout, w.cmd.Stderr = w.out, w.out
		if err := w.cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", w.id, err)
		}
		go func() {
			w.err = w.cmd.Wait()
			close(w.exited)
		}()
		workers = append(workers, w)
	}
	// The workers have migrated the queue and take jobs before the scan
	// queues them.
	ready := time.Now().Add(2 * time.Minute)
	for _, w := range workers {
		for !strings.Contains(w.out.String(), `msg="worker started"`) {
			select {
			case <-w.exited:
				t.Fatalf("%s exited: %v\n%s", w.id, w.err, logs())
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(ready) {
				t.Fatalf("%s did not start in 2 minutes\n%s", w.id, logs())
			}
		}
	}
	return logs
}

// matchSingleProcess scans the same fake cloud in this process (scanArgs,
// with -o json) and checks that the distributed snapshot distID is complete
// and holds exactly the single-process scan's resources, edges, collection
// errors and findings. It returns the distributed snapshot's contents and
// the single-process scan's time.
func matchSingleProcess(t *testing.T, ctx context.Context, dsn string, distID int64, scanArgs ...string) (map[string][]string, time.Duration) {
	t.Helper()
	t1 := time.Now()
	code, out, errOut := run(t, scanArgs...)
	elapsed := time.Since(t1)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("single-process scan: exit %d\n%s", code, errOut)
	}
	var oneRep jsonReport
	if err := json.Unmarshal([]byte(out), &oneRep); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	st, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sn, err := st.Snapshot(ctx, distID)
	if err != nil {
		t.Fatal(err)
	}
	if sn.Status != store.Complete {
		t.Errorf("distributed snapshot is %s, want complete", sn.Status)
	}
	got := snapshotContents(t, st, distID)
	want := snapshotContents(t, st, oneRep.Snapshot.ID)
	for _, part := range []string{"resources", "edges", "errors", "findings"} {
		if len(want[part]) == 0 {
			t.Errorf("the single-process scan has no %s: the fake estate is not what this test expects", part)
		}
		if !slices.Equal(got[part], want[part]) {
			t.Errorf("%s differ (distributed %d, single process %d)\nonly distributed: %v\nonly single process: %v",
				part, len(got[part]), len(want[part]), difference(got[part], want[part]), difference(want[part], got[part]))
		}
	}
	return got, elapsed
}
