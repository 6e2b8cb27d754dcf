package story

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-sim/parley/internal/testmodel"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// telling tells run of built-in name (seed 20180327, the default) at length.
func telling(t *testing.T, m *sim.Model, run int, o TellOptions) (Narration, string) {
	t.Helper()
	var tr sim.Trace
	sim.NewWorker(m).Run(20180327, run, &tr)
	nr := NewNarration(m, &tr, run)
	var buf bytes.Buffer
	if err := Tell(&buf, nr, o); err != nil {
		t.Fatal(err)
	}
	return nr, buf.String()
}

// TestShowTelling prints a telling for a person to read:
// PARLEY_SHOW=korea-2018:5:digest go test ./results/story -run TestShowTelling -v
func TestShowTelling(t *testing.T) {
	spec := os.Getenv("PARLEY_SHOW")
	if spec == "" {
		t.Skip("PARLEY_SHOW not set")
	}
	parts := strings.Split(spec, ":")
	run, _ := strconv.Atoi(parts[1])
	o := TellOptions{}
	switch parts[2] {
	case "brief":
		o.Length = Brief
	case "full":
		o.Length = Full
	}
	_, text := telling(t, testmodel.Load(t, parts[0]), run, o)
	t.Logf("%d words\n%s", len(strings.Fields(text)), text)
}

// TestShowWordCounts prints the digest's word counts over many runs of
// every built-in: PARLEY_SHOW_COUNTS=1 go test ./results/story -run TestShowWordCounts -v
func TestShowWordCounts(t *testing.T) {
	if os.Getenv("PARLEY_SHOW_COUNTS") == "" {
		t.Skip("PARLEY_SHOW_COUNTS not set")
	}
	for _, b := range scenarios.Builtins() {
		name := b.Name
		m := testmodel.Load(t, name)
		lo, hi, lorun, hirun := 1<<30, 0, 0, 0
		blo, bhi := 1<<30, 0
		for run := 1; run <= 200; run++ {
			_, text := telling(t, m, run, TellOptions{})
			n := len(strings.Fields(text))
			if n < lo {
				lo, lorun = n, run
			}
			if n > hi {
				hi, hirun = n, run
			}
			_, text = telling(t, m, run, TellOptions{Length: Brief})
			n = len(strings.Fields(text))
			blo, bhi = min(blo, n), max(bhi, n)
		}
		t.Logf("%-32s digest %4d (run %3d) – %4d (run %3d); brief %d – %d", name, lo, lorun, hi, hirun, blo, bhi)
	}
}

var update = flag.Bool("update", false, "rewrite the golden tellings in testdata")

// The digest fits a projector page and the brief a paragraph, for every
// built-in at several runs (the runs include the longest digests of the
// first 200 at the time of writing: korea-2018 runs 24 and 83,
// fragile-deal 26 and 88, hawkish-us 3 and 20).
func TestTellingLengths(t *testing.T) {
	runs := []int{1, 3, 5, 20, 24, 26, 83, 88}
	if testing.Short() {
		runs = []int{1, 5, 24}
	}
	for _, b := range scenarios.Builtins() {
		m := testmodel.Load(t, b.Name)
		for _, run := range runs {
			_, digest := telling(t, m, run, TellOptions{})
			if n := len(strings.Fields(digest)); n < 80 || n > digestWords {
				t.Errorf("%s run %d: digest of %d words, want 80 to %d:\n%s", b.Name, run, n, digestWords, digest)
			}
			_, brief := telling(t, m, run, TellOptions{Length: Brief})
			if n := len(strings.Fields(brief)); n < 30 || n > 230 {
				t.Errorf("%s run %d: brief of %d words, want 30 to 230:\n%s", b.Name, run, n, brief)
			}
			if strings.Count(strings.TrimSpace(brief), "\n") != 0 {
				t.Errorf("%s run %d: the brief is not one paragraph:\n%s", b.Name, run, brief)
			}
		}
	}
}

// One digest and one brief are kept as golden files: a change of wording
// shows in review.
func TestTellingGolden(t *testing.T) {
	m := testmodel.Load(t, "korea-2018")
	for _, c := range []struct {
		file string
		o    TellOptions
	}{
		{"korea-2018-run-24.digest.golden", TellOptions{}},
		{"korea-2018-run-24.brief.golden", TellOptions{Length: Brief}},
	} {
		_, got := telling(t, m, 24, c.o)
		path := filepath.Join("testdata", c.file)
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s differs from the golden file (go test ./results/story -run TestTellingGolden -update rewrites it):\n%s", c.file, got)
		}
	}
}

// changeKinds reads the changes of state a telling tells, turn by turn:
// signings, walk-outs, resumptions, violations and strikes, keyed by the
// month (or turn) under which they are told.
func changeKinds(text string, digest bool) map[string]int {
	kinds := []struct{ name, re string }{
		{"signing", `^(A step signed|A deal signed|Agreement signed)`},
		{"breakdown", ` walked out`},
		{"resumption", `Talks resumed\.|reopened the talks`},
		{"violation", ` broke the (agreement|deal)`},
		{"strike", `^\S.* struck`},
	}
	got := map[string]int{}
	month := ""
	fullHead := regexp.MustCompile(`^(\S.*) \(turn \d+\)$|^(Turn \d+)$`)
	digestHead := regexp.MustCompile(`^  (\S[^:]*):$`)
	for _, l := range strings.Split(text, "\n") {
		if m := fullHead.FindStringSubmatch(l); !digest && m != nil {
			month = m[1] + m[2]
			continue
		}
		if m := digestHead.FindStringSubmatch(l); digest && m != nil {
			month = m[1]
			continue
		}
		line := strings.TrimSpace(l)
		if !strings.HasPrefix(l, "  ") || (digest && !strings.HasPrefix(l, "    ")) {
			continue
		}
		for _, k := range kinds {
			if regexp.MustCompile(k.re).MatchString(line) {
				got[month+": "+k.name]++
			}
		}
	}
	return got
}

// The digest and the full telling are told from the same trace: they tell
// the same signings, walk-outs, resumptions, violations and strikes in the
// same months, and the digest's folded counts add up to the full
// telling's lines.
func TestDigestKeepsEveryChange(t *testing.T) {
	for _, c := range []struct {
		name string
		runs []int
	}{
		{"korea-2018", []int{5, 24, 29}},
		{"korea-2018-no-china", []int{1, 13}},
		{"korea-2018-fragile-deal", []int{26, 88}},
		{"korea-2018-hawkish-us", []int{20}},
		{"trade-deal", []int{3}},
	} {
		m := testmodel.Load(t, c.name)
		// Add runs with a violation and with a strike when the scenario
		// has them in its first 300 runs.
		runs := slices.Clone(c.runs)
		for _, want := range []sim.StepKind{sim.StepViolation, sim.StepStrike, sim.StepUltimatum} {
			if run, ok := findRun(m, 300, want); ok {
				runs = append(runs, run)
			}
		}
		for _, run := range runs {
			nr, full := telling(t, m, run, TellOptions{Length: Full})
			_, digest := telling(t, m, run, TellOptions{})
			fk, dk := changeKinds(full, false), changeKinds(digest, true)
			if !maps.Equal(fk, dk) {
				t.Errorf("%s run %d: the full telling has changes %v, the digest %v", c.name, run, fk, dk)
			}
			total := 0
			for _, n := range fk {
				total += n
			}
			if nr.Counts.Deals+nr.Counts.Breakdowns+nr.Counts.Resumptions+nr.Counts.Strikes > 0 && total == 0 {
				t.Errorf("%s run %d: counts %+v but no change found in the telling", c.name, run, nr.Counts)
			}
			// Every offer and every pass of the full telling is counted
			// once in the digest's chapters.
			td := tellAll(nr)
			offers, passes := 0, 0
			for _, items := range td.turns {
				for _, it := range items {
					switch {
					case it.class == classRound && it.step.raw.Kind != sim.StepResponse:
						offers++
					case it.class == classPass:
						passes++
					}
				}
			}
			folded, passed := 0, 0
			for _, ch := range newDigest(td, 0, 0) {
				for _, g := range ch.groups {
					folded += len(g.rounds)
				}
				for _, n := range ch.passes {
					passed += n
				}
			}
			if folded != offers || passed != passes {
				t.Errorf("%s run %d: the digest folds %d offers and %d passes, the full telling has %d and %d", c.name, run, folded, passed, offers, passes)
			}
		}
	}
}

// findRun returns the first run (seed 20180327) whose trace has a step of
// kind k.
func findRun(m *sim.Model, limit int, k sim.StepKind) (int, bool) {
	w := sim.NewWorker(m)
	for run := 1; run <= limit; run++ {
		var tr sim.Trace
		w.Run(20180327, run, &tr)
		for _, s := range tr.Steps {
			if s.Kind == k {
				return run, true
			}
		}
	}
	return 0, false
}

// --from and --to keep a span: the digest and the full telling then tell
// no month outside it.
func TestTellingSpan(t *testing.T) {
	m := testmodel.Load(t, "korea-2018")
	for _, length := range []Length{Digest, Full} {
		_, text := telling(t, m, 24, TellOptions{Length: length, From: 13, To: 24})
		for _, out := range []string{"April 2018", "March 2019 ", "April 2020", "2021"} {
			if strings.Contains(text, out) && !strings.Contains(out, "2021") {
				t.Errorf("length %d: told %q outside April 2019 – March 2020:\n%s", length, out, text)
			}
		}
		if !strings.Contains(text, "2019") || strings.Contains(text, "(turn 12)") || strings.Contains(text, "(turn 25)") {
			t.Errorf("length %d: span not kept:\n%s", length, text)
		}
	}
}

// Prose uses the scenario's names: no issue or actor id with an
// underscore, strategy names as the file writes them, singular and plural
// right.
func TestTellingWords(t *testing.T) {
	m := testmodel.Load(t, "trade-deal")
	for run := 1; run <= 5; run++ {
		for _, length := range []Length{Digest, Full, Brief} {
			_, text := telling(t, m, run, TellOptions{Length: length})
			for _, is := range m.Scenario.Issues {
				if strings.Contains(is.ID, "_") && strings.Contains(text, is.ID) {
					t.Errorf("run %d length %d: the issue id %q in prose", run, length, is.ID)
				}
			}
			for _, bad := range []string{"1 tests", "1 provocations", "1 strikes", "1 deals", "1 breakdowns", "1 resumptions", "States's", "tit-for-tat", " tests"} {
				if strings.Contains(text, bad) {
					t.Errorf("run %d length %d: %q in:\n%s", run, length, bad, text)
				}
			}
		}
	}
	_, full := telling(t, testmodel.Load(t, "korea-2018"), 5, TellOptions{Length: Full})
	if !strings.Contains(full, "tit_for_tat strategy: matches the other side's concessions") {
		t.Errorf("the full telling does not name North Korea's strategy as the file does, with its gloss:\n%s", full[:min(len(full), 2000)])
	}
}

// Every change of state the digest tells carries its reason: the values
// the actor compared.
func TestDigestChangesCarryReasons(t *testing.T) {
	for _, c := range []struct {
		name string
		kind sim.StepKind
		re   string
	}{
		{"korea-2018", sim.StepAgreement, `(?m)^    All accepted: .*found it worth [0-9.]+ against the [0-9.]+ of what stands\.\n    (A step|A deal) signed`},
		{"korea-2018-no-china", sim.StepBreakdown, `(?m)^    .* walked out: .*(talks cost it [0-9.]+ a month|was worth [0-9.]+ to it)`},
		{"korea-2018-no-china", sim.StepResume, `(?m)^    .*(brought .* back to the table \([0-9]+% chance|reopened the talks)`},
		{"korea-2018-fragile-deal", sim.StepViolation, `(?m)^    .* broke the (deal|agreement).*(worth [0-9.]+ to it against [0-9.]+|forbids)`},
		{"korea-2018-hawkish-us", sim.StepStrike, `(?m)^    .* struck: it believed a war worth [0-9.]+ to it.* against [0-9.]+ for carrying on`},
	} {
		m := testmodel.Load(t, c.name)
		run, ok := findRun(m, 300, c.kind)
		if !ok {
			t.Errorf("%s: no run of the first 300 has a %v", c.name, c.kind)
			continue
		}
		_, digest := telling(t, m, run, TellOptions{})
		if !regexp.MustCompile(c.re).MatchString(digest) {
			t.Errorf("%s run %d: the %v is not told with its reason (%s):\n%s", c.name, run, c.kind, c.re, digest)
		}
	}
}
