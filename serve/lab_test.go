package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func compile(t *testing.T, sets ...scenarios.Override) *sim.Model {
	t.Helper()
	sc, err := scenarios.Load("korea-2018", sets)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// waitFor reads the instructor's stream until the last event of batch id
// (done == runs, or an error) and returns its events of that batch.
func waitFor(t *testing.T, st *stream, id int) []Event {
	t.Helper()
	var out []Event
	for {
		e, err := st.next()
		if err != nil {
			t.Fatal(err)
		}
		var b struct{ Batch, Done, Runs int }
		_ = json.Unmarshal(e.Data, &b)
		if b.Batch != id || (e.Type != "batch" && e.Type != "compare") {
			continue
		}
		out = append(out, e)
		var d CompareEvent
		_ = json.Unmarshal(e.Data, &d)
		if d.Error != "" {
			t.Fatalf("batch %d: %s", id, d.Error)
		}
		if b.Done == b.Runs && (e.Type == "batch" || len(d.Diff) > 0) {
			return out
		}
	}
}

// A batch streams its shares chunk by chunk; the last are those of 'parley run'
// with the same seed, runs and settings.
func TestBatchIsRun(t *testing.T) {
	_, hs := testServer(t, Config{})
	c := newClient(t, hs.URL)
	st, err := c.open(t.Context(), "instructor", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	const runs, seed = 600, 7
	var b struct{ Batch int }
	c.must("POST", "/api/batch", map[string]any{"runs": runs, "seed": seed, "sets": map[string]string{"actors.us.hawkishness": "0.9"}}, &b)
	evs := waitFor(t, st, b.Batch)
	if want := sim.Chunks(runs, sim.ChunkSize); len(evs) != want {
		t.Errorf("%d progress events, want one a chunk: %d", len(evs), want)
	}
	var last BatchEvent
	_ = json.Unmarshal(evs[len(evs)-1].Data, &last)

	m := compile(t, scenarios.Override{Path: "actors.us.hawkishness", Value: "0.9"})
	sum, _, err := sim.MonteCarlo(context.Background(), m, sim.Options{Runs: runs, Seed: seed, Workers: 1},
		func() *results.Summary { return results.NewSummary(m.Scenario) })
	if err != nil {
		t.Fatal(err)
	}
	rep := sum.Report(m.Scenario.ID, seed)
	for _, sh := range last.Shares {
		o := rep.Outcomes.Get(outcomeOf(sh.Outcome))
		if sh.Share != o.Share || sh.Lo != o.CILow || sh.Hi != o.CIHigh {
			t.Errorf("%s: %v [%v, %v], 'parley run' %v [%v, %v]", sh.Outcome, sh.Share, sh.Lo, sh.Hi, o.Share, o.CILow, o.CIHigh)
		}
	}
}

func outcomeOf(name string) sim.Outcome {
	for _, o := range outcomes {
		if o.String() == name {
			return o
		}
	}
	return sim.Outcome(255)
}

// A compare's differences are those of 'parley compare' (paired runs).
func TestCompareIsCompare(t *testing.T) {
	_, hs := testServer(t, Config{})
	c := newClient(t, hs.URL)
	st, err := c.open(t.Context(), "instructor", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	const runs = 600
	var b struct{ Batch int }
	c.must("POST", "/api/compare", map[string]any{"runs": runs, "a": map[string]any{}, "b": map[string]any{"sets": map[string]string{"protocol.mediator": "none"}}}, &b)
	evs := waitFor(t, st, b.Batch)
	var last CompareEvent
	_ = json.Unmarshal(evs[len(evs)-1].Data, &last)

	arm := func(m *sim.Model) *results.PairedArm {
		acc, _, err := sim.MonteCarlo(context.Background(), m, sim.Options{Runs: runs, Seed: DefaultSeed, Workers: 1}, func() *results.PairedArm {
			return results.NewPairedArm(m.Scenario)
		})
		if err != nil {
			t.Fatal(err)
		}
		return acc
	}
	ma, mb := compile(t), compile(t, scenarios.Override{Path: "protocol.mediator", Value: "none"})
	a, bb := arm(ma), arm(mb)
	cmp, err := results.ComparePaired(a.Sum.Report(ma.Scenario.ID, DefaultSeed), bb.Sum.Report(mb.Scenario.ID, DefaultSeed), a.Runs, bb.Runs, actorIDs(ma), actorIDs(mb))
	if err != nil {
		t.Fatal(err)
	}
	if len(last.Diff) != sim.NumOutcomes {
		t.Fatalf("diff %+v", last.Diff)
	}
	for _, d := range last.Diff {
		w := cmp.Outcomes[d.Outcome]
		if d.Diff != w.Diff || d.Lo != w.DiffCILow || d.Hi != w.DiffCIHigh {
			t.Errorf("%s: %+v, 'parley compare' %+v", d.Outcome, d, w)
		}
	}
}

// One run told is the digest of 'parley narrate', with the run's states.
func TestToldIsNarrate(t *testing.T) {
	_, hs := testServer(t, Config{})
	c := newClient(t, hs.URL)
	var got Told
	c.must("POST", "/api/told", map[string]any{"run": 4, "seed": 11}, &got)
	m := compile(t)
	var tr sim.Trace
	sim.NewWorker(m).Run(11, 4, &tr)
	var want bytes.Buffer
	if err := story.Tell(&want, story.NewNarration(m, &tr, 4), story.TellOptions{Length: story.Digest}); err != nil {
		t.Fatal(err)
	}
	if got.Digest != want.String() {
		t.Errorf("digest:\n%s\nwant\n%s", got.Digest, want.String())
	}
	if len(got.Turns) != len(tr.States) || len(got.Turns) == 0 || got.Turns[0].Tension != tr.States[0].Tension || got.Turns[0].Label != "April 2018" {
		t.Errorf("turns %+v", got.Turns[:min(2, len(got.Turns))])
	}
}

// The load test: students on one game and parallel instructor batches on
// loopback, every event delivered to every student in order, in bounded
// time and memory. PARLEY_LONG=1 runs the heavier version.
func TestLoad(t *testing.T) { loadTest(t, 60, 1000, 60*time.Second) }

// TestLoadHeavy is the load test with 200 students and batches five times
// larger: 25,000 runs of korea-2018 on the server's one worker, about 27 s
// of one core, which leaves its time bound room on a CI machine running
// other packages' tests beside it (at 20,000 runs a batch, 107 s of one
// core, a busy CI run took 3 min 0.02 s).
func TestLoadHeavy(t *testing.T) {
	testenv.Heavy(t)
	loadTest(t, 200, 5000, 180*time.Second)
}

func loadTest(t *testing.T, students, batchRuns int, limit time.Duration) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()

	_, hs := testServer(t, Config{Workers: 1})
	inst := newClient(t, hs.URL)
	actors := []string{"us", "north_korea", "china"}
	caps := map[string]int{}
	for k := range students {
		caps[actors[k%len(actors)]]++
	}
	var g struct{ Game int }
	inst.must("POST", "/api/game", map[string]any{"seats": caps, "seconds": 600, "run": 3}, &g)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()

	type result struct {
		events []Event
		err    error
	}
	results := make([]result, students)
	var ready, wg sync.WaitGroup
	ready.Add(students)
	for k := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(t, hs.URL)
			actor := actors[k%len(actors)]
			if code, b := c.do("POST", fmt.Sprintf("/api/game/%d/seat", g.Game), map[string]string{"actor": actor, "name": fmt.Sprintf("student %d", k+1)}); code != 200 {
				results[k].err = fmt.Errorf("seat: %d %s", code, b)
				ready.Done()
				return
			}
			st, err := c.open(ctx, fmt.Sprintf("game/%d", g.Game), 0)
			ready.Done()
			if err != nil {
				results[k].err = err
				return
			}
			defer st.close()
			for {
				e, err := st.next()
				if err != nil {
					results[k].err = err
					return
				}
				results[k].events = append(results[k].events, e)
				if e.Type == "end" {
					return
				}
				if e.Type != "decide" {
					continue
				}
				var d DecideEvent
				_ = json.Unmarshal(e.Data, &d)
				if d.Actor != actor {
					continue
				}
				// Every student at the actor answers; the first decides,
				// the others are told the decision is closed.
				code, b := c.do("POST", fmt.Sprintf("/api/game/%d/answer", g.Game), map[string]any{"decision": d.Decision, "choice": seatPolicy(d)})
				if code != 200 && code != 409 {
					results[k].err = fmt.Errorf("answer: %d %s", code, b)
					return
				}
			}
		}()
	}
	ready.Wait()
	// Five instructor batches at once, while the game is played.
	var bw sync.WaitGroup
	ist, err := inst.open(ctx, "instructor", 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int, 5)
	for k := range ids {
		var b struct{ Batch int }
		inst.must("POST", "/api/batch", map[string]any{"runs": batchRuns, "seed": k + 1}, &b)
		ids[k] = b.Batch
	}
	inst.must("POST", fmt.Sprintf("/api/game/%d/start", g.Game), nil, nil)
	bw.Add(1)
	go func() {
		defer bw.Done()
		finished := map[int]bool{}
		for len(finished) < len(ids) {
			e, err := ist.next()
			if err != nil {
				t.Errorf("instructor stream: %v", err)
				return
			}
			var b BatchEvent
			_ = json.Unmarshal(e.Data, &b)
			if e.Type == "batch" && b.Done == b.Runs {
				finished[b.Batch] = true
			}
		}
	}()
	wg.Wait()
	bw.Wait()
	ist.close()
	elapsed := time.Since(start)

	var st StateResponse
	inst.must("GET", fmt.Sprintf("/api/game/%d/state", g.Game), nil, &st)
	for k, r := range results {
		if r.err != nil {
			t.Fatalf("student %d: %v", k+1, r.err)
		}
		if len(r.events) != len(st.Events) {
			t.Fatalf("student %d got %d events, the game has %d", k+1, len(r.events), len(st.Events))
		}
		for i, e := range r.events {
			if e.ID != int64(i+1) || e.Type != st.Events[i].Type || !bytes.Equal(e.Data, st.Events[i].Data) {
				t.Fatalf("student %d: event %d is %s %d, want %s %d", k+1, i+1, e.Type, e.ID, st.Events[i].Type, st.Events[i].ID)
			}
		}
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapInuse) - int64(before.HeapInuse)
	t.Logf("%d students, %d events each, 5 batches of %d runs: %v; heap in use %d MiB after (grown %d MiB), heap obtained from the OS %d MiB",
		students, len(st.Events), batchRuns, elapsed.Round(time.Millisecond), after.HeapInuse>>20, grown>>20, after.HeapSys>>20)
	if grown > 256<<20 {
		t.Errorf("the heap grew by %d MiB: want under 256", grown>>20)
	}
	if elapsed > limit {
		t.Errorf("took %v, want under %v", elapsed, limit)
	}
}
