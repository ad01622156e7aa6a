package report

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// ProgressInterval is how often the progress line is redrawn.
const ProgressInterval = 100 * time.Millisecond

// Progress shows what a long scan is doing on one line of a terminal:
// "collecting 12,345 resources…", "evaluating 1,234/56,789 resources (2%)",
// "writing report…". Workers update it through atomic counters (Add is safe
// from any goroutine and costs one atomic add); one goroutine redraws the
// line at most every ProgressInterval until Stop. A disabled Progress, and a
// nil one, does nothing.
type Progress struct {
	w        io.Writer
	enabled  bool
	interval time.Duration
	start    time.Time

	phase atomic.Pointer[progressPhase]
	done  atomic.Int64

	stopOnce sync.Once
	stop     chan struct{}
	exited   chan struct{}
}

type progressPhase struct {
	name  string
	unit  string
	total int64
}

// NewProgress returns a progress display on f, started, when f is a
// terminal; otherwise a disabled one. Call Stop when done.
func NewProgress(f *os.File) *Progress {
	return StartProgress(f, f != nil && term.IsTerminal(int(f.Fd())), ProgressInterval)
}

// StartProgress returns a progress display on w, redrawn every interval,
// started when enabled. Call Stop when done.
func StartProgress(w io.Writer, enabled bool, interval time.Duration) *Progress {
	p := &Progress{w: w, enabled: enabled, interval: interval, start: time.Now()}
	if !enabled {
		return p
	}
	p.stop = make(chan struct{})
	p.exited = make(chan struct{})
	go p.run()
	return p
}

// Phase starts a phase: name is what is happening ("collecting"), unit what
// is counted ("resources", may be empty), total the expected count or 0 when
// unknown. It resets the counter.
func (p *Progress) Phase(name, unit string, total int64) {
	if p == nil || !p.enabled {
		return
	}
	p.done.Store(0)
	p.phase.Store(&progressPhase{name: name, unit: unit, total: total})
}

// Add adds n to the current phase's counter.
func (p *Progress) Add(n int64) {
	if p == nil || !p.enabled {
		return
	}
	p.done.Add(n)
}

// Stop stops redrawing, clears the line and waits for the drawing goroutine
// to exit. It may be called more than once.
func (p *Progress) Stop() {
	if p == nil || !p.enabled {
		return
	}
	p.stopOnce.Do(func() {
		close(p.stop)
		<-p.exited
	})
}

func (p *Progress) run() {
	defer close(p.exited)
	t := time.NewTicker(p.interval)
	defer t.Stop()
	drawn := false
	for {
		select {
		case <-p.stop:
			if drawn {
				io.WriteString(p.w, "\r\x1b[K")
			}
			return
		case <-t.C:
			if line := p.line(time.Since(p.start)); line != "" {
				// Errors are ignored: a progress line that cannot be drawn
				// must not stop the scan.
				io.WriteString(p.w, "\r\x1b[K"+line)
				drawn = true
			}
		}
	}
}

// line renders the current state; empty before the first phase.
func (p *Progress) line(elapsed time.Duration) string {
	ph := p.phase.Load()
	if ph == nil {
		return ""
	}
	done := p.done.Load()
	var b strings.Builder
	b.WriteString(ph.name)
	switch {
	case ph.total > 0:
		fmt.Fprintf(&b, " %s/%s", formatInt(done), formatInt(ph.total))
		if ph.unit != "" {
			b.WriteString(" " + ph.unit)
		}
		fmt.Fprintf(&b, " (%d%%)", min(100, done*100/ph.total))
	case done > 0:
		b.WriteString(" " + formatInt(done))
		if ph.unit != "" {
			b.WriteString(" " + ph.unit)
		}
		b.WriteString("…")
	default:
		b.WriteString("…")
	}
	fmt.Fprintf(&b, "  %s", elapsed.Round(time.Second))
	return b.String()
}
