package forecast

import (
	"math"
	"slices"
	"sort"
)

// model is a forecast under way, its actors in canonical order (see
// canonical): index i here is actor perm[i] of the caller's list.
type model struct {
	perm    []int // canonical index → caller's index
	id      []string
	c, s, w []float64 // capability, salience, and their product
	x       []float64 // current positions
	scale   float64   // the length distances are divided by
	q       float64
	variant Variant
}

func newModel(actors []Actor, perm []int, opt Options) *model {
	n := len(actors)
	m := &model{
		perm: perm, id: make([]string, n),
		c: make([]float64, n), s: make([]float64, n), w: make([]float64, n),
		x: make([]float64, n), q: opt.Q, variant: opt.Variant,
	}
	for i, k := range perm {
		a := actors[k]
		m.id[i], m.c[i], m.s[i], m.x[i] = a.ID, a.Capability, a.Salience, a.Position
		m.w[i] = a.Capability * a.Salience
	}
	if opt.Hi > opt.Lo {
		m.scale = opt.Hi - opt.Lo
	} else {
		m.scale = slices.Max(m.x) - slices.Min(m.x)
	}
	if m.scale == 0 {
		// Every actor at one position: no distance to measure, and no
		// offer is ever made. Any positive length keeps the arithmetic
		// finite.
		m.scale = 1
	}
	return m
}

// snapshot reports the current positions as round k, in the caller's
// order.
func (m *model) snapshot(k int, risk []float64, offers, moves []Move) Round {
	n := len(m.x)
	r := Round{Round: k, Positions: make([]float64, n)}
	for i, p := range m.perm {
		r.Positions[p] = m.x[i]
	}
	r.Mean = weightedMean(m.x, m.w)
	r.Median = weightedMedian(m.x, m.w)
	if risk != nil {
		r.Risk = make([]float64, n)
		for i, p := range m.perm {
			r.Risk[p] = risk[i]
		}
	}
	r.Offers = m.toCaller(offers)
	r.Moves = m.toCaller(moves)
	return r
}

// toCaller renumbers moves from canonical to the caller's indices and
// sorts them by receiver, then offerer.
func (m *model) toCaller(moves []Move) []Move {
	if len(moves) == 0 {
		return nil
	}
	out := make([]Move, len(moves))
	for i, mv := range moves {
		mv.Actor, mv.From = m.perm[mv.Actor], m.perm[mv.From]
		out[i] = mv
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Actor != out[b].Actor {
			return out[a].Actor < out[b].Actor
		}
		return out[a].From < out[b].From
	})
	return out
}

// pass is one evaluation of every contest: the positions and risk
// exponents it uses, the median μ the status-quo terms measure from, and
// what it computes once for all contests.
type pass struct {
	m   *model
	x   []float64
	r   []float64
	mu  float64
	u   []float64 // u[k*n+j]: actor k's utility loss from j's position (util)
	den float64   // Scholz's normaliser of the probabilities (see prob)
}

func (m *model) newPass(x, r []float64, mu float64) *pass {
	n := len(x)
	pa := &pass{m: m, x: x, r: r, mu: mu, u: make([]float64, n*n)}
	for k := range n {
		for j := range n {
			pa.u[k*n+j] = pa.util(k, x[j])
		}
	}
	if m.variant == Scholz {
		pa.den = pa.allVotes()
	}
	return pa
}

// moved is the pass with actor b moved to y, the others where they are
// (for Bueno de Mesquita's security levels). Only b's row and column of
// the utilities change; it has no normaliser (that variant needs none).
func (pa *pass) moved(b int, y float64) *pass {
	n := len(pa.x)
	q := &pass{m: pa.m, x: slices.Clone(pa.x), r: pa.r, mu: pa.mu, u: slices.Clone(pa.u)}
	q.x[b] = y
	for j := range n {
		q.u[b*n+j] = q.util(b, q.x[j])
		q.u[j*n+b] = q.util(j, y)
	}
	return q
}

// util is actor k's utility loss from position y, (|x_k − y|/scale)^r_k,
// the quantity votes compare.
func (pa *pass) util(k int, y float64) float64 {
	return math.Pow(math.Abs(pa.x[k]-y)/pa.m.scale, pa.r[k])
}

// vote is actor k's vote for i's position over j's (Scholz et al.
// §4): c_k s_k [(|x_k − x_j|/d)^r_k − (|x_k − x_i|/d)^r_k], positive
// when k prefers i's.
func (pa *pass) vote(k, i, j int) float64 {
	row := pa.u[k*len(pa.x):]
	return pa.m.w[k] * (row[j] - row[i])
}

// allVotes is the normaliser of Scholz's probabilities: the sum over
// every voter k and every ordered pair of actors' positions (a, b) of
// |v_k(a, b)|. For each voter the pairwise sum is computed from its
// sorted utilities: Σ_a Σ_b |u_a − u_b| = 2 Σ_i u_(i) (2i − n + 1), u
// sorted ascending.
func (pa *pass) allVotes() float64 {
	n := len(pa.x)
	u := make([]float64, n)
	total := 0.0
	for k := range n {
		if pa.m.w[k] == 0 {
			continue
		}
		copy(u, pa.u[k*n:(k+1)*n])
		slices.Sort(u)
		sum := 0.0
		for i, v := range u {
			sum += v * float64(2*i-n+1)
		}
		total += pa.m.w[k] * 2 * sum
	}
	return total
}

// prob is the probability that i prevails over j in a contest between
// them: the votes for i over j, over a normaliser. Scholz's normaliser is
// the sum of every actor's votes over every pair of positions (allVotes),
// so that the probabilities of a pair need not sum to one; Bueno de
// Mesquita's is the sum of all votes in this contest, so that
// prob(i, j) + prob(j, i) = 1.
func (pa *pass) prob(i, j int) float64 {
	if pa.x[i] == pa.x[j] {
		return 0
	}
	num, den := 0.0, 0.0
	for k := range pa.x {
		v := pa.vote(k, i, j)
		num += math.Max(0, v)
		den += math.Abs(v)
	}
	if pa.m.variant == Scholz {
		den = pa.den
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// eu is actor i's expected utility of challenging j, as actor p sees it
// (with p's risk exponent): Scholz et al. eqs. 15–25.
//
//	EU = s_j [P U_s + (1−P) U_f] + (1−s_j) U_s − Q U_sq − (1−Q) [T U_b + (1−T) U_w]
func (pa *pass) eu(p, i, j int) float64 {
	m := pa.m
	r := pa.r[p]
	d := math.Abs(pa.x[i]-pa.x[j]) / m.scale
	us := 2 - 4*math.Pow(0.5-0.5*d, r)
	uf := 2 - 4*math.Pow(0.5+0.5*d, r)
	usq := 2 - 4*math.Pow(0.5, r)
	prob := pa.prob(i, j)
	e := m.s[j]*(prob*us+(1-prob)*uf) + (1-m.s[j])*us - m.q*usq
	if m.q < 1 {
		dmu := math.Abs(pa.x[i] - pa.mu)
		dij := math.Abs(pa.x[i] - pa.x[j])
		g := (dmu + dij) / m.scale
		ub := 2 - 4*math.Pow(0.5-0.25*g, r)
		uw := 2 - 4*math.Pow(0.5+0.25*g, r)
		t := 0.0
		if dmu < dij {
			t = 1
		}
		e -= (1 - m.q) * (t*ub + (1-t)*uw)
	}
	return e
}

// danger is the sum of the expected utilities of every other actor's
// challenge to b, as b sees them: b's security level, high when b's
// position invites challenges.
func (pa *pass) danger(b int) float64 {
	sum := 0.0
	for o := range pa.x {
		if o != b {
			sum += pa.eu(b, o, b)
		}
	}
	return sum
}

// riskExponents computes every actor's risk exponent for the round from
// its security level (Scholz et al. §5, eqs. 32–33), the expected utilities
// computed with every exponent 1:
//
//	R_i = (2 D_i − D_max − D_min) / (D_max − D_min),  r_i = (1 − R_i/3) / (1 + R_i/3)
//
// so r_i runs from 1/2 (the most endangered) to 2 (the safest). Scholz
// takes D_max and D_min over the actors; Bueno de Mesquita over the
// positions actor i could have held (the positions held this round), the
// others and the median μ staying put. When D_max = D_min, R_i = 0 and r_i = 1.
func (m *model) riskExponents() []float64 {
	n := len(m.x)
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	mu := weightedMedian(m.x, m.w)
	risk := make([]float64, n)
	exponent := func(d, lo, hi float64) float64 {
		if !(hi > lo) {
			return 1
		}
		big := (2*d - hi - lo) / (hi - lo)
		return (1 - big/3) / (1 + big/3)
	}
	switch m.variant {
	case BDM:
		held := slices.Clone(m.x)
		slices.Sort(held)
		held = slices.Compact(held)
		pa := m.newPass(m.x, ones, mu)
		for b := range n {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, y := range held {
				d := pa.moved(b, y).danger(b)
				lo, hi = math.Min(lo, d), math.Max(hi, d)
			}
			risk[b] = exponent(pa.danger(b), lo, hi)
		}
	default:
		pa := m.newPass(m.x, ones, mu)
		d := make([]float64, n)
		for b := range n {
			d[b] = pa.danger(b)
		}
		lo, hi := slices.Min(d), slices.Max(d)
		for b := range n {
			risk[b] = exponent(d[b], lo, hi)
		}
	}
	return risk
}

// offer is what receiver a makes of offerer o's challenge, from a's point
// of view: ei is a's expected utility of challenging o, ej o's of
// challenging a. ok is false when a expects nothing of o that would move
// it.
func (m *model) offer(pa *pass, a, o int) (Move, bool) {
	ei, ej := pa.eu(a, a, o), pa.eu(a, o, a)
	mv := Move{Actor: a, From: o, EUChallenge: ej, EUChallenged: ei}
	switch {
	case ej > ei && ei > 0:
		// Both would challenge, o expects more: a expects to lose the
		// confrontation and gives way.
		mv.Kind, mv.To = Confrontation, pa.x[o]
	case ej > 0 && ei < 0 && ej > -ei:
		// a would lose by resisting, less than o gains: it concedes
		// the fraction |ei/ej| of the distance.
		mv.Kind, mv.To = Compromise, pa.x[a]+(pa.x[o]-pa.x[a])*(-ei/ej)
	case ej > 0 && ei < 0:
		// a would lose by resisting at least as much as o gains: it
		// gives in entirely.
		mv.Kind, mv.To = Capitulation, pa.x[o]
	default:
		return mv, false
	}
	return mv, true
}

// play runs one round with the given risk exponents: every actor
// receives the offers of the others, picks one, and all move at once. It
// returns the offers, the moves taken and the new positions.
func (m *model) play(risk []float64) (offers, moves []Move, next []float64) {
	n := len(m.x)
	pa := m.newPass(m.x, risk, weightedMedian(m.x, m.w))
	next = slices.Clone(m.x)
	for a := range n {
		var got []Move
		for o := range n {
			// Nothing to contest with an actor at the same position;
			// and an actor without capability cannot back a challenge
			// (docs/forecast.md, "Offers").
			if o == a || m.x[o] == m.x[a] || m.c[o] == 0 {
				continue
			}
			if mv, ok := m.offer(pa, a, o); ok {
				got = append(got, mv)
			}
		}
		if len(got) == 0 {
			continue
		}
		offers = append(offers, got...)
		best := m.choose(got)
		moves = append(moves, best)
		next[a] = best.To
	}
	return offers, moves, next
}

// choose picks the offer an actor takes among those it received (at
// least one).
//
// Scholz: a confrontation if any, the nearest; else a compromise, the one
// whose EU-weighted midpoint (|ei| x_a + |ej| x_o)/(|ei| + |ej|) is least;
// else a capitulation, the nearest. This is the rule of Scholz et al.'s
// code, which their published figures follow (docs/forecast.md).
//
// BDM: the offer that moves the actor least, whatever its kind.
//
// Ties go to the more confrontational kind, then to the offerer with the
// larger expected utility, then to the lower position, then to the
// offerer first in canonical order.
func (m *model) choose(got []Move) Move {
	key := func(mv Move) float64 {
		xa := m.x[mv.Actor]
		if m.variant == Scholz && mv.Kind == Compromise {
			ei, ej := math.Abs(mv.EUChallenged), math.Abs(mv.EUChallenge)
			return (ei*xa + ej*m.x[mv.From]) / (ei + ej)
		}
		return math.Abs(mv.To - xa)
	}
	less := func(a, b Move) bool {
		if m.variant == Scholz && a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if ka, kb := key(a), key(b); ka != kb {
			return ka < kb
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.EUChallenge != b.EUChallenge {
			return a.EUChallenge > b.EUChallenge
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.From < b.From
	}
	best := got[0]
	for _, mv := range got[1:] {
		if less(mv, best) {
			best = mv
		}
	}
	return best
}
