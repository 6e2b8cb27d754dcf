package sim

// What the actors know of each other's preferences (docs/model.md, "What
// the actors know").
//
// An actor with misperception s > 0 that proposes or mediates (a believer)
// does not know how the signatories weigh the issues. It holds a finite set
// of hypotheses about each other signatory's weights and a posterior over
// them, and chooses its packages by the posterior mean: Bayesian learning
// over preference hypotheses (Hindriks and Tykhonov 2008, "Opponent
// modelling in automated multi-issue negotiation using Bayesian learning").
//
//   - Hypotheses. The believer's impression of signatory j's weights is
//     the truth with each weight multiplied by exp(s·z), z standard normal,
//     and normalised; its other hypotheses spread around that impression
//     the same way; one hypothesis is the truth. (Hindriks and Tykhonov's
//     hypothesis space also holds the truth: it enumerates every ordering
//     of the issues. What the believer does not know is which hypothesis
//     is true.) The prior is uniform. A signatory's values of each issue's
//     levels, its linkage terms and where its best and worst packages lie
//     are known: the uncertainty is about what matters to it most.
//   - Evidence. Offers and responses are public. When j refuses or accepts
//     package p while asking a (its aspiration, its public posture), every
//     believer multiplies each hypothesis h's probability by the chance of
//     that answer under h, σ(±(u_h(p) − a)/τ): a refusal is likelier under
//     the hypotheses that value p below the ask. When j offers p itself, p
//     is, as j concedes, a package worth about its ask to it: the chance of
//     the offer under h is a normal density in u_h(p) − a of spread τ, as in
//     Hindriks and Tykhonov, whose opponent's bids follow its concession
//     curve. τ = responseNoise.
//   - Use. A proposer offers, among the packages worth its aspiration to
//     itself, the one it believes the other signatories value most; the
//     mediator brokers the package it believes meets every demand. The
//     responders decide by their true utilities.
//
// With protocol.learning = false the beliefs stay as drawn. With
// misperception 0 an actor knows the truth and none of this runs: the
// engine's results are those of model 2 (TestNoMisperceptionIsModel2).

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/parley-sim/parley/actors"
)

// hypotheses is the number of hypotheses a believer holds about each
// signatory's weights: the truth and 15 others. An assumption: enough for
// the posterior mean to move smoothly, few enough to update every move.
const hypotheses = 16

// responseNoise is τ, the scale of a signatory's decisions as a believer
// models them: a package worth its ask is taken half the time, one worth
// a twentieth of the utility range more about three times in four. An
// assumption (logit choice; McKelvey and Palfrey 1995).
const responseNoise = 0.05

// beliefs is a worker's state of what the believers believe this run.
type beliefs struct {
	on       bool   // some actor is a believer this run
	believer []bool // per actor
	// factor[((i*ns+t)*hypotheses+h)*issues+k] multiplies signatory
	// sig[t]'s true weight of issue k in believer i's hypothesis h;
	// logPost[(i*ns+t)*hypotheses+h] is the hypothesis's log posterior
	// (unnormalised).
	factor  []float64
	hypW    []float64 // the hypotheses' normalised weights, laid out as factor
	logPost []float64
	dirty   []bool      // per believer: mat's believed columns are out of date
	stale   []bool      // per believer: mat's other columns are out of date
	mat     [][]float64 // per believer: uAll with the other signatories' columns as believed
	z0, bw  []float64   // scratch: an impression's normal draws, a posterior mean
	pkg     []int
	part    []float64 // scratch of believedMatrix
	tail    []float64 // scratch of believedMatrix
	// slack[i*ns+t] is the most believer i's believed utility of a package
	// to signatory sig[t] exceeds the true one, as of its last matrix.
	slack []float64
	tail2 []float64   // scratch of believedMatrix
	delta [][]float64 // scratch of believedMatrix, per issue and level
	last  []heard     // per signatory, its last move heard
	pcg   rand.PCG
	rng   *rand.Rand
}

// heard is a signatory's move on a package, as the believers heard it.
type heard struct {
	p, move int
	ask     float64
}

// choosesPackages reports whether actor i chooses packages in the talks:
// it proposes or mediates.
func (m *Model) choosesPackages(i int) bool {
	if i == m.mediator {
		return true
	}
	for _, p := range m.proposer {
		if p == i {
			return true
		}
	}
	return false
}

// startBeliefs draws this run's hypotheses. It must follow the run's first
// loadTable (it reads the true weights from w.prefs).
func (w *Worker) startBeliefs(seed uint64, run int) {
	m, b := w.m, &w.bel
	n, ns, issues := len(m.actors), len(m.sig), len(m.Space.Levels)
	b.on = false
	if !m.beliefs {
		return
	}
	if b.believer == nil {
		b.believer = make([]bool, n)
		b.factor = make([]float64, n*ns*hypotheses*issues)
		b.hypW = make([]float64, n*ns*hypotheses*issues)
		b.logPost = make([]float64, n*ns*hypotheses)
		b.dirty = make([]bool, n)
		b.stale = make([]bool, n)
		b.slack = make([]float64, n*ns)
		b.last = make([]heard, ns)
		b.mat = make([][]float64, n)
		b.z0, b.bw = make([]float64, issues), make([]float64, issues)
		b.pkg = make([]int, issues)
		b.part = make([]float64, issues+1)
		b.delta = make([][]float64, issues)
		for k, l := range m.Space.Levels {
			b.delta[k] = make([]float64, l)
		}
		b.rng = rand.New(&b.pcg)
	}
	for t := range b.last {
		b.last[t] = heard{p: -1}
	}
	z0 := b.z0
	for i, a := range m.actors {
		s := w.vals[a.misperc]
		b.believer[i] = s > 0 && m.choosesPackages(i)
		if !b.believer[i] {
			continue
		}
		b.on, b.dirty[i] = true, true
		if b.mat[i] == nil {
			b.mat[i] = make([]float64, m.Space.Size*n)
		}
		for t := range ns {
			seedStream(&b.pcg, seed, run, m.hypKey[i*ns+t])
			for k := range z0 {
				z0[k] = b.rng.NormFloat64()
			}
			for h := range hypotheses {
				b.logPost[(i*ns+t)*hypotheses+h] = 0
				f := b.factor[((i*ns+t)*hypotheses+h)*issues:][:issues]
				for k := range f {
					if h == 0 {
						f[k] = 1 // the truth
						continue
					}
					f[k] = math.Exp(s * (z0[k] + b.rng.NormFloat64()))
				}
			}
		}
	}
	if b.on {
		w.syncPrefs(0)
	}
}

// syncPrefs makes w.prefs the true preferences of the preference events in
// mask, which the believers' hypotheses are relative to (a cached table
// leaves w.prefs as they were when it was built), and recomputes the
// hypotheses' weights from them.
func (w *Worker) syncPrefs(mask uint64) {
	m, b := w.m, &w.bel
	w.setPrefs(mask)
	ns, issues := len(m.sig), len(m.Space.Levels)
	for i := range m.actors {
		if !b.believer[i] {
			continue
		}
		b.dirty[i], b.stale[i] = true, true
		for t, j := range m.sig {
			tw := w.prefs[j].Weights
			for h := range hypotheses {
				at := ((i*ns+t)*hypotheses + h) * issues
				f, out := b.factor[at:][:issues], b.hypW[at:][:issues]
				for k := range out {
					out[k] = tw[k] * f[k]
				}
				actors.NormaliseWeights(out)
			}
		}
	}
}

// hypothesis returns believer i's hypothesis h of the weights of
// signatory sig[t], normalised.
func (w *Worker) hypothesis(i, t, h int) []float64 {
	ns, issues := len(w.m.sig), len(w.m.Space.Levels)
	return w.bel.hypW[((i*ns+t)*hypotheses+h)*issues:][:issues]
}

// believedWeights writes into out believer i's posterior mean of the
// weights of signatory sig[t].
func (w *Worker) believedWeights(i, t int, out []float64) {
	ns := len(w.m.sig)
	lp := w.bel.logPost[(i*ns+t)*hypotheses:][:hypotheses]
	top := math.Inf(-1)
	for _, x := range lp {
		top = max(top, x)
	}
	clear(out)
	total := 0.0
	for h, x := range lp {
		p := math.Exp(x - top)
		total += p
		for k, v := range w.hypothesis(i, t, h) {
			out[k] += p * v
		}
	}
	for k := range out {
		out[k] /= total
	}
}

// The moves a believer learns from.
const (
	moveRefuse = iota
	moveAccept
	moveOffer
)

// observe lets every believer but j learn from j's move on package p while
// asking ask: a refusal, an acceptance or an offer of its own.
func (w *Worker) observe(j, p int, ask float64, move int) {
	m, b := w.m, &w.bel
	if !b.on || !m.Scenario.Protocol.Learning {
		return
	}
	t := slices.Index(m.sig, j)
	if t < 0 {
		return
	}
	// The same answer to the same package at the same ask, heard again,
	// is no new evidence: a signatory that refuses the offer it refused
	// last month, for the same reason, has said nothing new.
	if last := b.last[t]; last.p == p && last.move == move && math.Abs(last.ask-ask) < 1e-12 {
		return
	}
	b.last[t] = heard{p: p, ask: ask, move: move}
	ns := len(m.sig)
	m.Space.Decode(p, b.pkg)
	u := w.uAll[p*len(m.actors)+j]
	pr, inv := &w.prefs[j], w.inv[j]
	for i := range m.actors {
		if !b.believer[i] || i == j {
			continue
		}
		lp := b.logPost[(i*ns+t)*hypotheses:][:hypotheses]
		for h := range lp {
			// u_h(p): the true utility, the weights changed to h's.
			uh := 0.0
			for k, x := range w.hypothesis(i, t, h) {
				uh += (x - pr.Weights[k]) * pr.Values[k][b.pkg[k]]
			}
			x := (u + uh*inv - ask) / responseNoise
			switch move {
			case moveRefuse:
				lp[h] += logSigmoid(-x)
			case moveAccept:
				lp[h] += logSigmoid(x)
			default:
				lp[h] -= x * x / 2
			}
		}
		b.dirty[i] = true
	}
}

// logSigmoid is log σ(x) = −log(1 + e^−x), computed without overflow;
// beyond |x| = 36 it is 0 or x to within rounding.
func logSigmoid(x float64) float64 {
	switch {
	case x > 36:
		return 0
	case x < -36:
		return x
	case x >= 0:
		return -math.Log1p(math.Exp(-x))
	}
	return x - math.Log1p(math.Exp(x))
}

// believedMatrix returns the utilities believer i chooses by: every
// package's utility to every actor (rows of n, as w.uAll), the other
// signatories' as i believes them.
//
// A package's believed utility to j is its true one plus, over the issues,
// (believed − true weight)·value of its level, over the range of j's
// scale (utility is affine in raw value). Packages are numbered with the
// last issue fastest, so the terms of the trailing issues are tabulated
// once per block of their levels, and those of the leading issues summed
// once per block.
func (w *Worker) believedMatrix(i int) []float64 {
	m, b := w.m, &w.bel
	mat := b.mat[i]
	if !b.dirty[i] {
		return mat
	}
	n, levels := len(m.actors), m.Space.Levels
	// The trailing issues whose levels make a block of at most blockMax
	// packages: their terms are tabulated per block position (tail), so
	// that the packages of a block cost one addition each.
	const blockMax = 256
	lead, width := len(levels), 1
	for lead > 0 && width*levels[lead-1] <= blockMax {
		lead--
		width *= levels[lead]
	}
	for t, j := range m.sig {
		if j == i {
			continue
		}
		w.believedWeights(i, t, b.bw)
		pr, inv := &w.prefs[j], w.inv[j]
		for k := range levels {
			d := b.delta[k][:levels[k]]
			for l := range d {
				d[l] = (b.bw[k] - pr.Weights[k]) * pr.Values[k][l] * inv
			}
		}
		// The most a package's believed utility exceeds its true one.
		slack := 0.0
		for k := range levels {
			slack += slices.Max(b.delta[k][:levels[k]])
		}
		b.slack[i*len(m.sig)+t] = slack + 1e-12 // and rounding
		tail := append(b.tail[:0], 0)
		for k := lead; k < len(levels); k++ {
			next := b.tail2[:0]
			for _, e := range tail {
				for _, d := range b.delta[k] {
					next = append(next, e+d)
				}
			}
			tail, b.tail2 = next, tail
		}
		b.tail = tail
		pkg, part := b.pkg, b.part
		clear(pkg)
		for k := 1; k <= lead; k++ {
			part[k] = part[k-1] + b.delta[k-1][0]
		}
		u := w.uAll
		for p0 := 0; p0 < m.Space.Size; p0 += width {
			base := part[lead]
			at := p0*n + j
			for _, e := range tail {
				mat[at] = u[at] + base + e
				at += n
			}
			// The next block: the leading issues, as an odometer.
			k := lead - 1
			for ; k >= 0; k-- {
				if pkg[k]++; pkg[k] < levels[k] {
					break
				}
				pkg[k] = 0
			}
			for k = max(k, 0); k < lead; k++ {
				part[k+1] = part[k] + b.delta[k][pkg[k]]
			}
		}
	}
	if b.stale[i] {
		// The other actors' columns, true, once per table.
		for p := range m.Space.Size {
			for a := range n {
				if a == i || !m.isSig[a] {
					mat[p*n+a] = w.uAll[p*n+a]
				}
			}
		}
		b.stale[i] = false
	}
	b.dirty[i] = false
	return mat
}

// recordBeliefs records in tr what believer i believed when it chose the
// package of the last step; nothing for an actor that knows.
func (w *Worker) recordBeliefs(tr *Trace, i int) {
	if !w.bel.on || !w.bel.believer[i] {
		return
	}
	out := make([][]float64, len(w.m.sig))
	for t, j := range w.m.sig {
		if j == i {
			continue
		}
		out[t] = make([]float64, len(w.m.Space.Levels))
		w.believedWeights(i, t, out[t])
	}
	tr.Believed = append(tr.Believed, Believed{Step: len(tr.Steps) - 1, Actor: i, Weights: out})
}
