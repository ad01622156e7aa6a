package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTemp(t *testing.T) (*os.File, error) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err == nil {
		t.Cleanup(func() { f.Close() })
	}
	return f, err
}

func TestProgressLine(t *testing.T) {
	p := &Progress{}
	if got := p.line(time.Second); got != "" {
		t.Errorf("line before any phase = %q, want empty", got)
	}
	tests := []struct {
		name, unit string
		total      int64
		add        int64
		want       string
	}{
		{"collecting", "resources", 0, 0, "collecting…  3s"},
		{"collecting", "resources", 0, 12345, "collecting 12,345 resources…  3s"},
		{"evaluating", "resources", 56789, 1234, "evaluating 1,234/56,789 resources (2%)  3s"},
		{"evaluating", "resources", 10, 12, "evaluating 12/10 resources (100%)  3s"},
		{"writing report", "", 0, 0, "writing report…  3s"},
	}
	for _, tt := range tests {
		p := &Progress{enabled: true}
		p.Phase(tt.name, tt.unit, tt.total)
		p.Add(tt.add)
		if got := p.line(3200 * time.Millisecond); got != tt.want {
			t.Errorf("line = %q, want %q", got, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to write from the progress goroutine
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressDrawsAndStops(t *testing.T) {
	var out syncBuffer
	p := StartProgress(&out, true, time.Millisecond)
	p.Phase("collecting", "resources", 0)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				p.Add(1)
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "collecting 4,000 resources…") {
		if time.Now().After(deadline) {
			t.Fatalf("progress never showed 4,000 resources: %q", out.String())
		}
		time.Sleep(time.Millisecond)
	}
	p.Phase("evaluating", "resources", 8000)
	p.Add(2000)
	for !strings.Contains(out.String(), "evaluating 2,000/8,000 resources (25%)") {
		if time.Now().After(deadline) {
			t.Fatalf("progress never showed the evaluating phase: %q", out.String())
		}
		time.Sleep(time.Millisecond)
	}
	p.Stop()
	p.Stop() // idempotent
	got := out.String()
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("Stop did not clear the line: %q", got[max(0, len(got)-40):])
	}
	if strings.Contains(got, "\n") {
		t.Error("progress must redraw one line, never print newlines")
	}
	// Nothing is drawn after Stop.
	n := len(got)
	p.Add(5)
	time.Sleep(5 * time.Millisecond)
	if len(out.String()) != n {
		t.Error("progress drew after Stop")
	}
}

func TestProgressDisabled(t *testing.T) {
	var out syncBuffer
	p := StartProgress(&out, false, time.Millisecond)
	p.Phase("collecting", "resources", 0)
	p.Add(10)
	time.Sleep(5 * time.Millisecond)
	p.Stop()
	if out.String() != "" {
		t.Errorf("disabled progress wrote %q", out.String())
	}

	// Not a terminal: NewProgress is disabled.
	f, err := openTemp(t)
	if err != nil {
		t.Fatal(err)
	}
	p = NewProgress(f)
	p.Phase("collecting", "resources", 0)
	p.Stop()
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Errorf("NewProgress on a regular file wrote %d bytes", fi.Size())
	}

	var nilp *Progress
	nilp.Phase("x", "", 1)
	nilp.Add(1)
	nilp.Stop()
}
