package serve

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/sim"
)

// Share is an outcome's share of the runs so far with its Wilson 95%
// interval.
type Share struct {
	Outcome string  `json:"outcome"`
	Share   float64 `json:"share"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
}

// Diff is the difference A − B of an outcome's shares with its 95%
// interval (Newcombe's, paired: 'parley compare').
type Diff struct {
	Outcome string  `json:"outcome"`
	Diff    float64 `json:"diff"`
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
}

// BatchEvent is the data of a batch event: a batch's progress.
type BatchEvent struct {
	Batch  int     `json:"batch"`
	Done   int     `json:"done"`
	Runs   int     `json:"runs"`
	Shares []Share `json:"shares"`
	Error  string  `json:"error,omitempty"`
}

// CompareEvent is the data of a compare event.
type CompareEvent struct {
	Batch int     `json:"batch"`
	Done  int     `json:"done"`
	Runs  int     `json:"runs"`
	A     []Share `json:"a"`
	B     []Share `json:"b"`
	Diff  []Diff  `json:"diff"`
	Error string  `json:"error,omitempty"`
}

// shares lists a summary's outcome shares with their Wilson intervals, as
// 'parley run' reports them.
func shares(sum *results.Summary) []Share {
	out := make([]Share, 0, len(outcomes))
	n := sum.Runs()
	for _, o := range outcomes {
		k := sum.Count(o)
		lo, hi := results.Wilson(k, n)
		sh := 0.0
		if n > 0 {
			sh = float64(k) / float64(n)
		}
		out = append(out, Share{Outcome: o.String(), Share: sh, Lo: lo, Hi: hi})
	}
	return out
}

type batchRequest struct {
	Sets map[string]string `json:"sets"`
	Runs int               `json:"runs"`
	Seed *uint64           `json:"seed"`
}

// checkRuns checks a batch's runs.
func checkRuns(runs int) error {
	if runs < 1 || runs > MaxRuns {
		return fmt.Errorf("runs %d: want 1 to %d", runs, MaxRuns)
	}
	return nil
}

func seedOr(p *uint64) uint64 {
	if p == nil {
		return DefaultSeed
	}
	return *p
}

// startBatch reserves a batch slot and a number; it fails when
// MaxBatches are running.
func (s *Server) startBatch() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running >= MaxBatches {
		return 0, statusf(http.StatusConflict, "%d batches are running, the most at once: wait for one to finish", s.running)
	}
	select {
	case <-s.done:
		return 0, statusf(http.StatusServiceUnavailable, "the server is shutting down")
	default:
	}
	s.running++
	s.lastBatch++
	s.work.Add(1)
	return s.lastBatch, nil
}

// launch starts a batch (startBatch) that run plays in the background, and
// answers its id.
func (s *Server) launch(w http.ResponseWriter, run func(id int)) {
	id, err := s.startBatch()
	if err != nil {
		writeErr(w, err)
		return
	}
	go func() {
		defer s.endBatch()
		run(id)
	}()
	writeJSON(w, http.StatusOK, map[string]int{"batch": id})
}

func (s *Server) endBatch() {
	s.mu.Lock()
	s.running--
	s.mu.Unlock()
	s.work.Done()
}

// handleBatch starts a Monte Carlo batch; its progress streams on the
// instructor's stream as batch events, each with the shares of the runs
// merged so far (whole chunks, in run order: the final shares are those
// of 'parley run' with the same seed, runs and settings).
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	var req batchRequest
	if !decode(w, r, &req) {
		return
	}
	if err := checkRuns(req.Runs); err != nil {
		writeErr(w, err)
		return
	}
	m, err := s.model(req.Sets)
	if err != nil {
		writeErr(w, err)
		return
	}
	s.launch(w, func(id int) { s.runBatch(id, m, req.Runs, seedOr(req.Seed)) })
}

// runBatch plays the batch and streams its progress.
func (s *Server) runBatch(id int, m *sim.Model, runs int, seed uint64) {
	total := results.NewSummary(m.Scenario)
	opts := sim.Options{Runs: runs, Seed: seed, Workers: s.cfg.Workers}
	opts.Progress = func(done int) {
		// Called after each chunk is merged, from the goroutine that
		// merges: total holds runs 1..done.
		s.instr.Append("batch", BatchEvent{Batch: id, Done: done, Runs: runs, Shares: shares(total)})
	}
	_, err := sim.MonteCarloInto(s.ctx, m, opts, total, func() *results.Summary { return results.NewSummary(m.Scenario) })
	if err != nil {
		s.instr.Append("batch", BatchEvent{Batch: id, Done: total.Runs(), Runs: runs, Shares: shares(total), Error: "stopped: " + err.Error()})
	}
}

type armRequest struct {
	Sets map[string]string `json:"sets"`
}

type compareRequest struct {
	A    armRequest `json:"a"`
	B    armRequest `json:"b"`
	Runs int        `json:"runs"`
	Seed *uint64    `json:"seed"`
}

// handleCompare runs settings A and B with the same seed (paired runs, as
// 'parley compare' without --independent) and streams compare events; the
// last holds the differences A − B with Newcombe's paired intervals.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	var req compareRequest
	if !decode(w, r, &req) {
		return
	}
	if err := checkRuns(req.Runs); err != nil {
		writeErr(w, err)
		return
	}
	ma, err := s.model(req.A.Sets)
	if err != nil {
		writeErr(w, fmt.Errorf("setting A: %w", err))
		return
	}
	mb, err := s.model(req.B.Sets)
	if err != nil {
		writeErr(w, fmt.Errorf("setting B: %w", err))
		return
	}
	s.launch(w, func(id int) { s.runCompare(id, ma, mb, req.Runs, seedOr(req.Seed)) })
}

func (s *Server) runCompare(id int, ma, mb *sim.Model, runs int, seed uint64) {
	newArm := func(m *sim.Model) func() *results.PairedArm {
		return func() *results.PairedArm { return results.NewPairedArm(m.Scenario) }
	}
	a, b := newArm(ma)(), newArm(mb)()
	ev := func(done int) CompareEvent {
		e := CompareEvent{Batch: id, Done: done, Runs: 2 * runs, A: shares(a.Sum), B: []Share{}, Diff: []Diff{}}
		if b.Sum.Runs() > 0 {
			e.B = shares(b.Sum)
		}
		return e
	}
	fail := func(err error, done int) {
		e := ev(done)
		e.Error = "stopped: " + err.Error()
		s.instr.Append("compare", e)
	}
	opts := sim.Options{Runs: runs, Seed: seed, Workers: s.cfg.Workers}
	opts.Progress = func(done int) { s.instr.Append("compare", ev(done)) }
	if _, err := sim.MonteCarloInto(s.ctx, ma, opts, a, newArm(ma)); err != nil {
		fail(err, a.Sum.Runs())
		return
	}
	opts.Progress = func(done int) {
		if done < runs {
			s.instr.Append("compare", ev(runs+done))
		}
	}
	if _, err := sim.MonteCarloInto(s.ctx, mb, opts, b, newArm(mb)); err != nil {
		fail(err, runs+b.Sum.Runs())
		return
	}
	ra, rb := a.Sum.Report(ma.Scenario.ID, seed), b.Sum.Report(mb.Scenario.ID, seed)
	c, err := results.ComparePaired(ra, rb, a.Runs, b.Runs, actorIDs(ma), actorIDs(mb))
	if err != nil {
		fail(err, 2*runs)
		return
	}
	e := ev(2 * runs)
	for _, o := range outcomes {
		d := c.Outcomes[o.String()]
		e.Diff = append(e.Diff, Diff{Outcome: o.String(), Diff: d.Diff, Lo: d.DiffCILow, Hi: d.DiffCIHigh})
	}
	s.instr.Append("compare", e)
}

func actorIDs(m *sim.Model) []string {
	ids := make([]string, len(m.Scenario.Actors))
	for i, a := range m.Scenario.Actors {
		ids[i] = a.ID
	}
	return ids
}

type toldRequest struct {
	Sets map[string]string `json:"sets"`
	Seed *uint64           `json:"seed"`
	Run  int               `json:"run"`
}

// TurnPoint is the state of the talks at the end of a turn of a run.
type TurnPoint struct {
	Turn    int     `json:"turn"`
	Label   string  `json:"label"`
	Tension float64 `json:"tension"`
	Trust   float64 `json:"trust"`
}

// Told is one run told: the digest 'parley narrate' tells, and the state
// of the talks turn by turn.
type Told struct {
	Title   string      `json:"title"`
	Outcome string      `json:"outcome"`
	Digest  string      `json:"digest"`
	Turns   []TurnPoint `json:"turns"`
}

// handleTold tells run K of the settings: 'parley narrate' with the same
// seed, run and sets.
func (s *Server) handleTold(w http.ResponseWriter, r *http.Request) {
	var req toldRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Run == 0 {
		req.Run = 1
	}
	if req.Run < 1 {
		writeErr(w, fmt.Errorf("run %d: runs are numbered from 1", req.Run))
		return
	}
	m, err := s.model(req.Sets)
	if err != nil {
		writeErr(w, err)
		return
	}
	t, err := tell(m, seedOr(req.Seed), req.Run)
	if err != nil {
		writeErr(w, statusf(http.StatusInternalServerError, "%v", err))
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// tell plays run run of m and tells it.
func tell(m *sim.Model, seed uint64, run int) (Told, error) {
	var tr sim.Trace
	sim.NewWorker(m).Run(seed, run, &tr)
	nr := story.NewNarration(m, &tr, run)
	var b bytes.Buffer
	if err := story.Tell(&b, nr, story.TellOptions{Length: story.Digest}); err != nil {
		return Told{}, err
	}
	t := Told{Title: m.Scenario.Title, Outcome: tr.Record.Outcome.String(), Digest: b.String(), Turns: []TurnPoint{}}
	for _, st := range tr.States {
		t.Turns = append(t.Turns, TurnPoint{Turn: st.Turn, Label: play.MonthLabel(m.Scenario.Start, st.Turn), Tension: st.Tension, Trust: st.Trust})
	}
	return t, nil
}
