// Package cli holds cloudward's commands. It is the only package that wires
// the stages (collect → store → evaluate → report) together: it turns flags
// into each package's Options and passes explicit values between them.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	ExitOK       = 0 // no finding at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // usage or runtime error
)

// errFindings is returned by scan when findings reach the --fail-on threshold.
var errFindings = errors.New("findings at or above the --fail-on severity")

// usageError marks errors caused by bad flags or arguments.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// env is what every command needs from the process, passed explicitly so
// tests can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	getenv         func(string) string
	// stopProfile, when set, writes the --cpu-profile/--mem-profile files;
	// Main calls it however the command ended.
	stopProfile func() error
}

// Main runs cloudward with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if e.stopProfile != nil {
		if perr := e.stopProfile(); perr != nil {
			err = errors.Join(err, perr)
		}
	}
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errFindings):
		return ExitFindings
	default:
		fmt.Fprintf(stderr, "cloudward: %v\n", err)
		return ExitError
	}
}

func newRoot(e *env) *cobra.Command {
	var verbose bool
	var logFormat string
	var cpuProfile, memProfile string
	root := &cobra.Command{
		Use:   "cloudward",
		Short: "Cloud security posture management for AWS, Google Cloud, Azure and DigitalOcean",
		Long: `cloudward finds every resource you own across AWS, Google Cloud, Azure and
DigitalOcean, checks each against the CIS benchmarks and your company's rules,
and tells you what is misconfigured and how to fix it.

Try it without a cloud account:

  cloudward scan --demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			hopts := &slog.HandlerOptions{Level: level}
			switch logFormat {
			case "text":
				e.log = slog.New(slog.NewTextHandler(e.stderr, hopts))
			case "json":
				e.log = slog.New(slog.NewJSONHandler(e.stderr, hopts))
			default:
				return usagef("--log-format: want text or json, got %q", logFormat)
			}
			stop, err := startProfiles(cpuProfile, memProfile)
			if err != nil {
				return err
			}
			e.stopProfile = stop
			return nil
		},
	}
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log debug detail to stderr")
	root.PersistentFlags().StringVar(&logFormat, "log-format", "text", "log format on stderr: text or json")
	root.PersistentFlags().StringVar(&cpuProfile, "cpu-profile", "", "write a pprof CPU profile of the command to `FILE`")
	root.PersistentFlags().StringVar(&memProfile, "mem-profile", "", "write a pprof heap profile (allocations) at the end of the command to `FILE`")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newScanCmd(e),
		newKindsCmd(e),
		newChecksCmd(e),
		newFrameworksCmd(e),
		newQueryCmd(e),
		newDiffCmd(e),
		newVersionCmd(e),
		newResponsibilityCmd(e),
		newServeCmd(e),
		newTokenCmd(e),
		newInitCmd(e),
		newWorkerCmd(e),
	)
	return root
}

// startProfiles starts a CPU profile into cpuFile and arranges a heap
// profile into memFile; the returned function stops and writes them. Empty
// names profile nothing.
func startProfiles(cpuFile, memFile string) (func() error, error) {
	var cpu *os.File
	if cpuFile != "" {
		f, err := os.Create(cpuFile)
		if err != nil {
			return nil, usagef("--cpu-profile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("--cpu-profile: %w", err)
		}
		cpu = f
	}
	return func() error {
		var errs []error
		if cpu != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpu.Close())
		}
		if memFile != "" {
			f, err := os.Create(memFile)
			if err != nil {
				return errors.Join(append(errs, fmt.Errorf("--mem-profile: %w", err))...)
			}
			runtime.GC()
			errs = append(errs, pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
		}
		return errors.Join(errs...)
	}, nil
}
