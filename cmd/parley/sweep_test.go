package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim/sweep"
)

// sweepFile writes a sweep file into dir and returns its path. Under
// -short or the race detector, a sweep of korea-2018 sweeps a variant of
// it with every actor knowing the others and no steps instead, the same
// actors and keys at a fifth of the cost a run (docs/benchmarks.md): these
// tests check the sweep machinery, not the scenario.
func sweepFile(t *testing.T, dir, body string) string {
	t.Helper()
	const korea = `scenario = "korea-2018"`
	if testenv.Quick() && strings.Contains(body, korea) {
		if err := os.WriteFile(filepath.Join(dir, "quick.toml"), []byte(quickKorea), 0o644); err != nil {
			t.Fatal(err)
		}
		body = strings.Replace(body, korea, `scenario = "quick.toml"`, 1)
	}
	path := filepath.Join(dir, "sweep.toml")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// quickKorea is korea-2018 with its costliest features off: misperception
// (model 3) and steps (model 4).
const quickKorea = `base = "korea-2018"
id = "korea-2018-quick"
[set]
"actors.us.misperception" = 0
"actors.north_korea.misperception" = 0
"actors.south_korea.misperception" = 0
"actors.china.misperception" = 0
"protocol.partial_deals" = false
`

// sweep12 has 12 points of 260 runs (two chunks each).
const sweep12 = `scenario = "korea-2018"
runs = 260
seed = 5
[[vary]]
key = "actors.us.hawkishness"
values = [0.1, 0.5, 0.9]
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
[[vary]]
key = "dynamics.trust"
values = [0.2, 0.6]
`

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustSweep runs parley with args and fails unless it exits 0.
func mustSweep(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	code, out, errs := parley(t, args...)
	if code != 0 {
		t.Fatalf("parley %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out, errs
}

var summaryRE = regexp.MustCompile(`sweep: (\d+) of (\d+) points(?: of shard \d+/\d+)? computed \((\d+) already done\); (\d+) runs in \S+, \d+ runs/s`)

// summary parses the summary line: points computed, points in all, points
// already done.
func summary(t *testing.T, stderr string) (computed, total, already int) {
	t.Helper()
	m := summaryRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no summary line in stderr:\n%s", stderr)
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	c, _ := strconv.Atoi(m[3])
	return a, b, c
}

func TestSweepCSV(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sweep12)
	out := filepath.Join(dir, "out.csv")
	_, errs := mustSweep(t, "sweep", file, "-o", out)
	if c, n, a := summary(t, errs); c != 12 || n != 12 || a != 0 {
		t.Fatalf("summary %d of %d, %d already done:\n%s", c, n, a, errs)
	}
	if !strings.Contains(errs, "3120 runs") {
		t.Fatalf("summary lacks the runs: %s", errs)
	}
	rows, err := csv.NewReader(strings.NewReader(readFile(t, out))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "point,actors.us.hawkishness,protocol.mediator,dynamics.trust," +
		"agreement_share,agreement_ci_low,agreement_ci_high,stalemate_share,stalemate_ci_low,stalemate_ci_high," +
		"breakdown_share,breakdown_ci_low,breakdown_ci_high,conflict_share,conflict_ci_low,conflict_ci_high," +
		"china_mean_utility,us_mean_utility,north_korea_mean_utility,south_korea_mean_utility"
	if strings.Join(rows[0], ",") != want {
		t.Fatalf("header\n%s\nwant\n%s", strings.Join(rows[0], ","), want)
	}
	if len(rows) != 13 {
		t.Fatalf("%d rows, want header + 12", len(rows))
	}
	for i, r := range rows[1:] {
		if r[0] != strconv.Itoa(i+1) {
			t.Fatalf("row %d is point %s", i+1, r[0])
		}
		sum := 0.0
		for o := range 4 {
			share, _ := strconv.ParseFloat(r[4+3*o], 64)
			lo, _ := strconv.ParseFloat(r[5+3*o], 64)
			hi, _ := strconv.ParseFloat(r[6+3*o], 64)
			if lo > share || share > hi {
				t.Fatalf("point %d: share %v outside [%v, %v]", i+1, share, lo, hi)
			}
			sum += share
		}
		if sum < 0.999999 || sum > 1.000001 {
			t.Fatalf("point %d: shares add up to %v", i+1, sum)
		}
	}
	if rows[1][1] != "0.1" || rows[1][2] != "china" || rows[1][3] != "0.2" || rows[12][1] != "0.9" || rows[12][2] != "none" || rows[12][3] != "0.6" {
		t.Fatalf("first and last points: %v %v", rows[1][:4], rows[12][:4])
	}

	// A point equals parley run with the point's values; a hawkish US
	// without China's mediation fares differently from a dovish one with it.
	if rows[1][4] == rows[12][4] {
		t.Fatal("the varied keys change nothing")
	}
	var m struct {
		Sweep  string `json:"sweep"`
		Shard  int    `json:"shard"`
		Shards int    `json:"shards"`
		Points int    `json:"points"`
	}
	if err := json.Unmarshal([]byte(readFile(t, out+".manifest.json")), &m); err != nil || len(m.Sweep) != 32 || m.Shard != 1 || m.Shards != 1 || m.Points != 12 {
		t.Fatalf("manifest %+v, %v", m, err)
	}

	// Standard output gets the same bytes.
	stdout, _ := mustSweep(t, "sweep", file)
	if stdout != readFile(t, out) {
		t.Fatal("standard output differs from -o")
	}
}

func TestSweepJSONL(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sweep12)
	stdout, _ := mustSweep(t, "sweep", file, "--format", "jsonl")
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12", len(lines))
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[11]), &row); err != nil {
		t.Fatal(err)
	}
	if row["point"] != 12.0 || row["actors.us.hawkishness"] != 0.9 || row["protocol.mediator"] != "none" || row["us_mean_utility"] == nil {
		t.Fatalf("last row %v", row)
	}
	if !strings.HasPrefix(lines[0], `{"point":1,"actors.us.hawkishness":0.1,"protocol.mediator":"china",`) {
		t.Fatalf("first row %s", lines[0])
	}
}

func TestSweepWorkersIdentical(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sweep12)
	formats, workers := []string{"csv", "jsonl"}, []string{"2", "5", "16"}
	if testenv.Quick() {
		// Under the race detector a sweep takes ten times as long: one
		// format and one pool size show the same.
		formats, workers = formats[:1], workers[1:2]
	}
	for _, format := range formats {
		one, _ := mustSweep(t, "sweep", file, "--workers", "1", "--format", format)
		for _, w := range workers {
			if got, _ := mustSweep(t, "sweep", file, "--workers", w, "--format", format); got != one {
				t.Fatalf("%s: --workers %s differs from --workers 1", format, w)
			}
		}
	}
}

func TestSweepLHS(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, `scenario = "korea-2018"
runs = 100
design = "lhs"
points = 8
[[vary]]
key = "actors.us.hawkishness"
min = 0.2
max = 0.8
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
`)
	stdout, _ := mustSweep(t, "sweep", file)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(rows) != 17 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	strata := map[int]int{}
	for i := 1; i < len(rows); i += 2 {
		h, _ := strconv.ParseFloat(rows[i][1], 64)
		if rows[i+1][1] != rows[i][1] || rows[i][2] != "china" || rows[i+1][2] != "none" {
			t.Fatalf("rows %d, %d: %v %v", i, i+1, rows[i][:3], rows[i+1][:3])
		}
		strata[int((h-0.2)/0.6*8)]++
	}
	if len(strata) != 8 {
		t.Fatalf("hawkishness strata hit: %v, want each of 8 once", strata)
	}
}

func TestSweepShardsMerge(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sweep12)
	whole := filepath.Join(dir, "whole.csv")
	mustSweep(t, "sweep", file, "-o", whole)
	splits := []int{1, 2, 3, 5, 13}
	if testenv.Quick() {
		splits = []int{2, 3} // the refusals below need both; the race detector slows sweeps tenfold
	}
	for _, n := range splits {
		var parts []string
		// Shards given in reverse order to merge.
		for k := n; k >= 1; k-- {
			part := filepath.Join(dir, fmt.Sprintf("part-%d-of-%d.csv", k, n))
			_, errs := mustSweep(t, "sweep", file, "--shard", fmt.Sprintf("%d/%d", k, n), "-o", part, "--workers", "2")
			own := 0
			for p := k; p <= 12; p += n {
				own++
			}
			if c, total, _ := summary(t, errs); c != own || total != own {
				t.Fatalf("shard %d/%d computed %d of %d points, want %d", k, n, c, total, own)
			}
			rows, _ := csv.NewReader(strings.NewReader(readFile(t, part))).ReadAll()
			for _, r := range rows[1:] {
				if p, _ := strconv.Atoi(r[0]); (p-1)%n+1 != k {
					t.Fatalf("shard %d/%d holds point %d", k, n, p)
				}
			}
			parts = append(parts, part)
		}
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d.csv", n))
		mustSweep(t, append([]string{"merge", merged}, parts...)...)
		if readFile(t, merged) != readFile(t, whole) {
			t.Fatalf("%d shards merged differ from the whole sweep", n)
		}
		if readFile(t, merged+".manifest.json") != readFile(t, whole+".manifest.json") {
			t.Fatalf("%d shards: the merged manifest differs from the whole sweep's", n)
		}
	}

	// merge refuses, naming the files: a missing shard, a duplicate, a part
	// of another sweep.
	p1, p2, p3 := filepath.Join(dir, "part-1-of-3.csv"), filepath.Join(dir, "part-2-of-3.csv"), filepath.Join(dir, "part-3-of-3.csv")
	other := sweepFile(t, t.TempDir(), strings.Replace(sweep12, "seed = 5", "seed = 6", 1))
	p3other := filepath.Join(dir, "other-3-of-3.csv")
	mustSweep(t, "sweep", other, "--shard", "3/3", "-o", p3other)
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{p1, p3}, "missing shard 2 of 3"},
		{[]string{p1, p2, p3, p2}, "part-2-of-3.csv and " + p2 + " are both shard 2/3"},
		{[]string{p1, p2, p3other}, "part-1-of-3.csv and " + p3other + " are outputs of different sweeps"},
		{[]string{p1, p2, filepath.Join(dir, "part-1-of-2.csv")}, "is shard 1/3 and " + filepath.Join(dir, "part-1-of-2.csv") + " is shard 1/2"},
		{[]string{p1, file}, "sweep.toml has no manifest beside it"},
	} {
		out := filepath.Join(dir, "refused.csv")
		code, _, errs := parley(t, append([]string{"merge", out}, tc.parts...)...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("merge %v: exit %d, %s; want exit 2 and %q", tc.parts, code, errs, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("merge %v left an output behind", tc.parts)
		}
	}

	// The output given as a part under another spelling is refused before
	// anything is written: part 1 and its manifest stay as they were.
	before, manifest := readFile(t, p1), readFile(t, p1+".manifest.json")
	again := filepath.Join(dir, ".", "sub", "..", "part-1-of-3.csv")
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	code, _, errs := parley(t, "merge", again, p1, p2, p3)
	if code != 2 || !strings.Contains(errs, "is also an input") {
		t.Errorf("merge into a part: exit %d, %s; want exit 2 and the output refused", code, errs)
	}
	if readFile(t, p1) != before || readFile(t, p1+".manifest.json") != manifest {
		t.Errorf("merge into a part changed the part")
	}
	// A part with one cell edited, as a hand or a spreadsheet would, is
	// refused, naming the row and the cell.
	rows := strings.SplitAfter(readFile(t, p2), "\n")
	cells := strings.Split(rows[1], ",")
	cells[4] = "0.51" // point 2's agreement share, not a whole number of its 260 runs
	edited := filepath.Join(dir, "edited-2-of-3.csv")
	if err := os.WriteFile(edited, []byte(rows[0]+strings.Join(cells, ",")+strings.Join(rows[2:], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited+".manifest.json", []byte(readFile(t, p2+".manifest.json")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = parley(t, "merge", filepath.Join(dir, "refused.csv"), p1, edited, p3)
	if want := "row 1 (point 2) is damaged: agreement_share = 0.51 is not a whole number of its 260 runs"; code != 2 || !strings.Contains(errs, want) {
		t.Errorf("merge of an edited part: exit %d, %s; want exit 2 and %q", code, errs, want)
	}
}

// A cut-short last line (a crash mid-write) is dropped and recomputed; a
// file of another sweep is refused.
func TestSweepResumeInProcess(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sweep12)
	whole := filepath.Join(dir, "whole.csv")
	mustSweep(t, "sweep", file, "-o", whole)
	data := readFile(t, whole)
	lines := strings.SplitAfter(data, "\n")

	out := filepath.Join(dir, "out.csv")
	cut := strings.Join(lines[:6], "") + lines[6][:20] // header, points 1-5, a piece of point 6
	if err := os.WriteFile(out, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out+".manifest.json", []byte(readFile(t, whole+".manifest.json")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := parley(t, "sweep", file, "-o", out)
	if code != 2 || !strings.Contains(errs, "exists: continue it with --resume") {
		t.Fatalf("without --resume: exit %d: %s", code, errs)
	}
	_, errs = mustSweep(t, "sweep", file, "-o", out, "--resume", "--workers", "3")
	if c, n, a := summary(t, errs); c != 7 || n != 12 || a != 5 {
		t.Fatalf("resume computed %d of %d with %d already done; want 7, 12, 5", c, n, a)
	}
	if readFile(t, out) != data {
		t.Fatal("the resumed output differs from the whole sweep")
	}
	// Resuming a complete output computes nothing.
	_, errs = mustSweep(t, "sweep", file, "-o", out, "--resume")
	if c, _, a := summary(t, errs); c != 0 || a != 12 {
		t.Fatalf("resuming a complete sweep computed %d points", c)
	}
	// --resume without an output starts afresh.
	fresh := filepath.Join(dir, "fresh.csv")
	mustSweep(t, "sweep", file, "-o", fresh, "--resume")
	if readFile(t, fresh) != data {
		t.Fatal("--resume of a missing output differs from the whole sweep")
	}
	// Another sweep's output, or another shard's, is refused.
	other := sweepFile(t, t.TempDir(), strings.Replace(sweep12, "runs = 260", "runs = 200", 1))
	for _, args := range [][]string{
		{"sweep", other, "-o", out, "--resume"},
		{"sweep", file, "-o", out, "--resume", "--shard", "1/2"},
		{"sweep", file, "-o", out, "--resume", "--format", "jsonl"},
	} {
		code, _, errs := parley(t, args...)
		if code != 2 || !strings.Contains(errs, "--resume: "+out+" holds shard 1/1 (csv) of sweep") {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
	if readFile(t, out) != data {
		t.Fatal("a refused resume changed the output")
	}
	// A row whose varied value, or whose outcome counts, were edited is
	// refused, naming the line and the cell.
	for _, tc := range []struct {
		col  int
		to   string
		want string
	}{
		{1, "0.9", "out.csv:3: the row of point 2 is damaged: actors.us.hawkishness = 0.9, but this sweep's point 2 has"},
		{7, "0.123", "out.csv:3: the row of point 2 is damaged: stalemate_share = 0.123 is not a whole number of its 260 runs"},
	} {
		cells := strings.Split(lines[2], ",")
		cells[tc.col] = tc.to
		edited := lines[0] + lines[1] + strings.Join(cells, ",") + lines[3]
		if err := os.WriteFile(out, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errs := parley(t, "sweep", file, "-o", out, "--resume")
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("resume of a row with column %d edited: exit %d, %s; want exit 2 and %q", tc.col+1, code, errs, tc.want)
		}
		if readFile(t, out) != edited {
			t.Error("a refused resume changed the output")
		}
	}
}

func TestSweepBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ file, want string }{
		"bad-key":   {"../../testdata/sweeps/bad-key.toml", "bad-key.toml:9: vary[1].key: actors.us.hawkishnes: no such key in scenario korea-2018"},
		"bad-value": {"../../testdata/sweeps/bad-value.toml", `bad-value.toml:11: vary[2].values: protocol.mediator = "russia": unknown actor "russia"`},
		"bad-range": {"../../testdata/sweeps/bad-range.toml", "bad-range.toml:11: vary[1].max: empty range: max 0.2 must be greater than min 0.8"},
		"missing":   {"../../testdata/sweeps/no-such-file.toml", "sweep: no file ../../testdata/sweeps/no-such-file.toml"},
	} {
		out := filepath.Join(dir, name+".csv")
		code, stdout, errs := parley(t, "sweep", tc.file, "-o", out)
		if code != 2 || !strings.Contains(errs, tc.want) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %s; want exit 2 and %q", name, code, errs, tc.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: an output was written", name)
		}
	}
	for _, args := range [][]string{
		{"sweep"},
		{"sweep", "../../testdata/sweeps/grid.toml", "--shard", "0/4", "-o", filepath.Join(dir, "x.csv")},
		{"sweep", "../../testdata/sweeps/grid.toml", "--shard", "2/4"},
		{"sweep", "../../testdata/sweeps/grid.toml", "--resume"},
		{"sweep", "../../testdata/sweeps/grid.toml", "--format", "xml"},
		{"merge", filepath.Join(dir, "x.csv")},
	} {
		if code, _, errs := parley(t, args...); code != 2 {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
}

// The example sweeps in testdata/sweeps are valid.
func TestSweepExamples(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/sweeps/*.toml")
	n := 0
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "bad-") {
			continue
		}
		n++
		args := []string{"sweep", f, "--workers", "2"}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sw, err := sweep.Parse(f, src)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if sw.Len() > 40 {
			// A big example (the Sobol design): one shard of a few points
			// shows it runs; the whole is for the user.
			part := filepath.Join(t.TempDir(), "part.csv")
			mustSweep(t, append(args, "--shard", fmt.Sprintf("1/%d", sw.Len()/4), "-o", part)...)
			if got := strings.Count(readFile(t, part), "\n"); got != 5 {
				t.Errorf("%s: shard 1/%d has %d lines, want a header and 4 points", f, sw.Len()/4, got)
			}
			continue
		}
		stdout, _ := mustSweep(t, args...)
		if strings.Count(stdout, "\n") < 2 {
			t.Errorf("%s: %q", f, stdout)
		}
	}
	if n == 0 {
		t.Fatal("no example sweeps")
	}
}

// buildParley builds the parley binary into a temporary directory.
func buildParley(t *testing.T) string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build the binary:", err)
	}
	bin := filepath.Join(t.TempDir(), "parley")
	cmd := exec.Command(gotool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A real parley process sent SIGINT mid-sweep keeps the points it
// finished; resumed, it computes only the missing points, and the output
// is byte-identical to an uninterrupted sweep.
func TestSweepKilledAndResumed(t *testing.T) {
	testenv.EndToEnd(t)
	bin := buildParley(t)
	dir := t.TempDir()
	file := sweepFile(t, dir, `scenario = "korea-2018"
runs = 2000
seed = 3
[[vary]]
key = "actors.us.hawkishness"
min = 0.05
max = 0.95
step = 0.05
[[vary]]
key = "protocol.mediator"
values = ["china", "none"]
`) // 38 points of 2000 runs
	whole := filepath.Join(dir, "whole.csv")
	if out, err := exec.Command(bin, "sweep", file, "-o", whole).CombinedOutput(); err != nil {
		t.Fatalf("the uninterrupted sweep: %v\n%s", err, out)
	}

	out := filepath.Join(dir, "out.csv")
	cmd := exec.Command(bin, "sweep", file, "-o", out, "--workers", "2")
	cmd.Env = append(os.Environ(), "PARLEY_SWEEP_LOG=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once three points are written.
	sc := bufio.NewScanner(stderr)
	var log bytes.Buffer
	seen := 0
	for sc.Scan() {
		log.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "sweep: point ") {
			if seen++; seen == 3 {
				if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	err = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if code != 1 || !strings.Contains(log.String(), " of 38 points finished; "+out+" holds them: the same command with --resume computes the rest") {
		t.Fatalf("interrupted sweep: exit %d (%v), want 1:\n%s", code, err, log.String())
	}
	kept := strings.Count(readFile(t, out), "\n") - 1
	if kept < 3 || kept >= 38 {
		t.Fatalf("the interrupted sweep kept %d points; want from 3 to 37:\n%s", kept, log.String())
	}
	t.Logf("SIGINT after 3 points logged; the output kept %d of 38 points", kept)
	if !strings.HasPrefix(readFile(t, whole), readFile(t, out)) {
		t.Fatal("the interrupted output is not a prefix of the whole sweep")
	}

	cmd = exec.Command(bin, "sweep", file, "-o", out, "--resume")
	cmd.Env = append(os.Environ(), "PARLEY_SWEEP_LOG=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("resume: %v\n%s", err, errb.String())
	}
	var computed []int
	for _, m := range regexp.MustCompile(`sweep: point (\d+) done`).FindAllStringSubmatch(errb.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		computed = append(computed, n)
	}
	if len(computed) != 38-kept || computed[0] != kept+1 || computed[len(computed)-1] != 38 {
		t.Fatalf("the resumed sweep computed points %v; want %d..38", computed, kept+1)
	}
	if c, n, a := summary(t, errb.String()); c != 38-kept || n != 38 || a != kept {
		t.Fatalf("resume summary: %d of %d computed, %d already done", c, n, a)
	}
	if readFile(t, out) != readFile(t, whole) {
		t.Fatal("the resumed output differs from the uninterrupted sweep")
	}
}

// Cancelling the context (Ctrl-C in process) keeps the finished points and
// exits 1 naming --resume.
func TestSweepInterruptedInProcess(t *testing.T) {
	dir := t.TempDir()
	file := sweepFile(t, dir, sweep12)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(dir, "out.csv")
	code, _, errs := parleyCtx(t, ctx, "sweep", file, "-o", out)
	if code != 1 || !strings.Contains(errs, "with --resume computes the rest") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(readFile(t, out), "point,") {
		t.Fatal("the interrupted output lacks its header")
	}
}

// docs/sweeps.md shows the job-array script exactly as scripts/ holds it,
// and its example sweep file is valid.
func TestSweepDocs(t *testing.T) {
	doc := readFile(t, "../../docs/sweeps.md")
	script := readFile(t, "../../scripts/sweep-array.sbatch")
	if !strings.Contains(doc, "```bash\n"+script+"```") {
		t.Fatal("docs/sweeps.md does not show scripts/sweep-array.sbatch verbatim")
	}
	start := strings.Index(doc, "```toml\n")
	end := strings.Index(doc[start+8:], "```")
	file := sweepFile(t, t.TempDir(), strings.Replace(doc[start+8:start+8+end], "runs = 1000", "runs = 20", 1))
	stdout, _ := mustSweep(t, "sweep", file)
	if n := strings.Count(stdout, "\n"); n != 19 {
		t.Fatalf("the documented sweep gave %d lines, want a header and 18 points", n)
	}
	if !strings.HasPrefix(stdout, "point,actors.us.hawkishness,dynamics.trust,protocol.mediator,") ||
		!strings.Contains(stdout, "\n3,0.1,0.2,china,") {
		t.Fatalf("the documented sweep's points differ from the docs:\n%s", stdout)
	}
}

func TestSweepPlot(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "grid.csv")
	charts := filepath.Join(dir, "charts")
	code, _, errs := parley(t, "sweep", "../../testdata/sweeps/grid.toml", "-o", out, "--plot", charts)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, o := range []string{"agreement", "stalemate", "breakdown", "conflict"} {
		for _, ext := range []string{".png", ".svg"} {
			name := filepath.Join(charts, "sweep-"+o+"-vs-actors_us_hawkishness"+ext)
			if fi, err := os.Stat(name); err != nil || fi.Size() == 0 {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	if code, _, _ := parley(t, "sweep", "../../testdata/sweeps/grid.toml", "--plot", charts); code != 2 {
		t.Errorf("--plot without -o: exit %d, want 2", code)
	}
}

// A sweep of a variant whose base file changed since the output was begun
// is refused on --resume and by merge: the sweep's hash covers the
// resolved scenario, base chain included.
func TestSweepBaseChangeRefused(t *testing.T) {
	dir := t.TempDir()
	src, err := scenarios.BuiltinSource("korea-2018")
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base.toml")
	if err := os.WriteFile(base, src, 0o644); err != nil {
		t.Fatal(err)
	}
	variant := "id = \"v\"\nbase = \"base.toml\"\n[set]\n\"dynamics.trust\" = 0.4\n"
	if err := os.WriteFile(filepath.Join(dir, "variant.toml"), []byte(variant), 0o644); err != nil {
		t.Fatal(err)
	}
	file := sweepFile(t, dir, "scenario = \"variant.toml\"\nruns = 20\n[[vary]]\nkey = \"actors.us.hawkishness\"\nvalues = [0.1, 0.5, 0.9]\n")
	part := filepath.Join(dir, "part-1-of-2.csv")
	mustSweep(t, "sweep", file, "--shard", "1/2", "-o", part)
	// The base changes what the scenario says: the US's cost of fighting.
	changed := strings.Replace(string(src), "[actors.us.conflict]", "[actors.us.conflict]\n# changed", 1)
	changed = regexp.MustCompile(`(?m)^(\[actors\.us\.conflict\]\n# changed\n(?:.*\n)*?cost = )[^\n#]*`).ReplaceAllString(changed, "${1}2 ")
	if changed == string(src) {
		t.Fatal("the test's edit of the base did not apply")
	}
	if err := os.WriteFile(base, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := parley(t, "sweep", file, "--shard", "1/2", "-o", part, "--resume")
	if code != 2 || !strings.Contains(errs, "--resume: "+part+" holds shard 1/2") {
		t.Fatalf("resume after the base changed: exit %d, %s; want refused", code, errs)
	}
	part2 := filepath.Join(dir, "part-2-of-2.csv")
	mustSweep(t, "sweep", file, "--shard", "2/2", "-o", part2)
	code, _, errs = parley(t, "merge", filepath.Join(dir, "merged.csv"), part, part2)
	if code != 2 || !strings.Contains(errs, "are outputs of different sweeps") {
		t.Fatalf("merge across the change: exit %d, %s; want refused", code, errs)
	}
}
