package actors

import (
	"slices"
)

// Belief is what an actor believes about the conflict lottery in one run:
// its chance of prevailing, its own cost of fighting, and how resolved a
// striker facing it is (the striker's cost of fighting), each within a
// bounded distance of the truth (Fearon 1995: private information about
// capability and resolve; the errors are the actor's own, drawn once per
// run).
//
// With spread s and hawkishness h, the believed chance of prevailing is
//
//	p̂ = clamp01(p + s·(ErrPrevail + h))
//
// the believed cost of fighting
//
//	ĉ = c · max(0, 1 + s·(ErrCost − h))
//
// and a striker's believed cost of fighting, when its truth is c_k,
//
//	ĉ_k = c_k · max(0, 1 + s·(ErrResolve + h))
//
// where the errors lie in [−1, 1]. The random part of each error is at
// most one spread; hawkishness tilts all three toward optimism (the other
// side would pay more for a war) by at most one spread more. With s = 0
// the actor knows the truth whatever its hawkishness.
type Belief struct {
	Spread     float64
	ErrPrevail float64
	ErrCost    float64
	ErrResolve float64
}

// Prevail returns the believed chance of prevailing when the truth is p and
// the actor's hawkishness h.
func (b Belief) Prevail(p, h float64) float64 {
	return min(max(p+b.Spread*(b.ErrPrevail+h), 0), 1)
}

// Cost returns the believed cost of fighting when the truth is c and the
// actor's hawkishness h.
func (b Belief) Cost(c, h float64) float64 {
	return c * max(0, 1+b.Spread*(b.ErrCost-h))
}

// Resolve returns the believed cost of fighting of a striker whose true
// cost is c, for an actor of hawkishness h.
func (b Belief) Resolve(c, h float64) float64 {
	return c * max(0, 1+b.Spread*(b.ErrResolve+h))
}

// RevealCapability removes the random part of the belief about the chance
// of prevailing: a test has shown the balance of capabilities. The
// hawkish tilt stays; it is how the actor reads what it sees.
func (b *Belief) RevealCapability() { b.ErrPrevail = 0 }

// RevealResolve removes the random part of the belief about the cost of
// fighting: a refused ultimatum has shown how hard the other side would
// fight.
func (b *Belief) RevealResolve() { b.ErrCost = 0 }

// StrikeChance is the chance, as others reckon it, that an actor whose
// beliefs they do not know would find striking worth more than margin (on
// its raw utility scale): the probability over ErrPrevail and ErrCost,
// independent and uniform on [−1, 1], that
//
//	p̂·span − ĉ·keep > margin
//
// with p̂ and ĉ as in Belief for truth p and c, spread s and hawkishness h;
// span is the actor's range of raw utility (best − worst package) and keep
// the share of its cost it pays (1 − the pretext's share when it has a
// pretext). margin is the value it must beat less its worst package's. The
// result is exact: the inner probability over ErrCost is piecewise linear
// in ErrPrevail, and each piece is integrated at its midpoint.
func StrikeChance(p, c, s, h, span, keep, margin float64) float64 {
	cost := c * keep
	// ĉ·keep = max(0, a + b·V) for V uniform on [−1, 1].
	a, b := cost*(1-s*h), cost*s
	belief := Belief{Spread: s}
	// Breakpoints of the integrand in u: where p̂ reaches 0 or 1, and where
	// p̂·span − margin crosses 0, a − b or a + b.
	var buf [7]float64
	pts := append(buf[:0], -1, 1)
	if s > 0 {
		for _, prevail := range [...]float64{0, 1, margin / span, (a - b + margin) / span, (a + b + margin) / span} {
			if u := (prevail-p)/s - h; u > -1 && u < 1 {
				pts = append(pts, u)
			}
		}
	}
	slices.Sort(pts)
	total := 0.0
	for i := 1; i < len(pts); i++ {
		lo, hi := pts[i-1], pts[i]
		if hi <= lo {
			continue
		}
		belief.ErrPrevail = (lo + hi) / 2
		total += (hi - lo) * costBelow(belief.Prevail(p, h)*span-margin, a, b)
	}
	return total / 2
}

// costBelow returns P(max(0, a + b·V) < y) for V uniform on [−1, 1].
func costBelow(y, a, b float64) float64 {
	switch {
	case y <= 0:
		return 0
	case b == 0:
		if a < y {
			return 1
		}
		return 0
	}
	return min(max(((y-a)/b+1)/2, 0), 1)
}

// Preventive returns the loss an actor expects from waiting while power
// shifts against it: its war value falls by drift each turn, and discounted
// at delta over the turns to come the fall is worth
//
//	drift · δ/(1 − δ)
//
// now (Powell 2006: the declining side fights when what it would lose by
// waiting outweighs its share of what war would destroy). It is capped at
// most, the most there is to lose.
func Preventive(drift, delta, most float64) float64 {
	if drift <= 0 || delta <= 0 {
		return 0
	}
	return min(drift*delta/(1-delta), most)
}

// TalkValue returns what one more turn of talks is worth to an actor whose
// own value of talks is v, at hawkishness h and tension t: a hawkish
// government pays at home for talking while tension is high.
func TalkValue(v, h, t float64) float64 { return v - h*t }

// BreaksDeal reports whether a signatory breaks the deal in force, worth
// deal to it each turn. Keeping it, it has the deal this turn and, from the
// next, the deal again if the others keep it too, which it believes with
// probability trust, or else no agreement (noDeal: what stands after a
// collapse). Breaking it, it enjoys cheat (the deal with its own
// concessions withdrawn) this turn, then no agreement for good, less what
// the mediator makes it pay for breaking a deal the mediator backs
// (enforcement). With a per-turn discount factor δ, and each value counted
// as a share of the discounted stream,
//
//	keep  = (1 − δ)·deal  + δ·(trust·deal + (1 − trust)·noDeal)
//	break = (1 − δ)·cheat + δ·(noDeal − enforcement)
//
// and it breaks the deal when break > keep: when the one turn's gain
// (1 − δ)·(cheat − deal) outweighs what it stands to lose from then on,
// δ·(trust·(deal − noDeal) + enforcement). This is the shadow of the
// future of the repeated-game literature (Axelrod 1984; Downs, Rocke and
// Barsoom 1996, with the one-shot deviation test).
func BreaksDeal(deal, cheat, noDeal, enforcement, trust, delta float64) bool {
	keep, brk := DealValues(deal, cheat, noDeal, enforcement, trust, delta)
	return brk > keep
}

// DealValues returns the two values BreaksDeal compares.
func DealValues(deal, cheat, noDeal, enforcement, trust, delta float64) (keep, brk float64) {
	keep = (1-delta)*deal + delta*(trust*deal+(1-trust)*noDeal)
	brk = (1-delta)*cheat + delta*(noDeal-enforcement)
	return keep, brk
}

// ReturnChance is the chance that a signatory that walked out comes back
// to the table at the mediator's urging. The signatory returns when the
// mediator's pull (its leverage over it times its goodwill toward it)
// exceeds the face it would lose by returning, taken to be uniform between
// nothing and the tension: min(1, leverage·goodwill / tension).
func ReturnChance(leverage, goodwill, tension float64) float64 {
	pull := leverage * goodwill
	switch {
	case pull <= 0:
		return 0
	case tension <= 0:
		return 1
	}
	return min(pull/tension, 1)
}
