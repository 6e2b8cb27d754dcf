package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// --version and version print the module version and the model version,
// which sweep manifests record.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		code, out, errs := parley(t, arg)
		if code != 0 || errs != "" {
			t.Fatalf("parley %s: exit %d: %s", arg, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "parley ") {
			t.Fatalf("parley %s printed %q: want the parley version line and the model version line", arg, out)
		}
		if want := "model version " + strconv.Itoa(sim.ModelVersion) + " "; !strings.HasPrefix(lines[1], want) {
			t.Errorf("parley %s: %q, want it to begin %q", arg, lines[1], want)
		}
	}
}

// The module version is the tag of an installed build, and says "built
// from source" with the commit for a build from a checkout.
func TestModuleVersion(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}}
	for _, tc := range []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: rev}, "parley v1.4.0"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "parley (devel, built from source)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: rev}, "parley (devel, built from source at commit 0123456789ab)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: append(rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"})},
			"parley (devel, built from source at commit 0123456789ab, with local changes)"},
		{nil, "parley (version unknown: built without module information)"},
	} {
		if got := moduleVersion(tc.bi); got != tc.want {
			t.Errorf("moduleVersion = %q, want %q", got, tc.want)
		}
	}
}

// A mistyped command or flag is bad usage (exit 2), answered with the
// nearest command or flag; a flag of another command names that command.
func TestSuggestions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"runn"}, `unknown command "runn"; did you mean "run"?`},
		{[]string{"narate", "korea-2018"}, `unknown command "narate"; did you mean "narrate"?`},
		{[]string{"xyzzy"}, `unknown command "xyzzy" (see 'parley --help')`},
		{[]string{"run", "korea-2018", "--rnus", "5"}, "unknown flag --rnus; did you mean --runs?"},
		{[]string{"compare", "korea-2018", "korea-2018", "--indepedent"}, "unknown flag --indepedent; did you mean --independent?"},
		{[]string{"run", "korea-2018", "--run", "5"}, "run has no --run flag (did you mean --runs?); narrate"},
		{[]string{"run", "korea-2018", "--run", "5"}, ": parley narrate korea-2018 --run 5\n"},
		{[]string{"run", "korea-2018", "--zzzzzz"}, "unknown flag --zzzzzz (see 'parley run --help')"},
		{[]string{"run", "korea-2018", "--runs", "many"}, `invalid value "many" for --runs`},
		{[]string{"list", "--format"}, "flag needs an argument: --format"},
	} {
		code, out, errs := parley(t, tc.args...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("parley %s: exit %d, stderr %q; want exit 2 saying %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
		if strings.Contains(errs, "Usage:") || strings.Count(errs, "\n") != 1 {
			t.Errorf("parley %s: want one line, not the usage:\n%s", strings.Join(tc.args, " "), errs)
		}
	}
}

// Every command's --help writes its flags as they are typed and as the
// documentation writes them: --format, and -o for a one-letter flag.
func TestHelpDashes(t *testing.T) {
	for _, c := range commands() {
		code, _, errs := parley(t, c.name, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d", c.name, code)
		}
		fs, _ := commandFlags(c.name)
		fs.VisitAll(func(f *flag.Flag) {
			want := "\n  " + dashed(f.Name)
			if !strings.Contains(errs, want+" ") && !strings.Contains(errs, want+"\n") && !strings.Contains(errs, want+"\t") {
				t.Errorf("%s --help does not list %s:\n%s", c.name, dashed(f.Name), errs)
			}
			if len(f.Name) > 1 && regexp.MustCompile(`(^|\s)-`+regexp.QuoteMeta(f.Name)+`\b`).MatchString(errs) {
				t.Errorf("%s --help writes -%s with one dash", c.name, f.Name)
			}
		})
	}
}

// Every command's usage line (the first paragraph of its usage) names
// every flag the command defines, so that the two cannot drift apart.
// --base-anywhere, which every command that reads a scenario has, is
// listed under Flags only.
func TestUsageLinesListEveryFlag(t *testing.T) {
	for _, c := range commands() {
		fs, usage := commandFlags(c.name)
		if fs == nil {
			t.Fatalf("%s: no flag set", c.name)
		}
		line, _, _ := strings.Cut(usage, "\n\n")
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name == "base-anywhere" {
				return
			}
			re := regexp.MustCompile(`(^|[\s\[])` + regexp.QuoteMeta(dashed(f.Name)) + `($|[\s\]=|])`)
			if !re.MatchString(line) {
				t.Errorf("%s: the usage line does not name %s:\n%s", c.name, dashed(f.Name), line)
			}
		})
	}
}

// A built-in that is not a variant is shown as written, comments and all.
func TestShowBuiltinAsWritten(t *testing.T) {
	code, out, errs := parley(t, "show", "korea-2018")
	src, err := scenarios.BuiltinSource("korea-2018")
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || out != string(src) {
		t.Fatalf("exit %d (%s): show korea-2018 is not korea-2018.toml as written", code, errs)
	}
}

// A variant, and a scenario with --set, are shown whole: the output
// validates and loads to the scenario the name and overrides load to, and
// a comment at its top says what was applied.
func TestShowVariantAndSet(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "mine.toml")
	if err := os.WriteFile(mine, []byte("base = \"korea-2018\"\nid = \"mine\"\n\n[set]\n\"actors.north_korea.deadline\" = 30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		sets []string
		head []string
	}{
		{"korea-2018-hawkish-us", nil, []string{"korea-2018.toml", "changes of", "korea-2018-hawkish-us.toml"}},
		{"korea-2018", []string{"actors.us.hawkishness=0.9", "protocol.mediator=none"},
			[]string{"--set actors.us.hawkishness=0.9", "--set protocol.mediator=none"}},
		{"korea-2018-new-administration", []string{"horizon=30"}, []string{"korea-2018-new-administration.toml", "--set horizon=30"}},
		{mine, []string{"actors.us.hawkishness=0.8"}, []string{"korea-2018.toml", "mine.toml", "--set actors.us.hawkishness=0.8"}},
		{"trade-deal", []string{"horizon=20"}, []string{"trade-deal.toml", "--set horizon=20"}},
	} {
		args := []string{"show", tc.name}
		var overrides []scenarios.Override
		for _, s := range tc.sets {
			args = append(args, "--set", s)
			o, err := scenarios.ParseOverride(s)
			if err != nil {
				t.Fatal(err)
			}
			overrides = append(overrides, o)
		}
		code, out, errs := parley(t, args...)
		if code != 0 {
			t.Fatalf("parley %v: exit %d: %s", args, code, errs)
		}
		header, _, _ := strings.Cut(out, "\n\n")
		header = strings.Join(strings.Fields(strings.ReplaceAll(header, "#", "")), " ")
		for _, h := range tc.head {
			if !strings.Contains(header, h) {
				t.Errorf("parley %v: the header does not say %q:\n%s", args, h, header)
			}
		}
		file := filepath.Join(dir, "shown.toml")
		if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := parley(t, "validate", file); code != 0 {
			t.Fatalf("parley %v: the output does not validate: %s\n%s", args, errs, out)
		}
		shown, err := scenarios.Load(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := scenarios.Load(tc.name, overrides)
		if err != nil {
			t.Fatal(err)
		}
		if len(tc.sets) == 0 && shown.Digest != want.Digest {
			t.Errorf("parley %v: the digest of the output is %s, of the scenario %s", args, shown.Digest, want.Digest)
		}
		shown.File, shown.Digest, want.File, want.Digest = "", "", "", ""
		if !reflect.DeepEqual(shown, want) {
			t.Errorf("parley %v: the output loads to a different scenario", args)
		}
	}
}

// cancelAfter is a context cancelled once Err has been asked n times:
// work stops part-way, at a point that does not depend on the clock.
type cancelAfter struct {
	context.Context
	n    atomic.Int64
	once sync.Once
	done chan struct{}
}

func newCancelAfter(n int64) *cancelAfter {
	c := &cancelAfter{Context: context.Background(), done: make(chan struct{})}
	c.n.Store(n)
	return c
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) >= 0 {
		return nil
	}
	c.once.Do(func() { close(c.done) })
	return context.Canceled
}

func (c *cancelAfter) Done() <-chan struct{} { return c.done }

// A run stopped part-way says in plain words how many runs finished, and
// the summary it prints covers that many.
func TestRunInterruptedMessage(t *testing.T) {
	code, out, errs := parleyCtx(t, newCancelAfter(700), "run", "korea-2018", "--runs", "10000", "--workers", "1", "--format", "json")
	m := regexp.MustCompile(`^parley: interrupted: ([\d,]+) of 10,000 runs finished; the summary above covers those runs\n$`).FindStringSubmatch(errs)
	if code != 1 || m == nil {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var r struct{ Runs int }
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if thousands(r.Runs) != m[1] || r.Runs == 0 || r.Runs >= 10000 {
		t.Errorf("the summary covers %d runs; the message says %s", r.Runs, m[1])
	}
}

// Work stopped by Ctrl-C says what finished, never "context canceled".
func TestInterruptedMessages(t *testing.T) {
	dead, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "korea-2018", "--runs", "100000"}, "parley: interrupted before any run finished; nothing written\n"},
		{[]string{"compare", "korea-2018", "korea-2018", "--runs", "100000"},
			"parley: interrupted while running A: 0 of A's 100,000 runs finished; no comparison written\n"},
		{[]string{"report", "korea-2018", "--runs", "5000"}, "parley: interrupted: 0 of 5,000 runs finished; no report written\n"},
		{[]string{"analyze", "korea-2018", "--runs", "5000"}, "parley: interrupted before the analysis finished; nothing written\n"},
	} {
		code, _, errs := parleyCtx(t, dead, tc.args...)
		if code != 1 || errs != tc.want {
			t.Errorf("parley %s: exit %d, stderr %q; want 1, %q", strings.Join(tc.args, " "), code, errs, tc.want)
		}
	}
}

// An error that still carries a cancelled context's text is printed
// without it.
func TestMessageDropsContextCanceled(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{context.Canceled, "interrupted"},
		{wrap("story: debrief", context.Canceled), "interrupted: story: debrief"},
		{wrap("interrupted while drawing", context.Canceled), "interrupted while drawing"},
		{interrupted(context.Canceled, ": %s", finished(1, 1, "point")), "interrupted: 1 of 1 point finished"},
	} {
		if got := message(tc.err); got != tc.want {
			t.Errorf("message(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

type wrapped struct {
	msg string
	err error
}

func (w wrapped) Error() string { return w.msg + ": " + w.err.Error() }
func (w wrapped) Unwrap() error { return w.err }

func wrap(msg string, err error) error { return wrapped{msg, err} }

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 3412: "3,412", 10000: "10,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
