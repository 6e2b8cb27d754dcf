// Command parley runs negotiation scenarios: one run told turn by turn, or
// thousands of runs with uncertain parameters summarised as outcome shares
// with 95% intervals.
//
// Usage:
//
//	parley run SCENARIO [flags]       Monte Carlo runs of a scenario
//	parley narrate SCENARIO [flags]   one run told turn by turn
//	parley compare A B [flags]        two scenarios side by side
//	parley report SCENARIO -o FILE    a self-contained HTML report
//	parley play SCENARIO --as ACTOR   take one actor's seat
//	parley serve SCENARIO [flags]     a live seminar room in the browser
//	parley sweep FILE [flags]         a parameter sweep; parley merge joins shards
//	parley analyze SCENARIO           the bargaining space
//	parley forecast SCENARIO [flags]  the expected-utility forecast, round by round
//	parley list                       the built-in scenarios
//	parley show SCENARIO [--set ...]  a scenario's TOML, a variant whole
//	parley validate FILE...           check scenario files
//	parley --version                  parley's version and the model version
//
// Exit status: 0 on success, 2 on bad usage or invalid input, 1 on any
// other failure (an interrupted run included).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/parley-sim/parley/scenarios"
)

func main() {
	// A panic is a bug in parley, never bad input: it exits 1 (2 is bad
	// usage), after the deferred clean-ups of the panicking goroutine (a
	// temporary output file among them) have run.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "parley: internal error (please report it): %v\n%s", r, debug.Stack())
			os.Exit(1)
		}
	}()
	// Ctrl-C, and the SIGTERM a cluster scheduler sends to stop a job,
	// stop long work cleanly: what finished is kept.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitStatus(err, os.Stderr))
}

// exitStatus prints err and returns the exit status it maps to.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "parley:", message(err))
	var ue usageError
	if errors.As(err, &ue) || errors.Is(err, scenarios.ErrInvalid) || errors.Is(err, fs.ErrNotExist) {
		return 2
	}
	return 1
}

// message is err's text for a person. Work stopped by Ctrl-C says so in
// its own words (an interruptedError); should a cancelled context's error
// reach here unworded, its ": context canceled" tail is dropped for a
// plain "interrupted".
func message(err error) string {
	var ie *interruptedError
	if !errors.Is(err, context.Canceled) || errors.As(err, &ie) {
		return err.Error()
	}
	msg := strings.TrimSuffix(err.Error(), context.Canceled.Error())
	msg = strings.TrimRight(msg, ": ")
	if msg == "" {
		return "interrupted"
	}
	if !strings.Contains(msg, "interrupted") {
		msg = "interrupted: " + msg
	}
	return msg
}
