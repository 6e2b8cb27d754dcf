package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Narration tells exactly the run that 'run' recorded: for many runs K and
// several sets of overrides, narrate --run K gives the outcome, end turn,
// payoffs, terms and counts of row K of run --runs-out.
func TestNarrateReplaysRun(t *testing.T) {
	const runs = 60
	for _, sets := range [][]string{
		nil,
		{"--set", "actors.us.hawkishness=0.9", "--set", "protocol.mediator=none", "--set", "actors.us.conflict.spread=0.15"},
		{"--set", "actors.us.conflict.pretext=0.6"},
	} {
		path := filepath.Join(t.TempDir(), "runs.csv")
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
		head := rows[0]
		col := func(name string) int {
			for i, h := range head {
				if h == name {
					return i
				}
			}
			t.Fatalf("runs-out has no column %q: %v", name, head)
			return -1
		}
		outcomes := map[string]int{}
		for k := 1; k <= runs; k++ {
			row := rows[k]
			nargs := append([]string{"narrate", "korea-2018", "--seed", "11", "--run", strconv.Itoa(k), "--format", "json"}, sets...)
			code, out, errs := parley(t, nargs...)
			if code != 0 {
				t.Fatalf("narrate --run %d: exit %d: %s", k, code, errs)
			}
			var nr struct {
				Run      int                `json:"run"`
				Outcome  string             `json:"outcome"`
				EndTurn  int                `json:"end_turn"`
				Horizon  int                `json:"horizon"`
				Payoffs  map[string]float64 `json:"payoffs"`
				Terms    map[string]string  `json:"terms"`
				Counts   map[string]int     `json:"counts"`
				Turns    []json.RawMessage  `json:"turns"`
				Question string             `json:"question"`
			}
			if err := json.Unmarshal([]byte(out), &nr); err != nil {
				t.Fatal(err)
			}
			where := fmt.Sprintf("%v run %d", sets, k)
			if row[col("run")] != strconv.Itoa(nr.Run) || row[col("outcome")] != nr.Outcome || row[col("end_turn")] != strconv.Itoa(nr.EndTurn) {
				t.Fatalf("%s: run says %v, narrate says run %d %s on turn %d", where, row[:3], nr.Run, nr.Outcome, nr.EndTurn)
			}
			// A strike ends the run; otherwise every turn to the horizon is
			// told (a deal can collapse, talks can resume).
			told := nr.Horizon
			if nr.Outcome == "conflict" {
				told = nr.EndTurn
			}
			if nr.Horizon != 36 || len(nr.Turns) != told {
				t.Fatalf("%s: %d turns told for a %s run that began its final state on turn %d (horizon %d)", where, len(nr.Turns), nr.Outcome, nr.EndTurn, nr.Horizon)
			}
			for _, a := range []string{"china", "us", "north_korea", "south_korea"} {
				if got := strconv.FormatFloat(nr.Payoffs[a], 'g', -1, 64); got != row[col(a+"_utility")] {
					t.Fatalf("%s: %s's payoff %s, run recorded %s", where, a, got, row[col(a+"_utility")])
				}
			}
			for _, is := range []string{"exercises", "troops", "sanctions", "denuclearization", "relations", "alliance"} {
				if nr.Terms[is] != row[col(is)] {
					t.Fatalf("%s: terms differ on %s: %q vs %q", where, is, nr.Terms[is], row[col(is)])
				}
			}
			for _, c := range []string{"tests", "strikes", "deals", "collapsed"} {
				if strconv.Itoa(nr.Counts[c]) != row[col(c)] {
					t.Fatalf("%s: %s %d, run recorded %s", where, c, nr.Counts[c], row[col(c)])
				}
			}
			if first := row[col("first_deal_turn")]; (first == "" && nr.Counts["first_deal_turn"] != 0) || (first != "" && first != strconv.Itoa(nr.Counts["first_deal_turn"])) {
				t.Fatalf("%s: first deal on turn %d, run recorded %q", where, nr.Counts["first_deal_turn"], first)
			}
			for c, turns := range map[string]string{"breakdowns": "breakdown_turns", "resumptions": "resumption_turns", "collapsed": "collapse_turns"} {
				n := 0
				if l := row[col(turns)]; l != "" {
					n = len(strings.Split(l, ";"))
				}
				if nr.Counts[c] != n {
					t.Fatalf("%s: %d %s told, run recorded %q", where, nr.Counts[c], c, row[col(turns)])
				}
			}
			outcomes[nr.Outcome]++
		}
		if len(outcomes) < 2 {
			t.Errorf("%v: every run ended the same way (%v); the check is weak", sets, outcomes)
		}
	}
}

// The text narration of one run at each length, against golden files (go
// test -update rewrites them): the digest by default, --brief, --full.
func TestNarrateGolden(t *testing.T) {
	for _, c := range []struct {
		flag, file string
		want       []string
	}{
		{"", "korea-2018-run5.digest.golden", []string{"The question:", "Who:", "Outcome:", "Payoffs:"}},
		{"--brief", "korea-2018-run5.brief.golden", []string{"Run 5 of korea-2018", "ended in"}},
		{"--full", "korea-2018-run5.golden", []string{"The question:", "Who wants what", "Outcome:", "Payoffs"}},
	} {
		args := []string{"narrate", "korea-2018", "--seed", "20180327", "--run", "5"}
		if c.flag != "" {
			args = append(args, c.flag)
		}
		code, out, errs := parley(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		golden := filepath.Join("..", "..", "testdata", "narrate", c.file)
		if *update {
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./cmd/parley -run NarrateGolden -update to create it)", err)
		}
		if out != string(want) {
			t.Errorf("%v differs from %s; if the change is intended, rerun with -update\n--- got:\n%s", args, golden, out)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v lacks %q", args, w)
			}
		}
	}
}

// --from and --to keep a span of months (or turns) and say clearly when
// they cannot.
func TestNarrateSpan(t *testing.T) {
	code, out, errs := parley(t, "narrate", "korea-2018", "--run", "5", "--full", "--from", "2019-05", "--to", "14")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "May 2019 (turn 14)") || strings.Contains(out, "(turn 13)") || strings.Contains(out, "(turn 15)") {
		t.Errorf("--from 2019-05 --to 14 did not keep turn 14 alone:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--brief", "--full"}, "choose one length"},
		{[]string{"--brief", "--from", "3"}, "--brief tells the whole run"},
		{[]string{"--from", "2017-01"}, "the run covers 2018-04 to 2021-03"},
		{[]string{"--from", "May"}, `expected a turn number or a month such as 2019-05`},
		{[]string{"--from", "40"}, "turns run from 1 to 36"},
		{[]string{"--from", "20", "--to", "10"}, "--from 20 comes after --to 10"},
	} {
		args := append([]string{"narrate", "korea-2018", "--run", "5"}, c.args...)
		code, _, errs := parley(t, args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, errs, c.want)
		}
	}
}

func TestRunsOutColumns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.csv")
	if code, _, errs := parley(t, "run", "korea-2018", "--runs", "300", "--runs-out", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, _ := os.Open(path)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "run,outcome,end_turn,china_utility,us_utility,north_korea_utility,south_korea_utility,exercises,troops,sanctions,denuclearization,relations,alliance,tests,strikes,deals,collapsed,first_deal_turn,collapse_turns,breakdown_turns,resumption_turns,partial,partial_deals,deal_turns," +
		// korea-2018's numbers given as distributions, in draw order
		"actors.china.goodwill.north_korea,actors.us.strategy.e,actors.us.deadline,actors.us.hawkishness,actors.north_korea.deadline,actors.north_korea.provocation,protocol.mediator_bias,events.new_administration.effects.set_hawkishness.us"
	if strings.Join(rows[0], ",") != want {
		t.Fatalf("header %v", rows[0])
	}
	for k, row := range rows[1:] {
		if row[0] != strconv.Itoa(k+1) {
			t.Fatalf("row %d is run %s", k+1, row[0])
		}
		agreed := row[1] == "agreement"
		if (row[7] != "") != agreed {
			t.Fatalf("run %s: outcome %s with terms %q", row[0], row[1], row[7:13])
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 || entries[1].Name() != "r.csv.manifest.json" {
		t.Fatalf("want the rows and their manifest; the directory holds %v", entries)
	}
	var m struct {
		File       string `json:"file"`
		Provenance []struct {
			Scenario, SourceDigest string
			Sets                   []string
			Seed                   uint64
			Model                  int
		} `json:"provenance"`
	}
	if err := json.Unmarshal([]byte(readFile(t, path+".manifest.json")), &m); err != nil {
		t.Fatal(err)
	}
	if p := m.Provenance; m.File != "runs" || len(p) != 1 || p[0].Scenario != "korea-2018" || p[0].Seed != defaultSeed || p[0].Sets == nil || p[0].Model == 0 {
		t.Errorf("manifest %+v", m)
	}
}
