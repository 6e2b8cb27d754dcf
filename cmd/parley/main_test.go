package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// parley runs the command line in-process and returns its exit status and
// output.
func parley(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return parleyCtx(t, context.Background(), args...)
}

func parleyCtx(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(ctx, args, strings.NewReader(""), &out, &errb)
	code = exitStatus(err, &errb)
	return code, out.String(), errb.String()
}

func TestRunJSONContract(t *testing.T) {
	code, out, errs := parley(t, "run", "korea-2018", "--runs", "600", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Scenario string `json:"scenario"`
		Runs     int    `json:"runs"`
		Seed     uint64 `json:"seed"`
		Outcomes map[string]struct {
			Count  *int     `json:"count"`
			Share  *float64 `json:"share"`
			CILow  *float64 `json:"ci_low"`
			CIHigh *float64 `json:"ci_high"`
		} `json:"outcomes"`
		Actors map[string]struct {
			MeanUtility *float64 `json:"mean_utility"`
		} `json:"actors"`
		Turns map[string]any `json:"turns"`
		Terms map[string]any `json:"terms"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if r.Scenario != "korea-2018" || r.Runs != 600 || r.Seed != defaultSeed {
		t.Fatalf("scenario %q runs %d seed %d", r.Scenario, r.Runs, r.Seed)
	}
	total := 0
	for _, name := range []string{"agreement", "stalemate", "breakdown", "conflict"} {
		o, ok := r.Outcomes[name]
		if !ok || o.Count == nil || o.Share == nil || o.CILow == nil || o.CIHigh == nil {
			t.Fatalf("outcome %q missing or incomplete", name)
		}
		if *o.CILow > *o.Share || *o.Share > *o.CIHigh {
			t.Fatalf("outcome %q: share %v outside its interval [%v, %v]", name, *o.Share, *o.CILow, *o.CIHigh)
		}
		total += *o.Count
	}
	if total != 600 {
		t.Fatalf("outcome counts add up to %d, want 600", total)
	}
	for _, id := range []string{"china", "us", "north_korea", "south_korea"} {
		a, ok := r.Actors[id]
		if !ok || a.MeanUtility == nil || *a.MeanUtility < 0 || *a.MeanUtility > 1 {
			t.Fatalf("actor %q: %+v", id, a)
		}
	}
	if r.Turns == nil || r.Terms == nil {
		t.Fatal("turns or terms missing")
	}
}

// The same seed gives byte-identical JSON whatever the number of workers.
func TestRunDeterministicAcrossWorkers(t *testing.T) {
	runs := "1500"
	if testenv.Quick() {
		runs = "600" // still three chunks of 256 runs to merge
	}
	var first string
	for _, w := range []string{"1", "2", "5"} {
		code, out, errs := parley(t, "run", "korea-2018", "--runs", runs, "--seed", "7", "--workers", w, "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if first == "" {
			first = out
		} else if out != first {
			t.Fatalf("--workers %s gave different JSON", w)
		}
	}
}

func TestRunFormatsAndOutputFile(t *testing.T) {
	code, table, _ := parley(t, "run", "korea-2018", "--runs", "300")
	if code != 0 || !strings.Contains(table, "95% interval") || !strings.Contains(table, "seed 20180327") {
		t.Fatalf("exit %d, table:\n%s", code, table)
	}
	code, out, _ := parley(t, "run", "korea-2018", "--runs", "300", "--format", "csv")
	if code != 0 {
		t.Fatalf("csv exit %d", code)
	}
	if _, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil {
		t.Fatalf("csv output does not parse: %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.csv")
	if code, _, errs := parley(t, "run", "korea-2018", "--runs", "300", "--format", "csv", "-o", path); code != 0 {
		t.Fatalf("-o exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(path); string(b) != out {
		t.Fatal("-o FILE differs from standard output")
	}
}

// Output paths are checked before the batch: a missing directory, a
// directory, and two outputs that are one file are refused with exit 2,
// naming the path, and nothing is written.
func TestRunOutputChecksBeforeWork(t *testing.T) {
	dir := t.TempDir()
	same := filepath.Join(dir, "same.csv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", filepath.Join(dir, "no", "r.csv")}, filepath.Join(dir, "no", "r.csv") + ": its directory " + filepath.Join(dir, "no") + " does not exist"},
		{[]string{"-o", dir}, dir + ": is a directory"},
		{[]string{"-o", same, "--runs-out", same}, "-o and --runs-out name the same file"},
		{[]string{"-o", same, "--runs-out", filepath.Join(dir, ".", "same.csv")}, "-o and --runs-out name the same file"},
		{[]string{"-o", "-", "--runs-out", "/dev/stdout"}, "-o and --runs-out name the same file"},
	} {
		// A million runs: a check made after the batch would not finish
		// within the test's time.
		code, _, errs := parley(t, append([]string{"run", "korea-2018", "--runs", "1000000"}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused runs left files: %v", entries)
	}
}

// Counts beyond the limits are refused with the limit, exit 2, before any
// work (they once overflowed the chunk count and panicked, or ran out of
// memory).
func TestHugeCountsRefused(t *testing.T) {
	const huge = "9223372036854775807"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "korea-2018", "--runs", huge}, "--runs 9223372036854775807: at most 1000000000"},
		{[]string{"compare", "korea-2018", "korea-2018", "--runs", huge}, "at most 1000000000"},
		{[]string{"report", "korea-2018", "--runs", huge}, "at most 1000000000"},
		{[]string{"analyze", "korea-2018", "--runs", huge}, "at most 1000000000"},
		{[]string{"analyze", "korea-2018", "--runs", "1000000000"}, "analyze places at most 10000000 runs"},
		{[]string{"play", "korea-2018", "--as", "us", "--debrief-runs", huge}, "want 1 to 1000000000"},
	} {
		code, _, errs := parley(t, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// bigScenario is a valid two-party scenario of issues issues of levels
// levels each, with identical preferences: how large a space validate and
// run take. A link in a0's values makes the engine keep the whole space
// (a compact model takes no links).
func bigScenario(issues, levels int) string {
	return genScenario("big", 2, issues, levels, func(a, i int) (int, int) { return 1, 0 }) +
		"[actors.a0.links.both]\nwhen = { i0 = \"l1\", i1 = \"l1\" }\nvalue = 0.1\n"
}

// contestedScenario has actors that pull each issue different ways, with
// unequal weights, so that its Pareto frontier is large; every actor
// signs.
func contestedScenario(actors, issues, levels int) string {
	return genScenario("contested", actors, issues, levels, func(a, i int) (int, int) {
		return 1 + (i+2*a)%5, (i + a) % 2 * (levels - 1)
	})
}

// genScenario writes a scenario of actors signatories a0, a1, ... and
// issues i0, i1, ... of levels levels l0, l1, ...; pref gives actor a's
// weight of issue i and the level it likes best (the first or the last:
// values are linear).
func genScenario(id string, actors, issues, levels int, pref func(a, i int) (weight, best int)) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id = %q\ntitle = %q\nquestion = \"q?\"\nhorizon = 10\n", id, id)
	var ls []string
	for l := range levels {
		ls = append(ls, fmt.Sprintf("%q", fmt.Sprint("l", l)))
	}
	for i := range issues {
		fmt.Fprintf(&b, "[issues.i%d]\nlevels = [%s]\n", i, strings.Join(ls, ", "))
	}
	var ids []string
	for a := range actors {
		ids = append(ids, fmt.Sprintf("%q", fmt.Sprint("a", a)))
		var ws, vs []string
		for i := range issues {
			w, best := pref(a, i)
			ws = append(ws, fmt.Sprintf("i%d = %d", i, w))
			vs = append(vs, fmt.Sprintf("values.i%d = { shape = \"linear\", best = \"l%d\" }\n", i, best))
		}
		fmt.Fprintf(&b, "[actors.a%d]\nweights = { %s }\nstrategy = { kind = \"linear\" }\ndeadline = 10\nconflict = { prevail = 0, cost = 0 }\n%s",
			a, strings.Join(ws, ", "), strings.Join(vs, ""))
	}
	fmt.Fprintf(&b, "[protocol]\nsignatories = [%s]\n", strings.Join(ids, ", "))
	return b.String()
}

// A two-signatory scenario of 15 contested issues of 4 levels
// (1,073,741,824 packages) validates, saying how many packages the engine
// keeps, and runs: its model is compact (sim.Model.Compact). It cannot be
// played by hand.
func TestHugeSpaceRuns(t *testing.T) {
	p := filepath.Join(t.TempDir(), "contested-15.toml")
	if err := os.WriteFile(p, []byte(contestedScenario(2, 15, 4)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := parley(t, "validate", p)
	if code != 0 || !regexp.MustCompile(`1,073,741,824 packages, played on the [0-9,]+ its searches can choose, about \d+ MiB on one worker`).MatchString(out) {
		t.Fatalf("validate: exit %d, %s%s", code, out, errs)
	}
	code, out, errs = parley(t, "run", p, "--runs", "20", "--format", "json")
	if code != 0 {
		t.Fatalf("run: exit %d, %s", code, errs)
	}
	var rep struct {
		Runs     int
		Outcomes struct{ Agreement struct{ Count int } }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Runs != 20 || rep.Outcomes.Agreement.Count == 0 {
		t.Fatalf("run: %v, %+v from %.300s", err, rep, out)
	}
	code, _, errs = parley(t, "play", p, "--as", "a0", "--plain")
	if code != 2 || !strings.Contains(errs, "too many to play by hand") {
		t.Errorf("play: exit %d, %q; want exit 2, too many to play by hand", code, errs)
	}
}

// validate says a scenario is too large to run, with its count and what
// it needs, and exits 2; one that fits is ok. PARLEY_MEMORY stands for the
// machine's memory, so that the answers do not depend on this one's.
func TestValidateTooLargeToRun(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		issues, levels int
		memory         string
		code           int
		want           string
	}{
		{2, 3, "", 0, "ok (big: 2 actors, 2 issues"},
		{11, 4, "1G", 0, "ok (big: 2 actors, 11 issues, 10 turns; 4,194,304 packages, about 390 MiB on one worker)"},
		{12, 4, "1G", 2, "valid, but too large to run on this machine: 16,777,216 packages need about 1.5 GiB, and 1.0 GiB is available"},
		{16, 4, "", 2, "valid, but too large to run: 4,294,967,296 packages (combinations of issue levels), at most 2,147,483,647"},
		{30, 10, "", 2, "valid, but too large to run: more packages than can be counted"},
	} {
		t.Setenv("PARLEY_MEMORY", tc.memory)
		p := filepath.Join(dir, fmt.Sprintf("big-%d-%d.toml", tc.issues, tc.levels))
		if err := os.WriteFile(p, []byte(bigScenario(tc.issues, tc.levels)), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := parley(t, "validate", p)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("%d issues of %d levels: exit %d, %s%s; want exit %d and %q", tc.issues, tc.levels, code, out, errs, tc.code, tc.want)
		}
	}
}

// run plays a scenario on as many of the workers asked for as fit in
// memory, says so, and gives the results it gives on one; one that does
// not fit on one worker is refused before anything is allocated, and a bad
// PARLEY_MEMORY is a usage error.
func TestRunFitsWorkersToMemory(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.toml")
	if err := os.WriteFile(p, []byte(contestedScenario(2, 8, 4)), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	fp, _ := sim.FootprintOf(sc)
	args := []string{"run", p, "--runs", "40", "--format", "json"}
	_, one, _ := parley(t, append(args, "--workers", "1")...)
	t.Setenv("PARLEY_MEMORY", fmt.Sprint(fp.Bytes(2)))
	code, two, errs := parley(t, append(args, "--workers", "4")...)
	if code != 0 || !strings.Contains(errs, "running 2 workers of the 4 asked for") || two != one {
		t.Errorf("4 workers asked, 2 fit: exit %d, stderr %q; same results as one worker: %v", code, errs, two == one)
	}
	t.Setenv("PARLEY_MEMORY", fmt.Sprint(fp.Bytes(1)-1))
	if code, _, errs := parley(t, args...); code != 2 || !strings.Contains(errs, "too large to run on this machine: 65,536 packages need about") {
		t.Errorf("not even one worker fits: exit %d, %s", code, errs)
	}
	t.Setenv("PARLEY_MEMORY", "lots")
	if code, _, errs := parley(t, args...); code != 2 || !strings.Contains(errs, `PARLEY_MEMORY="lots": want a size in bytes`) {
		t.Errorf("bad PARLEY_MEMORY: exit %d, %s", code, errs)
	}
}

func TestRunSetOverrides(t *testing.T) {
	_, base, _ := parley(t, "run", "korea-2018", "--runs", "400", "--format", "json")
	code, hawk, errs := parley(t, "run", "korea-2018", "--runs", "400", "--format", "json",
		"--set", "actors.us.hawkishness=0.9", "--set", "protocol.mediator=none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if hawk == base {
		t.Fatal("--set changed nothing")
	}
	code, _, errs = parley(t, "run", "korea-2018", "--set", "actors.us.hawkishnes=0.9")
	if code != 2 || !strings.Contains(errs, "actors.us.hawkishnes") || !strings.Contains(errs, `did you mean "actors.us.hawkishness"`) {
		t.Fatalf("unknown --set path: exit %d, %s", code, errs)
	}
	code, _, errs = parley(t, "run", "korea-2018", "--set", "actors.us.hawkishness=1.5")
	if code != 2 || !strings.Contains(errs, "--set") {
		t.Fatalf("out-of-range --set: exit %d, %s", code, errs)
	}
	// The dials the model replaced are gone: setting one is an error that
	// says what replaced it.
	for _, key := range []string{"dynamics.strike_rate", "protocol.mediator_salvage", "dynamics.breakdown_rate", "protocol.deadline"} {
		code, _, errs = parley(t, "run", "korea-2018", "--set", key+"=0.5")
		if code != 2 || !strings.Contains(errs, key) || !strings.Contains(errs, "is no longer a key") {
			t.Fatalf("--set %s: exit %d, %s", key, code, errs)
		}
	}
}

var wantLine = regexp.MustCompile(`^# want: (\d+) (\S*):`)

// Every bad file of the corpus exits 2 with each expected problem named by
// file, line and key.
func TestValidateBadFiles(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/scenarios/bad/*.toml")
	if len(files) < 10 {
		t.Fatalf("bad-file corpus has %d files", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, _ := os.ReadFile(f)
			code, _, errs := parley(t, "validate", f)
			if code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
			n := 0
			for _, line := range strings.Split(string(src), "\n") {
				m := wantLine.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				n++
				want := fmt.Sprintf("%s:%s: %s", f, m[1], m[2])
				if m[2] == "" { // syntax errors have no key path
					want = fmt.Sprintf("%s:%s:", f, m[1])
				}
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
			if n == 0 {
				t.Fatal("file declares no expected problem")
			}
		})
	}
}

func TestValidateGoodFiles(t *testing.T) {
	code, out, errs := parley(t, "validate", "../../scenarios/korea-2018.toml", "../../testdata/scenarios/valid.toml")
	if code != 0 || strings.Count(out, ": ok") != 2 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ := parley(t, "validate", "no-such-file.toml"); code != 2 {
		t.Fatalf("missing file: exit %d, want 2", code)
	}
}

func TestListShow(t *testing.T) {
	code, out, _ := parley(t, "list", "--format", "json")
	var items []struct{ Name, Title string }
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil || len(items) == 0 {
		t.Fatalf("list: exit %d\n%s", code, out)
	}
	for _, it := range items {
		if it.Name == "" || it.Title == "" {
			t.Fatalf("list item %+v lacks name or title", it)
		}
		code, src, _ := parley(t, "show", it.Name)
		want, _ := scenarios.BuiltinSource(it.Name)
		flat, err := scenarios.Flatten(it.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(flat.Files) > 1 {
			// A variant is shown whole (TestShowVariantAndSet).
			if code != 0 || !strings.HasPrefix(src, "# "+it.Name+", as one file: ") || !strings.HasSuffix(src, string(flat.TOML)) {
				t.Fatalf("show %s: exit %d, not the variant whole:\n%s", it.Name, code, src)
			}
			continue
		}
		if code != 0 || src != string(want) {
			t.Fatalf("show %s: exit %d, output differs from the embedded file", it.Name, code)
		}
	}
	if code, _, _ := parley(t, "show", "no-such"); code != 2 {
		t.Fatalf("show unknown: exit %d, want 2", code)
	}
}

func TestUsageAndHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"--help"}, 0},
		{[]string{"run", "--help"}, 0},
		{[]string{"run"}, 2},
		{[]string{"run", "korea-2018", "--runs", "0"}, 2},
		{[]string{"run", "korea-2018", "--format", "xml"}, 2},
		{[]string{"run", "korea-2018", "--bogus"}, 2},
		{[]string{"report", "korea-2018", "--workers", "-1"}, 2},
		{[]string{"analyze", "korea-2018", "--runs", "-1"}, 2},
		{[]string{"compare", "korea-2018", "korea-2018", "--runs", "0"}, 2},
		{[]string{"list", "--help"}, 0},
		{[]string{"validate"}, 2},
	} {
		if code, _, errs := parley(t, tc.args...); code != tc.code {
			t.Errorf("parley %v: exit %d, want %d (%s)", tc.args, code, tc.code, errs)
		}
	}
}

// An interrupted run prints what finished and says so.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, errs := parleyCtx(t, ctx, "run", "korea-2018", "--runs", "100000")
	if code != 1 || errs != "parley: interrupted before any run finished; nothing written\n" {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestRunPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "charts")
	code, _, errs := parley(t, "run", "korea-2018", "--runs", "300", "--plot", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"outcome-shares", "end-turn", "utility-us", "terms-sanctions"} {
		for _, ext := range []string{".png", ".svg"} {
			if fi, err := os.Stat(filepath.Join(dir, name+ext)); err != nil || fi.Size() == 0 {
				t.Errorf("%s%s: %v", name, ext, err)
			}
		}
	}
}

// A base outside the scenario's directory is refused unless
// --base-anywhere allows it; a directory or a device as a base is named
// for what it is, not "no file".
func TestBaseRestricted(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside.toml")
	src, err := scenarios.BuiltinSource("korea-2018")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(outside, src, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "class")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.toml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "inside.toml"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		base, want string
		code       int
		anywhere   bool
	}{
		{"inside.toml", "ok (v:", 0, false},
		{"korea-2018", "ok (v:", 0, false},
		{"../outside.toml", `base "../outside.toml" is outside the scenario's directory`, 2, false},
		{outside, "is outside the scenario's directory", 2, false},
		{"link.toml", `base "link.toml" is outside the scenario's directory`, 2, false},
		{"/etc/passwd", "is outside the scenario's directory", 2, false},
		{"../outside.toml", "ok (v:", 0, true},
		{"/tmp", "/tmp is a directory: a base is a scenario file or a built-in name", 2, false},
		{"/dev/null", "/dev/null is not a regular file", 2, false},
	} {
		v := filepath.Join(dir, "v.toml")
		if err := os.WriteFile(v, []byte(fmt.Sprintf("id = \"v\"\nbase = %q\n", tc.base)), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"validate", v}
		if tc.anywhere {
			args = append(args, "--base-anywhere")
		}
		code, out, errs := parley(t, args...)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("base %q (anywhere %v): exit %d, %s%s; want exit %d and %q", tc.base, tc.anywhere, code, out, errs, tc.code, tc.want)
		}
	}
}

// SIGTERM stops the long work before the first run, the Pareto frontier of
// analyze and the package tables of run, within a second or so (the test
// allows five on a busy machine; the work left would take minutes): exit 1,
// saying it was interrupted, nothing written.
func TestLongSetUpStopsOnSignal(t *testing.T) {
	testenv.EndToEnd(t)
	bin := buildParley(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name             string
		actors, issues   int
		args             []string
		uncancelledLasts string
	}{
		// 4^10 packages, sixteen signatories: the frontier takes more than
		// 20 s (with ten, the set-up now ends within a second).
		{"analyze", 16, 10, []string{"analyze"}, "more than 20 s"},
		// 4^11 packages: each run builds its tables and walks them.
		{"run", 4, 11, []string{"run", "--runs", "1000", "--workers", "2"}, "hours"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name+".toml")
			if err := os.WriteFile(file, []byte(contestedScenario(tc.actors, tc.issues, 4)), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, tc.name+".out")
			cmd := exec.Command(bin, append(tc.args, file, "-o", out)...)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(1500 * time.Millisecond) // into the set-up
			sent := time.Now()
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-exited:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
				t.Fatalf("still running 5 s after SIGTERM (uncancelled it lasts %s)", tc.uncancelledLasts)
			}
			took := time.Since(sent)
			if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(errb.String(), "interrupted") {
				t.Fatalf("exit %d, want 1 saying interrupted:\n%s", code, errb.String())
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatalf("%s was written (%v)", out, err)
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, "."+tc.name+".out*"))
			if len(leftovers) > 0 {
				t.Fatalf("left behind: %v", leftovers)
			}
			t.Logf("stopped %v after SIGTERM: %s", took.Round(time.Millisecond), strings.TrimSpace(errb.String()))
		})
	}
}

// Every JSON output records the model version it was computed with, as
// --version gives it.
func TestJSONOutputsRecordModel(t *testing.T) {
	dir := t.TempDir()
	transcript := filepath.Join(dir, "t.json")
	for _, args := range [][]string{
		{"run", "korea-2018", "--runs", "50", "--format", "json"},
		{"compare", "korea-2018", "korea-2018-no-china", "--runs", "50", "--format", "json"},
		{"analyze", "trade-deal", "--format", "json"},
		{"narrate", "korea-2018", "--run", "2", "--format", "json"},
		{"play", "trade-deal", "--as", "importer", "--debrief-runs", "20", "--transcript", transcript},
	} {
		code, out, errs := parley(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if args[0] == "play" {
			out = readFile(t, transcript)
		}
		var m struct {
			Model *int `json:"model"`
		}
		if err := json.Unmarshal([]byte(out), &m); err != nil || m.Model == nil || *m.Model != sim.ModelVersion {
			t.Errorf("%v: no \"model\": %d in the JSON (%v)", args, sim.ModelVersion, err)
		}
	}
}

// --series-out writes per-turn bands that agree with the runs' outcomes:
// at the horizon, the share of runs with a deal (or only a step) in force
// times the runs that reached it counts the agreements (the partial ones);
// the bands are the same for any number of workers. With --series-runs it
// writes every turn of the chosen runs, and nothing else.
func TestRunSeriesOut(t *testing.T) {
	dir := t.TempDir()
	runs := quickRunsN(1200, 400)
	var first string
	for _, w := range []string{"1", "3"} {
		bands := filepath.Join(dir, "bands-"+w+".csv")
		code, out, errs := parley(t, "run", "korea-2018", "--runs", strconv.Itoa(runs), "--workers", w, "--format", "json", "--series-out", bands)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		data := readFile(t, bands)
		if first == "" {
			first = data
		} else if data != first {
			t.Fatal("the bands differ between 1 and 3 workers")
		}
		var rep struct {
			Outcomes map[string]struct{ Count int } `json:"outcomes"`
			Partial  struct{ Count int }            `json:"partial"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		reached := 0
		for _, r := range rows[1:] {
			if r[0] == "36" && (r[1] == "deal" || r[1] == "step") {
				mean, _ := strconv.ParseFloat(r[3], 64)
				reached, _ = strconv.Atoi(r[2])
				got[r[1]] = mean * float64(reached)
			}
		}
		if reached != runs-rep.Outcomes["conflict"].Count {
			t.Errorf("%d runs reached turn 36; %d runs, %d ended in a strike", reached, runs, rep.Outcomes["conflict"].Count)
		}
		if math.Abs(got["deal"]-float64(rep.Outcomes["agreement"].Count)) > 1e-6 || math.Abs(got["step"]-float64(rep.Partial.Count)) > 1e-6 {
			t.Errorf("at the horizon: %v runs with a deal and %v with a step; the report counts %d agreements, %d partial",
				got["deal"], got["step"], rep.Outcomes["agreement"].Count, rep.Partial.Count)
		}
	}
	rowsPath := filepath.Join(dir, "rows.csv")
	if code, _, errs := parley(t, "run", "korea-2018", "--runs", "50", "--series-out", rowsPath, "--series-runs", "3,7-8"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(readFile(t, rowsPath))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	perRun := map[string]int{}
	for _, r := range rows[1:] {
		perRun[r[0]]++
		if r[1] != strconv.Itoa(perRun[r[0]]) {
			t.Fatalf("run %s: row %d is turn %s", r[0], perRun[r[0]], r[1])
		}
	}
	if len(perRun) != 3 || perRun["3"] == 0 || perRun["7"] == 0 || perRun["8"] == 0 || rows[0][2] != "tension" {
		t.Errorf("rows of runs %v, header %v", perRun, rows[0][:3])
	}
	for _, tc := range []struct{ args []string }{
		{[]string{"run", "korea-2018", "--runs", "50", "--series-runs", "3"}},
		{[]string{"run", "korea-2018", "--runs", "50", "--series-out", rowsPath, "--series-runs", "51"}},
		{[]string{"run", "korea-2018", "--runs", "50", "--series-out", rowsPath, "--series-runs", "x"}},
	} {
		if code, _, errs := parley(t, tc.args...); code != 2 || !strings.Contains(errs, "--series") {
			t.Errorf("parley %v: exit %d: %s", tc.args, code, errs)
		}
	}
}

// quickRunsN is n, or fewer under -short or the race detector.
func quickRunsN(n, quick int) int {
	if testenv.Quick() {
		return quick
	}
	return n
}

// Every JSON output says where its runs came from: the scenario, a digest
// of its full source (a variant's base included), the overrides, the seed
// and the model version; a CSV gets the same in a manifest beside it; the
// table names the overrides. A change to a variant's base file changes the
// digest.
func TestProvenance(t *testing.T) {
	dir := t.TempDir()
	src, err := scenarios.BuiltinSource("korea-2018")
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base.toml")
	variant := filepath.Join(dir, "v.toml")
	if err := os.WriteFile(base, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(variant, []byte("base = \"base.toml\"\nid = \"v\"\n[set]\n\"dynamics.trust\" = 0.4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	type prov struct {
		Scenario     string   `json:"scenario"`
		SourceDigest string   `json:"source_digest"`
		Sets         []string `json:"sets"`
		Seed         uint64   `json:"seed"`
		Model        int      `json:"model"`
	}
	runProv := func(args ...string) prov {
		t.Helper()
		code, out, errs := parley(t, append([]string{"run", variant, "--runs", "20", "--format", "json", "--seed", "5"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var r struct{ Provenance prov }
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r.Provenance
	}
	p := runProv("--set", "actors.us.hawkishness=0.7")
	if p.Scenario != "v" || len(p.SourceDigest) != 32 || strings.Join(p.Sets, " ") != "actors.us.hawkishness=0.7" || p.Seed != 5 || p.Model != sim.ModelVersion {
		t.Fatalf("provenance %+v", p)
	}
	if q := runProv(); q.SourceDigest != p.SourceDigest || len(q.Sets) != 0 {
		t.Errorf("without --set: %+v; the digest is of the source, before overrides", q)
	}
	if err := os.WriteFile(base, []byte(strings.Replace(string(src), "talk_value = 0.02", "talk_value = 0.03", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if q := runProv(); q.SourceDigest == p.SourceDigest {
		t.Error("a change to the base file left the digest unchanged")
	}
	_, table, _ := parley(t, "run", variant, "--runs", "20", "--set", "actors.us.hawkishness=0.7")
	if !strings.Contains(table, "20 runs, seed 20180327, --set actors.us.hawkishness=0.7") {
		t.Errorf("the table's header does not name the override:\n%s", table)
	}
	csvOut := filepath.Join(dir, "r.csv")
	if code, _, errs := parley(t, "run", variant, "--runs", "20", "--format", "csv", "-o", csvOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var m struct {
		File       string `json:"file"`
		Provenance []prov `json:"provenance"`
	}
	if err := json.Unmarshal([]byte(readFile(t, csvOut+".manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	if m.File != "report" || len(m.Provenance) != 1 || m.Provenance[0].Scenario != "v" || !strings.HasPrefix(readFile(t, csvOut), "section,name,stat,value\n") {
		t.Errorf("manifest %+v", m)
	}
	for _, args := range [][]string{
		{"narrate", variant, "--run", "2", "--format", "json"},
		{"analyze", variant, "--runs", "20", "--format", "json"},
	} {
		code, out, errs := parley(t, args...)
		var r struct{ Provenance *prov }
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Provenance == nil || r.Provenance.Scenario != "v" || r.Provenance.SourceDigest == "" {
			t.Errorf("parley %v: exit %d, provenance %+v: %s", args, code, r.Provenance, errs)
		}
	}
}
