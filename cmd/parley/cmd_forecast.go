package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/results"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
	"github.com/parley-sim/parley/sim/forecast"
)

const forecastUsage = `forecast SCENARIO [--rounds N] [--runs N] [--model scholz|bdm] [-q Q] [--seed S] [--workers W]
              [--format table|json|csv] [-o FILE] [--plot FILE] [--engine-runs N] [--offers] [--set key.path=value]...

The expected-utility model of political forecasting (Bueno de Mesquita 1994;
Scholz, Calbert and Smith 2011): each round every actor challenges the others
it expects to gain from, each accepts the offer it prefers (confrontation,
compromise or capitulation), and positions move, until they settle or
--rounds. The table tells each round's moves, the weighted mean and Black's
weighted median (weights capability x salience), and every actor's position.

SCENARIO is a spatial scenario (kind = "spatial") or an agent-based one, seen
as a spatial model: each issue a dimension of its levels, each actor's ideal
level its position; its forecast is set beside the levels agreed in
--engine-runs runs of 'parley run'. With --runs above 1, every uncertain
input is drawn anew in each run, and the forecast gives each round's median
with its 95% band. docs/forecast.md.`

// forecastProbs are the quantiles over runs that JSON and CSV give of
// each round's median.
var forecastProbs = []float64{0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975}

// forecastJob is a forecast to make: the problem, the model's options and
// the batch's.
type forecastJob struct {
	id, title, question string
	problem             forecast.Problem
	names               map[string]string // actor id → display name
	order               []string          // actor ids in scenario order
	opt                 forecast.Options
	runs                int
	seed                uint64
	workers             int
	// agent is the scenario an agent-based forecast was made from (nil
	// for a spatial scenario); engineRuns the runs of the engine set
	// beside it.
	agent      *scenarios.Scenario
	engineRuns int
	// offers asks for every offer of every round, not only the moves.
	offers bool
}

// forecastResult is what a forecast gives: with one run, each
// dimension's rounds; with more, each dimension's bands and the runs.
type forecastResult struct {
	job     *forecastJob
	central [][]forecast.Round   // [dimension][round], one run
	runs    [][][]forecast.Round // [dimension][run][round], several runs
	bands   [][]forecast.Band    // [dimension][round], several runs
	ids     [][]string           // [dimension] the actors taking part
	done    int                  // runs finished
	engine  *results.Report      // the engine's runs of an agent scenario
}

func cmdForecast(e *env, args []string) error {
	fs := newFlags("forecast", forecastUsage, e.stderr)
	rounds := fs.Int("rounds", forecast.DefaultRounds, "the most `rounds` played (fewer when positions settle)")
	runs := fs.Int("runs", 1, "Monte Carlo `runs`, each drawing the uncertain inputs anew (1: one forecast from the central values)")
	model := fs.String("model", "scholz", "the `model`: scholz (Scholz, Calbert and Smith 2011) or bdm (Bueno de Mesquita's original where they differ)")
	q := fs.Float64("q", 1, "the chance `Q` in (0, 1] that the status quo persists when an actor does not challenge")
	seed := fs.Uint64("seed", defaultSeed, "random `seed`; the same seed gives the same results")
	workers := fs.Int("workers", 0, "parallel `workers` (0: all cores); results do not depend on it")
	format := fs.String("format", "table", "output `format`: table, json or csv")
	out := fs.String("o", "", "write the results to `FILE` (atomically) instead of standard output")
	plot := fs.String("plot", "", "also draw the per-round median and mean (with the 95% band of the median over runs) into `FILE`, .png or .svg")
	engineRuns := fs.Int("engine-runs", 1000, "for an agent-based scenario, the `runs` of 'parley run' set beside the forecast")
	offers := fs.Bool("offers", false, "also tell every challenge each round: each offer an actor received, taken or not, with both expected utilities (table and JSON, one run)")
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("forecast takes one scenario (a built-in name or a file)")
	}
	if *rounds < 1 || *rounds > maxForecastRounds {
		return usagef("--rounds %d: want 1 to %d", *rounds, maxForecastRounds)
	}
	if err := checkBatch(*runs, 1, *workers); err != nil {
		return err
	}
	if *runs > maxForecastRuns {
		return usagef("--runs %d: forecast keeps every run's rounds; at most %d", *runs, maxForecastRuns)
	}
	if *offers && *runs > 1 {
		return usagef("--offers tells one forecast's challenges: leave --runs at 1")
	}
	if *engineRuns < 1 || *engineRuns > sim.MaxRuns {
		return usagef("--engine-runs %d: want 1 to %d", *engineRuns, sim.MaxRuns)
	}
	variant, err := forecast.ParseVariant(*model)
	if err != nil {
		return usagef("--model %q: want scholz or bdm", *model)
	}
	if !(*q > 0 && *q <= 1) {
		return usagef("--q %v: want a chance above 0 and at most 1", *q)
	}
	if err := oneOf("format", *format, "table", "json", "csv"); err != nil {
		return err
	}
	if err := checkPlotFile(*plot); err != nil {
		return err
	}
	if err := checkOutputs([]outfile.Output{{Name: "-o", Path: *out}, {Name: "--plot", Path: *plot}}, pos[0]); err != nil {
		return err
	}
	sc, sp, err := scenarios.LoadAny(pos[0], *sets)
	if err != nil {
		return err
	}
	job := newForecastJob(sc, sp)
	job.opt = forecast.Options{Rounds: *rounds, Q: *q, Variant: variant}
	job.runs, job.seed, job.workers, job.engineRuns, job.offers = *runs, *seed, *workers, *engineRuns, *offers
	res, runErr := e.playForecast(job)
	if res == nil {
		return runErr
	}
	if *plot != "" {
		if err := writePlotFile(*plot, forecastChart(res)); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote the chart to %s\n", *plot)
	}
	if err := e.writeOut(*out, func(w io.Writer) error { return writeForecast(w, res, *format) }); err != nil {
		return err
	}
	if runErr != nil {
		return interrupted(runErr, ": %s; %s covers those runs", finished(res.done, job.runs, "run"), coveredBy(*out, "the forecast above"))
	}
	return nil
}

// Bounds on a forecast's size: every run's rounds are kept, for the
// per-round quantiles.
const (
	maxForecastRounds = 1000
	maxForecastRuns   = 1_000_000
)

// newForecastJob makes the job of a spatial scenario sp, or of the
// agent-based scenario sc seen as a spatial model.
func newForecastJob(sc *scenarios.Scenario, sp *scenarios.Spatial) *forecastJob {
	job := &forecastJob{names: map[string]string{}}
	if sp != nil {
		job.id, job.title, job.question = sp.ID, sp.Title, sp.Question
		job.problem = forecast.SpatialProblem(sp)
		for _, a := range sp.Actors {
			job.names[a.ID] = a.Name
			job.order = append(job.order, a.ID)
		}
		return job
	}
	job.id, job.title, job.question = sc.ID, sc.Title, sc.Question
	job.problem = forecast.AgentProblem(sc)
	job.agent = sc
	for _, a := range sc.Actors {
		job.names[a.ID] = a.Name
		job.order = append(job.order, a.ID)
	}
	return job
}

// playForecast makes the forecast: one from the central values, or a
// batch of runs; for an agent-based scenario, also the engine's runs. A
// nil result comes with the error that stopped it; an interrupted batch
// gives the runs that finished and the context's error.
func (e *env) playForecast(job *forecastJob) (*forecastResult, error) {
	res := &forecastResult{job: job}
	for _, actors := range job.problem.Draw(nil) {
		ids := make([]string, len(actors))
		for i, a := range actors {
			ids[i] = a.ID
		}
		res.ids = append(res.ids, ids)
	}
	var runErr error
	if job.runs == 1 {
		c, err := forecast.Central(job.problem, job.opt)
		if err != nil {
			return nil, forecastError(job, err)
		}
		res.central, res.done = c, 1
	} else {
		prog := newProgress(e.stderr, job.runs, "runs")
		runs, done, err := forecast.MonteCarlo(e.ctx, job.problem, forecast.MonteCarloOptions{
			Runs: job.runs, Seed: job.seed, Workers: job.workers, Options: job.opt, Progress: prog.update,
		})
		prog.finish()
		if err != nil && !errors.Is(err, e.ctx.Err()) {
			return nil, forecastError(job, err)
		}
		if done == 0 {
			return nil, interrupted(err, " before any run finished; nothing written")
		}
		runErr = err
		res.runs, res.done = runs, done
		for _, r := range runs {
			res.bands = append(res.bands, forecast.Summarise(r, forecastProbs))
		}
	}
	if job.agent != nil && runErr == nil {
		workers, err := e.fitEngine(job.agent, job.workers)
		if err != nil {
			return nil, err
		}
		m, err := sim.Compile(job.agent)
		if err != nil {
			return nil, err
		}
		prog := newProgress(e.stderr, job.engineRuns, "runs")
		sum, done, err := sim.MonteCarlo(e.ctx, m, sim.Options{Runs: job.engineRuns, Seed: job.seed, Workers: workers, Progress: prog.update},
			func() *results.Summary { return results.NewSummary(job.agent) })
		prog.finish()
		if err != nil {
			return nil, interrupted(err, ": the forecast finished, and %s of the engine's; nothing written", finished(done, job.engineRuns, "run"))
		}
		rep := sum.Report(job.agent.ID, job.seed)
		res.engine = &rep
	}
	return res, runErr
}

// forecastError words an error of the model: bad input (an actor with
// no capability anywhere, say) is invalid input, exit status 2.
func forecastError(job *forecastJob, err error) error {
	if errors.Is(err, forecast.ErrInput) {
		return usagef("%s: %v", job.id, err)
	}
	return err
}

// modelWords names the model and its Q for a person.
func modelWords(opt forecast.Options) string {
	m := "Scholz, Calbert and Smith's (2011) formulation"
	if opt.Variant == forecast.BDM {
		m = "Bueno de Mesquita's (1994) original formulation"
	}
	return fmt.Sprintf("%s, Q = %s", m, strconv.FormatFloat(opt.Q, 'g', -1, 64))
}

// name is an actor's display name.
func (j *forecastJob) name(id string) string {
	if n := j.names[id]; n != "" {
		return n
	}
	return id
}

// dimTitle is a dimension's name with its unit: "Delay (years)".
func dimTitle(d forecast.Dimension) string {
	if d.Unit == "" || d.Levels != nil {
		return d.Name
	}
	return d.Name + " (" + d.Unit + ")"
}

// num writes a position: two decimals.
func num(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// levelText names a position on an issue's levels: the nearest level,
// with the position when it lies between levels ("scaled down (1.40)").
func levelText(d forecast.Dimension, x float64) string {
	k := int(math.Round(x))
	k = min(max(k, 0), len(d.Levels)-1)
	label := strings.ReplaceAll(d.Levels[k], "_", " ")
	if math.Abs(x-float64(k)) < 0.005 {
		return label
	}
	return label + " (" + num(x) + ")"
}

// writeForecast writes the forecast in format.
func writeForecast(w io.Writer, res *forecastResult, format string) error {
	switch format {
	case "json":
		return writeForecastJSON(w, res)
	case "csv":
		return writeForecastCSV(w, res)
	}
	return writeForecastTable(w, res)
}

// ---------------------------------------------------------------- table

func writeForecastTable(w io.Writer, res *forecastResult) error {
	job := res.job
	fmt.Fprintf(w, "%s: %s\n%s\n", job.id, job.title, job.question)
	if job.runs == 1 {
		fmt.Fprintf(w, "%s; at most %s.\n", modelWords(job.opt), count(job.opt.Rounds, "round"))
		if job.agent == nil {
			fmt.Fprintln(w, "Weights are capability x salience; a move's expected utilities are as the\nactor who moves sees them.")
		}
	} else {
		draws := "each drawing the uncertain inputs anew"
		if !job.problem.Uncertain {
			draws = "but no input is uncertain: every run gives the same forecast"
		}
		fmt.Fprintf(w, "%s; at most %s;\n%s (seed %d), %s.\n",
			modelWords(job.opt), count(job.opt.Rounds, "round"), runsWord(res.done), job.seed, draws)
	}
	if job.agent != nil {
		return writeAgentTable(w, res)
	}
	for j, d := range job.problem.Dimensions {
		fmt.Fprintf(w, "\n%s\n", dimTitle(d))
		var err error
		if job.runs == 1 {
			err = writeRoundsTable(w, job, res.ids[j], res.central[j])
		} else {
			err = writeBandsTable(w, res.bands[j])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// runsWord is "1 run" or "1,000 runs".
func runsWord(n int) string {
	if n == 1 {
		return "1 run"
	}
	return thousands(n) + " runs"
}

// writeRoundsTable tells one forecast round by round: each round's moves
// and its weighted mean and median, then every position by round.
func writeRoundsTable(w io.Writer, job *forecastJob, ids []string, rounds []forecast.Round) error {
	r0 := rounds[0]
	fmt.Fprintf(w, "Start: weighted mean %s, weighted median %s.\n", num(r0.Mean), num(r0.Median))
	for _, r := range rounds[1:] {
		prev := rounds[r.Round-1]
		moves := "no one moved"
		if n := len(r.Moves); n > 0 {
			moves = count(n, "move")
		}
		fmt.Fprintf(w, "Round %d: %s; weighted mean %s, weighted median %s.\n", r.Round, moves, num(r.Mean), num(r.Median))
		for _, m := range r.Moves {
			fmt.Fprintf(w, "  %s\n", moveText(job, ids, m, prev.Positions[m.Actor]))
		}
		if job.offers && len(r.Offers) > 0 {
			fmt.Fprintf(w, "  The challenges: %s\n", count(len(r.Offers), "offer"))
			for _, o := range r.Offers {
				fmt.Fprintf(w, "    %s\n", offerText(job, ids, o, prev.Positions[o.Actor], slices.Contains(r.Moves, o)))
			}
		}
	}
	last := rounds[len(rounds)-1]
	if last.Settled {
		fmt.Fprintf(w, "Positions settled in round %d.\n", last.Round)
	}

	fmt.Fprintln(w, "\nPositions by round")
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, " \tstart")
	for _, r := range rounds[1:] {
		fmt.Fprintf(tw, "\t%d", r.Round)
	}
	fmt.Fprintln(tw, "\t")
	row := func(label string, at func(r forecast.Round) float64) {
		fmt.Fprint(tw, label)
		for _, r := range rounds {
			fmt.Fprintf(tw, "\t%s", num(at(r)))
		}
		fmt.Fprintln(tw, "\t")
	}
	labels := []string{"weighted mean", "weighted median"}
	for _, id := range ids {
		labels = append(labels, job.name(id))
	}
	width := 0
	for _, l := range labels {
		width = max(width, utf8.RuneCountInString(l))
	}
	pad := func(l string) string { return l + strings.Repeat(" ", width-utf8.RuneCountInString(l)) } // names left-aligned
	for i, id := range ids {
		row(pad(job.name(id)), func(r forecast.Round) float64 { return r.Positions[i] })
	}
	row(pad("weighted mean"), func(r forecast.Round) float64 { return r.Mean })
	row(pad("weighted median"), func(r forecast.Round) float64 { return r.Median })
	return tw.Flush()
}

// moveText tells one move in a line: who took whose offer, of which
// kind, where it went, and the two expected utilities it compared.
func moveText(job *forecastJob, ids []string, m forecast.Move, from float64) string {
	who, by := job.name(ids[m.Actor]), job.name(ids[m.From])
	var what string
	switch m.Kind {
	case forecast.Confrontation:
		what = who + " loses a confrontation with " + by
	case forecast.Compromise:
		what = who + " compromises with " + by
	case forecast.Capitulation:
		what = who + " gives in to " + by
	default:
		what = who + " takes " + by + "'s offer"
	}
	return fmt.Sprintf("%s: %s to %s (%s expects %s from the challenge, %s %s)",
		what, num(from), num(m.To), by, signed(m.EUChallenge), who, signed(m.EUChallenged))
}

// offerText tells one offer of a round in a line: who offered whom what,
// the two expected utilities it rests on, and whether it was taken.
func offerText(job *forecastJob, ids []string, o forecast.Move, from float64, taken bool) string {
	by, to := job.name(ids[o.From]), job.name(ids[o.Actor])
	line := fmt.Sprintf("%s to %s: %s, %s to %s (%s expects %s from the challenge, %s %s)",
		by, to, o.Kind, num(from), num(o.To), by, signed(o.EUChallenge), to, signed(o.EUChallenged))
	if taken {
		line += ", taken"
	}
	return line
}

// signed writes an expected utility with its sign: +0.21, -0.05.
func signed(x float64) string {
	if x >= 0 {
		return "+" + num(x)
	}
	return num(x)
}

// writeBandsTable gives a batch's rounds: the median over runs of each
// round's weighted median with its 95% band, and the mean, then the
// interval after the last round.
func writeBandsTable(w io.Writer, bands []forecast.Band) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "round\tweighted median\t95% of runs\tweighted mean\t")
	for _, b := range bands {
		label := strconv.Itoa(b.Round)
		if b.Round == 0 {
			label = "start"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s to %s\t%s\t\n", label, num(b.Median), num(b.MedianLow), num(b.MedianHigh), num(b.Mean))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	last := bands[len(bands)-1]
	_, err := fmt.Fprintf(w, "After round %d the weighted median lies between %s and %s in 95%% of runs (median %s).\n",
		last.Round, num(last.MedianLow), num(last.MedianHigh), num(last.Median))
	return err
}

// writeAgentTable sets the forecast of each issue of an agent-based
// scenario beside the levels the engine's runs agreed.
func writeAgentTable(w io.Writer, res *forecastResult) error {
	job, rep := res.job, res.engine
	agreed := rep.Outcomes.Agreement.Count
	fmt.Fprintf(w, "Seen as a spatial model: each issue a dimension of its levels (0 the first), each actor's\n"+
		"ideal level its position, its weight over its greatest weight its salience, and its capability\n"+
		"the scenario's (1 when unset). Beside it, 'parley run' with the same seed: %s, %s.\n\n",
		runsWord(rep.Runs), count(agreed, "agreement"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	band := ""
	if job.runs > 1 {
		band = "\t95% of runs"
	}
	fmt.Fprintf(tw, "issue\tstart\tforecast%s\tmean\tagreed most often\tmean agreed level\n", band)
	for j, d := range job.problem.Dimensions {
		var start, end, mean, lo, hi float64
		if job.runs == 1 {
			rs := res.central[j]
			start, end, mean = rs[0].Median, rs[len(rs)-1].Median, rs[len(rs)-1].Mean
		} else {
			bs := res.bands[j]
			start, end, mean = bs[0].Median, bs[len(bs)-1].Median, bs[len(bs)-1].Mean
			lo, hi = bs[len(bs)-1].MedianLow, bs[len(bs)-1].MedianHigh
		}
		fmt.Fprintf(tw, "%s\t%s\t%s", d.Name, levelText(d, start), levelText(d, end))
		if job.runs > 1 {
			fmt.Fprintf(tw, "\t%s to %s", num(lo), num(hi))
		}
		fmt.Fprintf(tw, "\t%s", num(mean))
		most, agreedMean := agreedLevels(rep, d)
		fmt.Fprintf(tw, "\t%s\t%s\n", most, agreedMean)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nstart and forecast: the weighted median (weights capability x salience) at the start and\n"+
		"after the last round; mean: the weighted mean after it, a level. 'parley forecast %s\n"+
		"--format json' gives every round's positions.\n", job.id)
	return err
}

// agreedLevels gives, of the engine's agreements, the level of issue d
// agreed most often with its share, and the mean agreed level; "none"
// without agreements.
func agreedLevels(rep *results.Report, d forecast.Dimension) (most, mean string) {
	terms := rep.Terms[d.ID]
	n := 0
	sum := 0.0
	best := -1
	for k, label := range d.Levels {
		c := terms[label].Count
		n += c
		sum += float64(k * c)
		if best < 0 || c > terms[d.Levels[best]].Count {
			best = k
		}
	}
	if n == 0 {
		return "none", "-"
	}
	share := float64(terms[d.Levels[best]].Count) / float64(n)
	return fmt.Sprintf("%s (%.0f%%)", strings.ReplaceAll(d.Levels[best], "_", " "), 100*share), num(sum / float64(n))
}

// ---------------------------------------------------------------- JSON

// positions encodes actor id → position in the actors' order.
type positions struct {
	ids []string
	xs  []float64
}

func (p positions) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range p.ids {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(id)
		v, err := json.Marshal(p.xs[i])
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

type jsonRound struct {
	Round      int                `json:"round"`
	Mean       float64            `json:"mean"`
	Median     float64            `json:"median"`
	MedianLow  *float64           `json:"median_low,omitempty"`
	MedianHigh *float64           `json:"median_high,omitempty"`
	Quantiles  map[string]float64 `json:"quantiles,omitempty"`
	Positions  positions          `json:"positions"`
	// Moves and Offers are the round's moves and every offer made in it,
	// with --offers.
	Moves  []jsonMove `json:"moves,omitempty"`
	Offers []jsonMove `json:"offers,omitempty"`
}

// jsonMove is an offer: who received it (actor) from whom, its kind, the
// two expected utilities as the receiver sees them, and where it moves the
// receiver.
type jsonMove struct {
	Actor        string  `json:"actor"`
	From         string  `json:"from"`
	Kind         string  `json:"kind"`
	EUChallenge  float64 `json:"eu_challenge"`
	EUChallenged float64 `json:"eu_challenged"`
	To           float64 `json:"to"`
}

func jsonMoves(ids []string, ms []forecast.Move) []jsonMove {
	var out []jsonMove
	for _, m := range ms {
		out = append(out, jsonMove{Actor: ids[m.Actor], From: ids[m.From], Kind: m.Kind.String(),
			EUChallenge: m.EUChallenge, EUChallenged: m.EUChallenged, To: m.To})
	}
	return out
}

type jsonDimension struct {
	Dimension string      `json:"dimension"`
	Name      string      `json:"name"`
	Rounds    []jsonRound `json:"rounds"`
	// AgreedLevels is, for an issue of an agent-based scenario, the share
	// of the engine's agreements at each level.
	AgreedLevels map[string]float64 `json:"agreed_levels,omitempty"`
}

type jsonEngine struct {
	Runs       int    `json:"runs"`
	Seed       uint64 `json:"seed"`
	Agreements int    `json:"agreements"`
}

// jsonRounds are dimension j's rounds as JSON: one forecast's, or the
// batch's medians with their bands, quantiles and median positions.
func jsonRounds(res *forecastResult, j int) []jsonRound {
	ids := res.ids[j]
	var out []jsonRound
	if res.job.runs == 1 {
		for _, r := range res.central[j] {
			jr := jsonRound{Round: r.Round, Mean: r.Mean, Median: r.Median, Positions: positions{ids, r.Positions}}
			if res.job.offers {
				jr.Moves, jr.Offers = jsonMoves(ids, r.Moves), jsonMoves(ids, r.Offers)
			}
			out = append(out, jr)
		}
		return out
	}
	for _, b := range res.bands[j] {
		lo, hi := b.MedianLow, b.MedianHigh
		q := make(map[string]float64, len(forecastProbs))
		for i, p := range forecastProbs {
			if i < len(b.Quantiles) {
				q[strconv.FormatFloat(p, 'g', -1, 64)] = b.Quantiles[i]
			}
		}
		out = append(out, jsonRound{Round: b.Round, Mean: b.Mean, Median: b.Median, MedianLow: &lo, MedianHigh: &hi,
			Quantiles: q, Positions: positions{ids, forecast.MedianPositions(res.runs[j], b.Round)}})
	}
	return out
}

// writeForecastJSON writes {"scenario", "model", "rounds": [...]} for one
// dimension; for several, {"scenario", "model", "dimensions": [{"dimension",
// "name", "rounds"}]}. An agent-based scenario adds "engine" and each
// issue's "agreed_levels".
func writeForecastJSON(w io.Writer, res *forecastResult) error {
	job := res.job
	var dims []jsonDimension
	for j, d := range job.problem.Dimensions {
		jd := jsonDimension{Dimension: d.ID, Name: d.Name, Rounds: jsonRounds(res, j)}
		if res.engine != nil {
			jd.AgreedLevels = agreedShares(res.engine, d)
		}
		dims = append(dims, jd)
	}
	var engine *jsonEngine
	if res.engine != nil {
		engine = &jsonEngine{Runs: res.engine.Runs, Seed: res.engine.Seed, Agreements: res.engine.Outcomes.Agreement.Count}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if len(dims) == 1 {
		return enc.Encode(struct {
			Scenario     string             `json:"scenario"`
			Model        string             `json:"model"`
			Rounds       []jsonRound        `json:"rounds"`
			AgreedLevels map[string]float64 `json:"agreed_levels,omitempty"`
			Engine       *jsonEngine        `json:"engine,omitempty"`
		}{job.id, job.opt.Variant.String(), dims[0].Rounds, dims[0].AgreedLevels, engine})
	}
	return enc.Encode(struct {
		Scenario   string          `json:"scenario"`
		Model      string          `json:"model"`
		Dimensions []jsonDimension `json:"dimensions"`
		Engine     *jsonEngine     `json:"engine,omitempty"`
	}{job.id, job.opt.Variant.String(), dims, engine})
}

// agreedShares is the share of the engine's agreements at each level of
// issue d.
func agreedShares(rep *results.Report, d forecast.Dimension) map[string]float64 {
	out := make(map[string]float64, len(d.Levels))
	for _, label := range d.Levels {
		out[label] = rep.Terms[d.ID][label].Share
	}
	return out
}

// ---------------------------------------------------------------- CSV

// writeForecastCSV writes a row per dimension and round: its mean and
// median (with a batch, the median's 95% band and quantiles), then each
// actor's position (with a batch, its median over runs), a column per
// actor; an actor that takes no part in a dimension has an empty cell.
func writeForecastCSV(w io.Writer, res *forecastResult) error {
	job := res.job
	cw := csv.NewWriter(w)
	head := []string{"dimension", "round", "mean", "median"}
	if job.runs > 1 {
		head = append(head, "median_low", "median_high")
		for _, p := range forecastProbs {
			head = append(head, "q"+strconv.FormatFloat(p, 'g', -1, 64))
		}
	}
	head = append(head, job.order...)
	if err := cw.Write(head); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for j, d := range job.problem.Dimensions {
		for _, r := range jsonRounds(res, j) {
			row := []string{results.CSVText(d.ID), strconv.Itoa(r.Round), f(r.Mean), f(r.Median)}
			if job.runs > 1 {
				row = append(row, f(*r.MedianLow), f(*r.MedianHigh))
				for _, p := range forecastProbs {
					row = append(row, f(r.Quantiles[strconv.FormatFloat(p, 'g', -1, 64)]))
				}
			}
			at := map[string]float64{}
			for i, id := range r.Positions.ids {
				at[id] = r.Positions.xs[i]
			}
			for _, id := range job.order {
				if x, ok := at[id]; ok {
					row = append(row, f(x))
				} else {
					row = append(row, "")
				}
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// ---------------------------------------------------------------- chart

// forecastChart is the chart of a forecast: each round's weighted median
// (with its 95% band over runs) and weighted mean; with several
// dimensions, each dimension's median.
func forecastChart(res *forecastResult) report.Chart {
	job := res.job
	c := report.Chart{Name: "forecast-" + job.id, XLabel: "round (0: the start)"}
	single := len(job.problem.Dimensions) == 1
	if single {
		d := job.problem.Dimensions[0]
		c.Title = job.id + ": " + d.Name
		c.YLabel = "position"
		if d.Unit != "" {
			c.YLabel = d.Unit
		}
	} else {
		c.Title = job.id + ": the weighted median of each issue, round by round"
		c.YLabel = "position"
		if job.agent != nil {
			c.YLabel = "level (0: the first)"
		}
	}
	if job.runs > 1 {
		c.Subtitle = fmt.Sprintf("%s; the median over %s, with the middle 95%% of runs", modelWords(job.opt), runsWord(res.done))
	} else {
		c.Subtitle = modelWords(job.opt)
	}
	for j, d := range job.problem.Dimensions {
		med := report.Series{Name: "weighted median"}
		mean := report.Series{Name: "weighted mean"}
		if !single {
			med.Name = d.Name
		}
		if job.runs == 1 {
			for _, r := range res.central[j] {
				med.X, med.Y = append(med.X, float64(r.Round)), append(med.Y, r.Median)
				mean.X, mean.Y = append(mean.X, float64(r.Round)), append(mean.Y, r.Mean)
			}
		} else {
			for _, b := range res.bands[j] {
				med.X, med.Y = append(med.X, float64(b.Round)), append(med.Y, b.Median)
				med.Low, med.High = append(med.Low, b.MedianLow), append(med.High, b.MedianHigh)
				mean.X, mean.Y = append(mean.X, float64(b.Round)), append(mean.Y, b.Mean)
			}
		}
		c.Series = append(c.Series, med)
		if single {
			c.Series = append(c.Series, mean)
		}
	}
	return c
}

// checkPlotFile refuses, before any work, a --plot FILE that is neither
// .png nor .svg.
func checkPlotFile(path string) error {
	if path == "" {
		return nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".svg":
		return nil
	}
	return usagef("--plot %s: name a .png or .svg file", path)
}

// writePlotFile draws chart c into path, as PNG or SVG by its extension,
// 1280×720 pixels as the other charts.
func writePlotFile(path string, c report.Chart) error {
	if strings.ToLower(filepath.Ext(path)) == ".svg" {
		return outfile.Write(path, c.SVG)
	}
	return outfile.Write(path, func(w io.Writer) error {
		cw, err := draw.NewFormattedCanvas(1280*vg.Inch/96, 720*vg.Inch/96, "png")
		if err != nil {
			return err
		}
		if err := c.Draw(draw.New(cw)); err != nil {
			return err
		}
		_, err = cw.WriteTo(w)
		return err
	})
}

// runSpatial is 'parley run' on a spatial scenario: its Monte Carlo
// forecast summary with the model's defaults. --plot DIR draws its chart
// there.
func (e *env) runSpatial(sp *scenarios.Spatial, runs int, seed uint64, workers int, format, out, plotDir string) error {
	job := newForecastJob(nil, sp)
	job.opt = forecast.Options{Rounds: forecast.DefaultRounds, Q: 1, Variant: forecast.Scholz}
	job.runs, job.seed, job.workers = runs, seed, workers
	res, runErr := e.playForecast(job)
	if res == nil {
		return runErr
	}
	if plotDir != "" {
		if err := e.writeCharts(plotDir, []report.Chart{forecastChart(res)}); err != nil {
			return err
		}
	}
	if err := e.writeOut(out, func(w io.Writer) error { return writeForecast(w, res, format) }); err != nil {
		return err
	}
	if runErr != nil {
		return interrupted(runErr, ": %s; %s covers those runs", finished(res.done, runs, "run"), coveredBy(out, "the forecast above"))
	}
	return nil
}

// loadAgent is scenarios.Load for a command of the agent-based engine: a
// spatial scenario is refused, by name, with the command that reads it.
func loadAgent(command, name string, sets []scenarios.Override) (*scenarios.Scenario, error) {
	sc, err := scenarios.Load(name, sets)
	if errors.Is(err, scenarios.ErrSpatial) {
		return nil, usagef("%s is a spatial (forecast) scenario: %s works on agent-based scenarios only; use 'parley forecast %s'", name, command, name)
	}
	return sc, err
}
