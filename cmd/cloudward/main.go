// Command cloudward is a cloud security posture management tool: it collects
// the resources of AWS, Google Cloud, Azure and DigitalOcean estates, checks
// them against benchmarks and company rules, and reports what to fix.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"cloudward/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
