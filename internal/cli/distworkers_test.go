package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
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
