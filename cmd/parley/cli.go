package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/term"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// usageError marks bad usage: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errHelp is returned after --help printed the usage: exit status 0.
var errHelp = errors.New("help requested")

// env is what a command sees of the world.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "play a scenario many times and summarise the outcomes", cmdRun},
		{"narrate", "tell one run turn by turn", cmdNarrate},
		{"report", "write a self-contained HTML report for a seminar", cmdReport},
		{"play", "take one actor's seat against the simulated others", cmdPlay},
		{"compare", "compare two scenarios' outcome shares, with intervals of the difference", cmdCompare},
		{"sweep", "run a parameter sweep (grid, Latin hypercube, Sobol or Morris), resumable and shardable", cmdSweep},
		{"merge", "join the outputs of sweep shards into one file", cmdMerge},
		{"sensitivity", "which inputs a sweep's outcomes hang on: Sobol indices, elementary effects or a tornado", cmdSensitivity},
		{"discover", "scenario discovery: the ranges of the inputs where an outcome is most likely (PRIM)", cmdDiscover},
		{"analyze", "the bargaining space: ideals, the zone of agreement, Pareto frontier, Nash and Kalai-Smorodinsky points", cmdAnalyze},
		{"list", "list the built-in scenarios", cmdList},
		{"show", "print a built-in scenario's TOML", cmdShow},
		{"validate", "check scenario files and report every problem", cmdValidate},
	}
}

const mainUsage = `parley simulates multi-party negotiations: states with preferences over
concessions, a turn-based engine of proposals, mediation, provocations,
pressure, breakdowns and strikes, run many times over uncertain parameters.

Usage:
  parley COMMAND [arguments] [flags]

Commands:
%s
Run 'parley COMMAND --help' for a command's flags, 'parley --version' for
the version.
Example: parley run korea-2018 --runs 10000
`

// run is the whole program, testable: it parses args and runs a command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}
	var list strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&list, "  %-11s %s\n", c.name, c.summary)
	}
	if len(args) == 0 {
		fmt.Fprintf(stderr, mainUsage, list.String())
		return usagef("no command given")
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		fmt.Fprintf(stdout, mainUsage, list.String())
		return nil
	case "--version", "-version", "version":
		_, err := fmt.Fprintln(stdout, versionLine())
		return err
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
	}
	return usagef("unknown command %q (see 'parley --help')", args[0])
}

// newFlags returns a flag set for a command that prints its usage to w.
func newFlags(name, usage string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.BoolVar(&scenarios.BaseAnywhere, "base-anywhere", false, "let a scenario's base name a file outside the scenario's directory")
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: parley %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses flags that may come before, between or after positional
// arguments, and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// setFlags collects repeatable --set key.path=value overrides.
type setFlags []scenarios.Override

func (s *setFlags) String() string {
	parts := make([]string, len(*s))
	for i, o := range *s {
		parts[i] = o.Path + "=" + o.Value
	}
	return strings.Join(parts, " ")
}

func (s *setFlags) Set(v string) error {
	o, err := scenarios.ParseOverride(v)
	if err != nil {
		return err
	}
	*s = append(*s, o)
	return nil
}

// setFlag registers the repeatable --set flag on fs.
func setFlag(fs *flag.FlagSet) *setFlags {
	var sets setFlags
	fs.Var(&sets, "set", "override a scenario value by its `key.path=value` (repeatable)")
	return &sets
}

// checkBatch checks the --runs and --workers of a Monte Carlo batch: at
// least least runs, and 0 (all cores) or more workers.
func checkBatch(runs, least, workers int) error {
	if runs < least {
		if least == 0 {
			return usagef("--runs %d: want 0 (no runs) or more", runs)
		}
		return usagef("--runs %d: want at least %d", runs, least)
	}
	if runs > sim.MaxRuns {
		return usagef("--runs %d: at most %d", runs, sim.MaxRuns)
	}
	if workers < 0 {
		return usagef("--workers %d: want 0 (all cores) or more", workers)
	}
	return nil
}

// oneOf checks a flag's value against its allowed values.
func oneOf(flagName, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return usagef("--%s %q: want one of %s", flagName, v, strings.Join(allowed, ", "))
}

// versionLine is what --version prints: the module's version (the tag it
// was installed at, or "(devel)" for a build from a checkout, with the
// commit when the build recorded it) and the model version, which names
// the engine's same-seed results.
func versionLine() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 && v == "(devel)" {
				v += " " + s.Value[:12]
			}
		}
	}
	return fmt.Sprintf("parley %s, model %d", v, sim.ModelVersion)
}

// checkOutputs checks, before any work starts, that every output a
// command was given can be written and that no two (and no output and an
// input) are the same file: a bad path is bad usage.
func checkOutputs(outs []outfile.Output, inputs ...string) error {
	if err := outfile.Check(outs, inputs...); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// writeOut writes what write writes to path, or to standard output when
// path is "" or "-".
func (e *env) writeOut(path string, write func(io.Writer) error) error {
	if path != "" && path != "-" {
		return outfile.Write(path, write)
	}
	bw := bufio.NewWriter(e.stdout)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// writeManifest writes m beside the CSV file at path, as
// path.manifest.json, when path is a regular file (not standard output, a
// device or a FIFO, whose reader has no place for one).
func writeManifest(path string, m results.Manifest) error {
	if path == "" || path == "-" {
		return nil
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	return outfile.Write(path+".manifest.json", func(w io.Writer) error { return results.WriteManifest(w, m) })
}

// checkPlotDir refuses, before any work, a --plot DIR that exists and is
// not a directory (a missing one is created when the charts are drawn).
func checkPlotDir(dir string) error {
	if dir == "" {
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return usagef("--plot %s: not a directory: name a directory for the chart files", dir)
	}
	return nil
}
