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
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/results/story"
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
		{"serve", "a live seminar room in the browser: batches, compares, class games with seats", cmdServe},
		{"compare", "compare two scenarios' outcome shares, with intervals of the difference", cmdCompare},
		{"sweep", "run a parameter sweep (grid, Latin hypercube, Sobol or Morris), resumable and shardable", cmdSweep},
		{"merge", "join the outputs of sweep shards into one file", cmdMerge},
		{"sensitivity", "which inputs a sweep's outcomes hang on: Sobol indices, elementary effects or a tornado", cmdSensitivity},
		{"discover", "scenario discovery: the ranges of the inputs where an outcome is most likely (PRIM)", cmdDiscover},
		{"analyze", "the bargaining space: ideals, the zone of agreement, Pareto frontier, Nash and Kalai-Smorodinsky points", cmdAnalyze},
		{"forecast", "the expected-utility forecast (Bueno de Mesquita; Scholz et al.) round by round, with Monte Carlo bands", cmdForecast},
		{"list", "list the built-in scenarios", cmdList},
		{"show", "print a scenario's TOML; a variant, or with --set, whole as one file", cmdShow},
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
		_, err := io.WriteString(stdout, versionText())
		return err
	}
	names := make([]string, 0, len(commands()))
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(e, args[1:])
		}
		names = append(names, c.name)
	}
	if strings.HasPrefix(args[0], "-") {
		return usagef("unknown flag %s: a command comes first, as in 'parley run korea-2018' (see 'parley --help')", args[0])
	}
	if c, ok := scenarios.Nearest(args[0], names); ok {
		return usagef("unknown command %q; did you mean %q?", args[0], c)
	}
	return usagef("unknown command %q (see 'parley --help')", args[0])
}

// newFlags returns a flag set for a command that prints its usage to w:
// usage, whose first paragraph is the command's usage line (every flag the
// command defines appears in it), then the flags.
func newFlags(name, usage string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package's own messages name flags with one dash; parseArgs
	// words them itself, so they are not printed.
	fs.SetOutput(io.Discard)
	fs.BoolVar(&scenarios.BaseAnywhere, "base-anywhere", false, "let a scenario's base name a file outside the scenario's directory")
	fs.Usage = func() {
		fmt.Fprintf(w, "Usage: parley %s\n\nFlags:\n", usage)
		printFlags(w, fs)
	}
	if s, ok := w.(*flagSink); ok {
		s.fs, s.usage = fs, usage
	}
	return fs
}

// printFlags writes the flags of fs as flag.PrintDefaults does, but with
// the two dashes the documentation writes: --format, and -o for a
// one-letter flag.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		b.WriteString("  " + dashed(f.Name))
		name, usage := flag.UnquoteUsage(f)
		if name != "" {
			b.WriteString(" " + name)
		}
		if b.Len() <= 4 { // "  -o": the usage fits on the same line
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(usage, "\n", "\n    \t"))
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "[]" {
			if g, ok := f.Value.(flag.Getter); ok {
				if _, isString := g.Get().(string); isString {
					d = strconv.Quote(d)
				}
			}
			fmt.Fprintf(&b, " (default %s)", d)
		}
		fmt.Fprintln(w, b.String())
	})
}

// dashed is a flag's name as typed: -o for one letter, --format for more.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagSink is a writer that records the flag set newFlags makes for it
// and discards what is written: commandFlags reads a command's flags
// through it.
type flagSink struct {
	fs    *flag.FlagSet
	usage string
}

func (s *flagSink) Write(p []byte) (int, error) { return len(p), nil }

// commandFlags returns the flag set and the usage text of the command
// named name, as the command defines them (it is run with --help, which
// stops it once its flags are parsed).
func commandFlags(name string) (*flag.FlagSet, string) {
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		sink := &flagSink{}
		e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: sink}
		_ = c.run(e, []string{"--help"})
		return sink.fs, sink.usage
	}
	return nil, ""
}

// parseArgs parses flags that may come before, between or after positional
// arguments, and returns the positional ones.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	all := args
	// The flag package prints the usage on every error; parley prints it
	// for --help only: an error is one line, with its suggestion last.
	usage := fs.Usage
	fs.Usage = func() {}
	defer func() { fs.Usage = usage }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, errHelp
			}
			return nil, flagError(fs, err, all)
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

// versionText is what --version prints: the module's version and the
// model version, which names the engine's same-seed results.
func versionText() string {
	bi, _ := debug.ReadBuildInfo()
	return fmt.Sprintf("%s\nmodel version %d (the same model version, scenario and seed give the same results)\n",
		moduleVersion(bi), sim.ModelVersion)
}

// moduleVersion words the module's version from the build's information:
// the tag it was installed at ("parley v1.2.0"), or, for a build from a
// checkout (version "(devel)"), that and the commit when the build
// recorded it: "parley (devel, built from source at commit 1a2b3c4d5e6f,
// with local changes)".
func moduleVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "parley (version unknown: built without module information)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return "parley " + v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "parley (devel, built from source)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		return fmt.Sprintf("parley (devel, built from source at commit %s, with local changes)", rev)
	}
	return fmt.Sprintf("parley (devel, built from source at commit %s)", rev)
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

// writeCharts writes charts into dir as PNG and SVG files and says so on
// standard error.
func (e *env) writeCharts(dir string, charts []report.Chart) error {
	paths, err := report.WriteCharts(dir, charts)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %d chart files (PNG and SVG) to %s\n", len(paths), dir)
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

// flagError words an error of the flag package for a person: flags with
// the dashes they are typed with, and for an unknown flag the nearest flag
// of the command, or the commands that have it (run --run 5: narrate and
// play have --run). args are the command's arguments.
func flagError(fs *flag.FlagSet, err error, args []string) error {
	msg := err.Error()
	name, unknown := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !unknown {
		// "invalid value "x" for flag -runs: ...", "flag needs an
		// argument: -o": the flag as typed.
		fs.VisitAll(func(f *flag.Flag) {
			msg = strings.Replace(msg, "flag -"+f.Name+":", dashed(f.Name)+":", 1)
			if strings.HasSuffix(msg, ": -"+f.Name) {
				msg = strings.TrimSuffix(msg, "-"+f.Name) + dashed(f.Name)
			}
		})
		return usagef("%s (see 'parley %s --help')", msg, fs.Name())
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	near, isNear := scenarios.Nearest(name, names)
	var others []string
	var example string
	for _, c := range commands() {
		if c.name == fs.Name() {
			continue
		}
		ofs, _ := commandFlags(c.name)
		if ofs == nil || ofs.Lookup(name) == nil {
			continue
		}
		others = append(others, c.name)
		if example == "" && flagsDefined(ofs, args) {
			example = "parley " + c.name + " " + shellJoin(args)
		}
	}
	if len(others) == 0 {
		if isNear {
			return usagef("unknown flag %s; did you mean %s?", dashed(name), dashed(near))
		}
		return usagef("unknown flag %s (see 'parley %s --help')", dashed(name), fs.Name())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s has no %s flag", fs.Name(), dashed(name))
	if isNear {
		fmt.Fprintf(&b, " (did you mean %s?)", dashed(near))
	}
	have := "has"
	if len(others) > 1 {
		have = "have"
	}
	fmt.Fprintf(&b, "; %s %s one", story.AndList(others), have)
	if example != "" {
		fmt.Fprintf(&b, ": %s", example)
	} else {
		fmt.Fprintf(&b, " (see 'parley %s --help')", others[0])
	}
	return usageError{b.String()}
}

// flagsDefined reports whether fs defines every flag named in args.
func flagsDefined(fs *flag.FlagSet, args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "" && name != "h" && name != "help" && fs.Lookup(name) == nil {
			return false
		}
	}
	return true
}

// shellJoin joins args into a command line, quoting those a shell would
// split or expand.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// interruptedError is long work stopped by Ctrl-C or SIGTERM (exit status
// 1). Its message says in plain words what finished and what was kept; it
// wraps the context's error, for errors.Is, without printing it.
type interruptedError struct {
	msg string
	err error
}

func (e *interruptedError) Error() string { return e.msg }

func (e *interruptedError) Unwrap() error { return e.err }

// interrupted returns the interruptedError of err (the context's error)
// whose message is "interrupted" then the formatted text, as in
// interrupted(err, ": %s finished; nothing written", finished(3, 10, "run")).
func interrupted(err error, format string, args ...any) error {
	return &interruptedError{"interrupted" + fmt.Sprintf(format, args...), err}
}

// finished says how many of total units finished: "3,412 of 10,000 runs
// finished", "1 of 1 point finished".
func finished(done, total int, unit string) string {
	if total != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%s of %s %s finished", thousands(done), thousands(total), unit)
}

// thousands writes n with commas between groups of three digits: 10,000.
func thousands(n int) string { return results.Thousands(n) }

// coveredBy names where a command's results went: the file out, or, on
// standard output, what (as "the summary above").
func coveredBy(out, what string) string {
	if out == "" || out == "-" {
		return what
	}
	return out
}
