package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/internal/testenv"
)

// parleyIn runs the command line in-process with stdin.
func parleyIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	code = exitStatus(err, &errb)
	return code, out.String(), errb.String()
}

func readTranscript(t *testing.T, path string) play.Transcript {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := play.ReadTranscript(f)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// narrated is what the tests read of narrate --format json.
type narrated struct {
	Run     int                `json:"run"`
	Outcome string             `json:"outcome"`
	EndTurn int                `json:"end_turn"`
	Payoffs map[string]float64 `json:"payoffs"`
	Terms   map[string]string  `json:"terms"`
	Counts  map[string]int     `json:"counts"`
	Seats   []string           `json:"seats"`
	Turns   []struct {
		Steps []struct {
			Kind  string `json:"kind"`
			Actor string `json:"actor"`
			Seat  bool   `json:"seat"`
		} `json:"steps"`
	} `json:"turns"`
}

func narrateTranscriptJSON(t *testing.T, path string) narrated {
	t.Helper()
	code, out, errs := parley(t, "narrate", "--transcript", path, "--format", "json")
	if code != 0 {
		t.Fatalf("narrate --transcript: exit %d: %s", code, errs)
	}
	var nr narrated
	if err := json.Unmarshal([]byte(out), &nr); err != nil {
		t.Fatal(err)
	}
	return nr
}

// A seat played through the line protocol with "model" on every line
// plays exactly run K of 'parley run' (same seed, same overrides), for
// every actor and many runs: play and run share one engine. The transcript
// replayed by narrate --transcript tells the same game.
func TestPlayModelReproducesRun(t *testing.T) {
	runs := 24
	if testenv.Quick() {
		runs = 16
	}
	model := strings.Repeat("model\n", 400)
	actors := []string{"us", "north_korea", "china", "south_korea"}
	for _, sets := range [][]string{
		nil,
		{"--set", "actors.us.conflict.spread=0.15"},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "runs.csv")
		args := append([]string{"run", "korea-2018", "--runs", strconv.Itoa(runs), "--seed", "11", "--runs-out", path, "--format", "json"}, sets...)
		if code, _, errs := parley(t, args...); code != 0 {
			t.Fatalf("run: exit %d: %s", code, errs)
		}
		f, _ := os.Open(path)
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(rows) != runs+1 {
			t.Fatalf("runs-out: %d rows, err %v", len(rows), err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		outcomes := map[string]int{}
		for k := 1; k <= runs; k++ {
			row := rows[k]
			as := actors[k%len(actors)]
			tpath := filepath.Join(dir, "game"+strconv.Itoa(k)+".json")
			pargs := append([]string{"play", "korea-2018", "--as", as, "--seed", "11", "--run", strconv.Itoa(k),
				"--transcript", tpath, "--debrief-runs", "64"}, sets...)
			code, out, errs := parleyIn(t, model, pargs...)
			if code != 0 {
				t.Fatalf("play --run %d --as %s: exit %d: %s", k, as, code, errs)
			}
			tr := readTranscript(t, tpath)
			where := strconv.Itoa(k) + " as " + as
			if tr.Outcome != row[col["outcome"]] || strconv.Itoa(tr.EndTurn) != row[col["end_turn"]] {
				t.Fatalf("run %s: played %s on turn %d, run recorded %s on turn %s", where, tr.Outcome, tr.EndTurn, row[col["outcome"]], row[col["end_turn"]])
			}
			for id, u := range tr.Payoffs {
				if got := strconv.FormatFloat(u, 'g', -1, 64); got != row[col[id+"_utility"]] {
					t.Fatalf("run %s: %s's payoff %s, run recorded %s", where, id, got, row[col[id+"_utility"]])
				}
			}
			if len(tr.Decisions) == 0 && as != "south_korea" { // South Korea proposes third: a deal may come first
				t.Fatalf("run %s: the seat was never asked", where)
			}
			for i, d := range tr.Decisions {
				if !sameChoice(d.Choice, d.Model) {
					t.Fatalf("run %s: decision %d: chose %+v, the model %+v", where, i+1, d.Choice, d.Model)
				}
			}
			if !strings.Contains(out, "this was run "+strconv.Itoa(k)+" of 'parley run --seed 11'") {
				t.Fatalf("run %s: the debrief does not say the game was the model's run:\n%s", where, out)
			}
			nr := narrateTranscriptJSON(t, tpath)
			if nr.Outcome != tr.Outcome || nr.EndTurn != tr.EndTurn || nr.Run != k {
				t.Fatalf("run %s: narrate --transcript tells run %d, %s on turn %d", where, nr.Run, nr.Outcome, nr.EndTurn)
			}
			for _, is := range []string{"exercises", "troops", "sanctions", "denuclearization", "relations", "alliance"} {
				if nr.Terms[is] != row[col[is]] {
					t.Fatalf("run %s: terms differ on %s: %q vs %q", where, is, nr.Terms[is], row[col[is]])
				}
			}
			for _, c := range []string{"tests", "strikes", "deals", "collapsed"} {
				if strconv.Itoa(nr.Counts[c]) != row[col[c]] {
					t.Fatalf("run %s: %s %d, run recorded %s", where, c, nr.Counts[c], row[col[c]])
				}
			}
			outcomes[tr.Outcome]++
		}
		if len(outcomes) < 2 {
			t.Errorf("%v: every game ended the same way (%v); the check is weak", sets, outcomes)
		}
	}
}

func sameChoice(a, b play.TranscriptChoice) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// A game piped only empty lines, or nothing at all, passes every decision
// the first release asked a seat (and takes the model's choice at the
// others: strikes, walk-outs) and ends cleanly with a debrief; a United
// States that passes everything (refuses every offer) never signs a deal.
func TestPlayEmptyInput(t *testing.T) {
	runs := []string{"1", "2", "3", "7"}
	if testenv.Quick() {
		runs = []string{"1", "7"}
	}
	for _, stdin := range []string{"", strings.Repeat("\n", 500)} {
		for _, k := range runs {
			tpath := filepath.Join(t.TempDir(), "t.json")
			code, out, errs := parleyIn(t, stdin, "play", "korea-2018", "--as", "us", "--run", k, "--transcript", tpath, "--debrief-runs", "100")
			if code != 0 {
				t.Fatalf("stdin %q run %s: exit %d: %s", stdin[:min(len(stdin), 2)], k, code, errs)
			}
			for _, want := range []string{"== United States · turn 1 of 36 (April 2018)", "Debrief: korea-2018", "percentile", "agreement"} {
				if !strings.Contains(out, want) {
					t.Fatalf("output lacks %q:\n%s", want, out)
				}
			}
			if stdin == "" && !strings.Contains(out, "end of input") {
				t.Fatalf("empty stdin: no end-of-input note:\n%s", out)
			}
			tr := readTranscript(t, tpath)
			if tr.Outcome == "agreement" {
				t.Fatalf("run %s: a US that refuses everything reached agreement", k)
			}
			for _, d := range tr.Decisions {
				kind := slices.IndexFunc([]string{"strike", "walk_out", "back", "rescue", "reopen"}, func(s string) bool { return s == d.Kind })
				switch {
				case kind >= 0 && !sameChoice(d.Choice, d.Model):
					t.Fatalf("run %s: an empty %s answer chose %+v, the model %+v", k, d.Kind, d.Choice, d.Model)
				case kind < 0 && d.Choice.Pass == false && (d.Choice.Yes == nil || *d.Choice.Yes):
					t.Fatalf("run %s: a passing seat chose %+v at %s", k, d.Choice, d.Kind)
				}
			}
			if nr := narrateTranscriptJSON(t, tpath); nr.Counts["deals"] != 0 {
				t.Fatalf("run %s: %d deals signed", k, nr.Counts["deals"])
			}
		}
	}
}

// In a script, a bad line answers its decision with the empty answer,
// after a message listing the valid moves, and the next line answers the
// next decision: a bad line then valid lines plays the valid lines.
func TestPlayBadLineThenValidLines(t *testing.T) {
	// Turn 1 as the US: act, respond to China's compromise, propose (run
	// 1, the default seed; China, mediating, speaks first).
	stdin := strings.Join([]string{
		"maybe", // act: not y/n, so not acting
		"help",  // help is no answer: the respond decision is still asked
		"# a comment is skipped",
		"y",                                  // respond: accept
		"Sanctions=EASED denuclearization=3", // propose: a valid package
	}, "\n") + "\n"
	tpath := filepath.Join(t.TempDir(), "t.json")
	code, out, errs := parleyIn(t, stdin, "play", "korea-2018", "--as", "us", "--debrief-runs", "50", "--transcript", tpath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		`invalid move "maybe": want y, n, model or an empty line`,
		"move: y (act), n (don't), model, or empty to pass (don't)",
		"(line 1 answers this decision with the empty answer; the next line answers the next decision)\nUnited States: not act.",
		"moves: an empty line or 'pass' passes",
		"United States: accept.",
		"United States: propose Sanctions on North Korea: eased; North Korean nuclear programme: cvid.",
		"you proposed Sanctions on North Korea: eased; North Korean nuclear programme: cvid (worth ", // the seat's own move, in the second person
		"Debrief: korea-2018",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Count(out, `invalid move`) != 1 {
		t.Errorf("%d invalid moves reported, want 1", strings.Count(out, `invalid move`))
	}
	tr := readTranscript(t, tpath)
	if len(tr.Decisions) < 3 {
		t.Fatalf("%d decisions", len(tr.Decisions))
	}
	d := tr.Decisions
	if d[0].Kind != "act" || *d[0].Choice.Yes || d[1].Kind != "respond" || !*d[1].Choice.Yes || d[2].Kind != "propose" ||
		d[2].Choice.Package["sanctions"] != "eased" || d[2].Choice.Package["denuclearization"] != "cvid" {
		t.Errorf("the first decisions were %+v %+v %+v", d[0], d[1], d[2])
	}
	if t.Failed() {
		t.Log(out)
	}
}

// Each bad package is answered with what is wrong and the valid moves,
// once, and the game goes on to the next decision.
func TestPlayBadPackages(t *testing.T) {
	bad := []string{"exercises=sometimes", "weather=fine", "sanctions", "sanctions=1,sanctions=2"}
	k := 0
	code, out, errs := interact(t, func(title string) string {
		if strings.HasSuffix(title, "your proposal ==") && k < len(bad) {
			k++
			return bad[k-1]
		}
		return ""
	}, "play", "korea-2018", "--as", "us", "--debrief-runs", "20")
	if code != 0 || k != len(bad) {
		t.Fatalf("exit %d after %d bad packages: %s", code, k, errs)
	}
	for _, want := range []string{
		`invalid move "exercises=sometimes": issue exercises has no level "sometimes"; its levels are full, scaled_down, suspended, ended`,
		`invalid move "weather=fine": no issue "weather"; the issues are exercises, troops`,
		`invalid move "sanctions": "sanctions" is not issue=level`,
		`invalid move "sanctions=1,sanctions=2": issue "sanctions" given twice`,
	} {
		if strings.Count(out, want) != 1 {
			t.Errorf("output has %q %d times, want once", want, strings.Count(out, want))
		}
	}
	if n := strings.Count(out, "answers this decision with the empty answer"); n != len(bad) {
		t.Errorf("%d bad lines took the empty answer, want %d", n, len(bad))
	}
}

// A line longer than the protocol reads is an error with exit status 2,
// not a quiet end of input.
func TestPlayOverlongLine(t *testing.T) {
	stdin := "n\n" + strings.Repeat("x", maxLine+1) + "\ny\n"
	code, out, errs := parleyIn(t, stdin, "play", "korea-2018", "--as", "us", "--debrief-runs", "10")
	if code != 2 || !strings.Contains(errs, "line 2 is longer than 1048576 bytes (1 MiB)") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out, "end of input") || strings.Contains(out, "Debrief") {
		t.Fatalf("an over-long line was taken for the end of input:\n%s", out[max(0, len(out)-2000):])
	}
}

// A breakdown is announced in the game's output at its turn, with the
// walker's reason, before any prompt of a later turn, even when no prompt
// follows it; the game's last line and the debrief's "As played" give the
// game's own outcome, the transcript's.
func TestPlayBreakdownAnnounced(t *testing.T) {
	found := false
	for run := 1; run <= 25 && !found; run++ {
		tpath := filepath.Join(t.TempDir(), "t.json")
		code, out, errs := parleyIn(t, "", "play", "korea-2018", "--as", "us", "--run", strconv.Itoa(run), "--transcript", tpath, "--debrief-runs", "20")
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", run, code, errs)
		}
		tr := readTranscript(t, tpath)
		over := regexp.MustCompile(`(?m)^== The game is over: (.*)\. ==$`).FindStringSubmatch(out)
		played := regexp.MustCompile(`(?m)^  As played: (.*)\.$`).FindStringSubmatch(out)
		if over == nil || played == nil || over[1] != played[1] || !strings.HasPrefix(over[1], tr.Outcome+": ") ||
			!strings.Contains(over[1], fmt.Sprintf("turn %d", tr.EndTurn)) {
			t.Fatalf("run %d: the game ended %q, the debrief says %q, the transcript %s on turn %d", run, over, played, tr.Outcome, tr.EndTurn)
		}
		if tr.Outcome != "breakdown" {
			continue
		}
		found = true
		i := strings.Index(out, fmt.Sprintf("\n*** turn %d (", tr.EndTurn))
		if i < 0 {
			t.Fatalf("run %d: the breakdown of turn %d is not announced:\n%s", run, tr.EndTurn, out)
		}
		line := out[i+1 : i+1+strings.IndexByte(out[i+1:], '\n')]
		if !strings.Contains(line, "walked out and the talks broke down") {
			t.Fatalf("run %d: announcement %q", run, line)
		}
		// No prompt of a later turn comes before it, and every prompt of
		// a later turn comes after it.
		for _, m := range regexp.MustCompile(`(?m)^== United States · turn (\d+) of`).FindAllStringSubmatchIndex(out, -1) {
			turn, _ := strconv.Atoi(out[m[2]:m[3]])
			if (turn > tr.EndTurn) != (m[0] > i) && turn != tr.EndTurn {
				t.Fatalf("run %d: a prompt of turn %d is on the wrong side of the breakdown of turn %d", run, turn, tr.EndTurn)
			}
		}
		if !slices.ContainsFunc(tr.Changes, func(c play.Change) bool { return c.Kind == "breakdown" && c.Turn == tr.EndTurn }) {
			t.Fatalf("run %d: the transcript's changes lack the breakdown: %+v", run, tr.Changes)
		}
	}
	if !found {
		t.Fatal("no run of 25 in which a US that refuses everything sees the talks break down")
	}
}

// interact plays a game through the line protocol, answering each prompt
// with answer(title line of the prompt); it returns the output.
func interact(t *testing.T, answer func(title string) string, args ...string) (int, string, string) {
	t.Helper()
	inR, inW := io.Pipe()
	out := &promptWriter{prompts: make(chan string, 1)}
	var errb bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), args, inR, out, &errb)
		close(out.prompts)
	}()
	for title := range out.prompts {
		if _, err := io.WriteString(inW, answer(title)+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	inW.Close()
	err := <-done
	return exitStatus(err, &errb), out.String(), errb.String()
}

// promptWriter collects the output and, each time the game waits for a
// line (the output ends with "> "), sends the title of the current prompt.
type promptWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	prompts chan string
}

func (w *promptWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(p)
	s := w.buf.String()
	w.mu.Unlock()
	if strings.HasSuffix(s, "> ") {
		i := strings.LastIndex(s, "\n== ")
		title := s[i+1:]
		title = title[:strings.IndexByte(title, '\n')]
		w.prompts <- title
	}
	return len(p), nil
}

func (w *promptWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// Scripted games: a United States that accepts every offer (and otherwise
// does what the model would) signs the first offer North Korea makes (a
// proposer accepts its own offer; steps are switched off, or the US would
// sign China's first step before North Korea speaks); one that refuses
// every offer, steps included, and proposes nothing never signs anything.
func TestPlayScriptedGames(t *testing.T) {
	fromNK := 0
	defer func() {
		if fromNK == 0 && !t.Failed() {
			t.Error("North Korea made the US no offer in any game; the check is weak")
		}
	}()
	for _, k := range []string{"1", "2", "3", "4", "5"} {
		accept := func(title string) string {
			if strings.HasSuffix(title, "accept or refuse ==") {
				return "y"
			}
			return "model"
		}
		tpath := filepath.Join(t.TempDir(), "t.json")
		code, out, errs := interact(t, accept, "play", "korea-2018", "--as", "us", "--run", k, "--set", "protocol.partial_deals=false",
			"--transcript", tpath, "--debrief-runs", "50")
		if code != 0 {
			t.Fatalf("run %s: exit %d: %s", k, code, errs)
		}
		tr := readTranscript(t, tpath)
		first := -1
		for i, d := range tr.Decisions {
			if d.Kind == "respond" && d.From == "north_korea" {
				first = i
				break
			}
		}
		nr := narrateTranscriptJSON(t, tpath)
		if first >= 0 {
			fromNK++
			if nr.Counts["deals"] == 0 || nr.Counts["first_deal_turn"] != tr.Decisions[first].Turn {
				t.Fatalf("run %s: a US accepting every offer did not sign North Korea's on turn %d (first deal on turn %d):\n%s",
					k, tr.Decisions[first].Turn, nr.Counts["first_deal_turn"], out)
			}
		}
		if !strings.Contains(out, "United States: accept.") {
			t.Fatalf("run %s: no acceptance echoed", k)
		}

		refuse := func(title string) string {
			switch {
			case strings.HasSuffix(title, "accept or refuse =="):
				return "n"
			case strings.HasSuffix(title, "your proposal =="):
				return "pass"
			}
			return "model"
		}
		code, _, errs = interact(t, refuse, "play", "korea-2018", "--as", "us", "--run", k, "--transcript", tpath, "--debrief-runs", "50")
		if code != 0 {
			t.Fatalf("run %s: exit %d: %s", k, code, errs)
		}
		if nr := narrateTranscriptJSON(t, tpath); nr.Counts["deals"] != 0 || nr.Outcome == "agreement" {
			t.Fatalf("run %s: a US refusing everything: %s with %d deals", k, nr.Outcome, nr.Counts["deals"])
		}
	}
}

// Two seats at one keyboard: each prompt names its seat, the keyboard
// changes hands, and the transcript lists both seats and marks both in the
// narration.
func TestPlayHotSeat(t *testing.T) {
	tpath := filepath.Join(t.TempDir(), "t.json")
	code, out, errs := parleyIn(t, strings.Repeat("model\n", 20), "play", "korea-2018", "--as", "us", "--as", "north_korea",
		"--run", "3", "--transcript", tpath, "--debrief-runs", "50")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"-- United States to play --", "-- North Korea to play --", "== North Korea · turn 1", "United States: payoff", "North Korea: payoff"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	nr := narrateTranscriptJSON(t, tpath)
	if strings.Join(nr.Seats, ",") != "us,north_korea" {
		t.Fatalf("seats %v", nr.Seats)
	}
	marked := map[string]int{}
	for _, turn := range nr.Turns {
		for _, s := range turn.Steps {
			if s.Seat {
				marked[s.Actor]++
				if s.Actor != "us" && s.Actor != "north_korea" {
					t.Fatalf("a %s step by %s is marked as played", s.Kind, s.Actor)
				}
			}
		}
	}
	if marked["us"] == 0 || marked["north_korea"] == 0 {
		t.Fatalf("marked steps %v", marked)
	}
	code, text, _ := parley(t, "narrate", "--transcript", tpath)
	if code != 0 || !strings.Contains(text, "(played by a student)") || !strings.Contains(text, "students took the seats of the United States and North Korea") {
		t.Fatalf("text narration: exit %d\n%s", code, text)
	}
}

// A transcript replays only against the game it records.
func TestNarrateTranscriptChecks(t *testing.T) {
	dir := t.TempDir()
	tpath := filepath.Join(dir, "t.json")
	if code, _, errs := parleyIn(t, "", "play", "korea-2018", "--as", "china", "--run", "4", "--transcript", tpath, "--debrief-runs", "20",
		"--set", "actors.us.hawkishness=0.8"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	tr := readTranscript(t, tpath)
	if len(tr.Sets) != 1 || tr.Sets[0] != "actors.us.hawkishness=0.8" || tr.Draws["actors.us.hawkishness"] != 0.8 {
		t.Fatalf("transcript sets %v, drawn hawkishness %v", tr.Sets, tr.Draws["actors.us.hawkishness"])
	}
	tr.Seed++
	bad := filepath.Join(dir, "bad.json")
	f, _ := os.Create(bad)
	play.WriteTranscript(f, tr)
	f.Close()
	if code, _, errs := parley(t, "narrate", "--transcript", bad); code == 0 || !strings.Contains(errs, "transcript") {
		t.Fatalf("a transcript with another seed: exit %d: %s", code, errs)
	}
	os.WriteFile(bad, []byte(`{"format": "something else"}`), 0o644)
	if code, _, errs := parley(t, "narrate", "--transcript", bad); code != 2 || !strings.Contains(errs, "not a parley transcript") {
		t.Fatalf("not a transcript: exit %d: %s", code, errs)
	}
	if code, _, _ := parley(t, "narrate", "korea-2018", "--transcript", tpath); code != 2 {
		t.Fatalf("narrate SCENARIO --transcript: exit %d, want 2", code)
	}
	if code, _, _ := parley(t, "narrate", "--transcript", tpath, "--seed", "3"); code != 2 {
		t.Fatalf("narrate --transcript --seed: exit %d, want 2", code)
	}
}

func TestPlayUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"play", "korea-2018"}, "play needs --as ACTOR, one of china, us, north_korea, south_korea"},
		{[]string{"play", "korea-2018", "--as", "russia"}, `--as "russia": korea-2018 has no such actor`},
		{[]string{"play", "korea-2018", "--as", "us", "--as", "us"}, `--as "us" given twice`},
		{[]string{"play", "--as", "us"}, "play takes one scenario"},
		{[]string{"play", "korea-2018", "--as", "us", "--run", "0"}, "--run 0"},
	} {
		code, _, errs := parleyIn(t, "", tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("parley %v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if code, _, _ := parleyIn(t, "", "play", "--help"); code != 0 {
		t.Errorf("play --help: exit %d", code)
	}
}

// An interrupt while the game waits for a line ends the game with exit 1.
func TestPlayInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	defer inW.Close()
	out := &promptWriter{prompts: make(chan string, 1)}
	var errb bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"play", "korea-2018", "--as", "us"}, inR, out, &errb) }()
	<-out.prompts // the game waits for the first move
	cancel()
	err := <-done
	if code := exitStatus(err, &errb); code != 1 || !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}

// A seated United States is asked whether to strike, told what it believes
// a war is worth against carrying on; yes where its simulated self would
// hold off strikes, and the game ends in conflict on that turn.
func TestPlayStrikePrompt(t *testing.T) {
	strike := func(title string) string {
		if strings.HasSuffix(title, "strike? ==") {
			return "y"
		}
		return "model"
	}
	for k := 1; k <= 20; k++ {
		tpath := filepath.Join(t.TempDir(), "t.json")
		code, out, errs := interact(t, strike, "play", "korea-2018", "--as", "us", "--run", strconv.Itoa(k), "--transcript", tpath, "--debrief-runs", "20")
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", k, code, errs)
		}
		tr := readTranscript(t, tpath)
		i := slices.IndexFunc(tr.Decisions, func(d play.TranscriptDecision) bool { return d.Kind == "strike" })
		if i < 0 {
			continue
		}
		d := tr.Decisions[i]
		for _, want := range []string{"· strike? ==", "you may strike; your pretext: ", "you believe a war worth", "move: y (strike), n (hold off), model, or empty for your simulated self's choice", "United States: strike."} {
			if !strings.Contains(out, want) {
				t.Fatalf("run %d: the strike prompt lacks %q:\n%s", k, want, out)
			}
		}
		if *d.Model.Yes {
			continue
		}
		if tr.Outcome != "conflict" || tr.EndTurn != d.Turn || i != len(tr.Decisions)-1 {
			t.Fatalf("run %d: struck on turn %d; the game ended in %s on turn %d", k, d.Turn, tr.Outcome, tr.EndTurn)
		}
		return
	}
	t.Fatal("in 20 runs the United States was never asked to strike where its simulated self would not")
}
