package story

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// class is what a line of the full telling tells, which decides how the
// shorter tellings keep it.
type class int

const (
	// classChange is a change of state, or a decision about one: a deal
	// signed or broken, a walk-out, a rescue, a resumption, an ultimatum,
	// a strike, a strike weighed with a new pretext. Every telling keeps
	// these, with their reasons.
	classChange class = iota
	// classRound is an offer and its answers, a failed attempt to bring
	// a walker back, or a walker kept at the table: the digest folds
	// alike ones into one line with their count.
	classRound
	// classPass is a proposer that proposed nothing.
	classPass
	// classEvent is a scenario event (a provocation, a summit, an
	// election).
	classEvent
	// classNote is a strike weighed and not taken.
	classNote
)

// item is one line of the full telling and what it tells.
type item struct {
	turn  int
	line  string
	class class
	step  *Step // nil for a pass or a weighed strike
	delib *Deliberation
	// passer names, in running text, the proposer of a pass line.
	passer string
	// tension and trust as they were before the line
	tension, trust float64
}

// told is a whole run told line by line, turn by turn.
type told struct {
	tl    *teller
	turns [][]item // turns[i] are the lines of nr.Turns[i]
	// toldEnd says the digest told the signing of the deal in force at
	// the end, so the ending need not repeat its terms.
	toldEnd bool
}

func tellAll(nr Narration) *told {
	tl := newTeller(nr)
	td := &told{tl: tl}
	for i := range tl.nr.Turns {
		td.turns = append(td.turns, tl.items(&tl.nr.Turns[i]))
	}
	return td
}

// round is one offer and its answers, as the digest folds them.
type round struct {
	offer   item
	answers []item
}

// rounds splits a turn's round lines into rounds: an offer (a proposal,
// a mediator's compromise or its finding that none exists, a reopening
// that failed, a walker kept at the table) and the answers that follow.
func rounds(items []item) []round {
	var rs []round
	for _, it := range items {
		if it.class != classRound {
			continue
		}
		if it.step != nil && it.step.raw.Kind == sim.StepResponse && len(rs) > 0 {
			rs[len(rs)-1].answers = append(rs[len(rs)-1].answers, it)
			continue
		}
		rs = append(rs, round{offer: it})
	}
	return rs
}

// offerKind names what an offer is, for folding: a compromise, a step, a
// package, or another kind of move.
func offerKind(s *Step) string {
	switch {
	case s.raw.Partial:
		return "step"
	case s.raw.Kind == sim.StepMediation:
		return "compromise"
	case s.raw.Kind == sim.StepProposal:
		return "package"
	}
	return s.raw.Kind.String()
}

// key says which rounds the digest folds together: the same proposer
// making the same kind of offer (a compromise, a step, a package; backed
// or not), answered yes or no by the same actors.
func (r round) key() string {
	var b strings.Builder
	if s := r.offer.step; s != nil {
		fmt.Fprintf(&b, "%s|%s|%v|%s", s.Actor, offerKind(s), s.raw.Backed, s.Target)
	}
	for _, a := range r.answers {
		fmt.Fprintf(&b, "|%s:%v", a.step.Actor, a.step.raw.Accepted)
	}
	return b.String()
}

// group is the rounds of a chapter that fold together.
type group struct {
	key    string
	rounds []round
}

// chapter is a span of turns up to and including a change of state (or
// the end): its rounds folded into groups, its passes counted, its events
// and strike deliberations listed, then the change told whole.
type chapter struct {
	from, to  int // turns
	groups    []*group
	passes    map[string]int
	passOrder []string
	events    []item
	notes     []item // strikes weighed and not taken
	quiet     int    // turns without talks
	// the tension and trust before the chapter and before its change
	tension0, trust0, tension1, trust1 float64
	// changes hold the changes of state that end the chapter, each with
	// the round that led to it: a chapter ends at a change that is not
	// followed by another the next month.
	changes []changeAt
}

// changeAt is what changed in one turn.
type changeAt struct {
	turn  int
	items []item
}

func (c *chapter) empty() bool {
	return len(c.groups) == 0 && len(c.passes) == 0 && len(c.events) == 0 && len(c.notes) == 0 && c.quiet == 0 && len(c.changes) == 0
}

func (c *chapter) cover(turn int) {
	if c.from == 0 || turn < c.from {
		c.from = turn
	}
	c.to = max(c.to, turn)
}

// add folds a line that is not part of a round into the chapter.
func (c *chapter) add(it item) {
	c.cover(it.turn)
	switch it.class {
	case classEvent:
		c.events = append(c.events, it)
	case classPass:
		id := it.passer
		if c.passes == nil {
			c.passes = map[string]int{}
		}
		if c.passes[id] == 0 {
			c.passOrder = append(c.passOrder, id)
		}
		c.passes[id]++
	case classNote:
		c.notes = append(c.notes, it)
	}
}

func (c *chapter) addRound(r round) {
	c.cover(r.offer.turn)
	k := r.key()
	for _, g := range c.groups {
		if g.key == k {
			g.rounds = append(g.rounds, r)
			return
		}
	}
	c.groups = append(c.groups, &group{key: k, rounds: []round{r}})
}

// leadUp returns the indices of the round that led straight to the
// change at items[k]: the offer and answers just before a signing.
func leadUp(items []item, k int) []int {
	s := items[k].step
	if s == nil || s.raw.Kind != sim.StepAgreement {
		return nil
	}
	var idx []int
	for j := k - 1; j >= 0 && (items[j].class == classRound || items[j].class == classPass); j-- {
		if items[j].class == classPass {
			continue // a proposer's pass told between the answers and the signing
		}
		if items[j].step == nil || items[j].step.raw.Kind != sim.StepResponse {
			break // the offer: the signing names its terms
		}
		idx = append(idx, j)
	}
	slices.Reverse(idx)
	return idx
}

// newDigest folds the told run into chapters, keeping turns from..to (0:
// no limit).
func newDigest(td *told, from, to int) []*chapter {
	nr := td.tl.nr
	var chapters []*chapter
	cur := &chapter{}
	state := func(i int) (float64, float64) {
		if i > 0 {
			return nr.Turns[i-1].State.Tension, nr.Turns[i-1].State.Trust
		}
		return nr.tension0, nr.trust0
	}
	fold := func(items []item) {
		for _, r := range rounds(items) {
			cur.addRound(r)
		}
		for _, it := range items {
			if it.class != classRound && it.class != classChange {
				cur.add(it)
			}
		}
	}
	in := func(t *Turn) bool { return (from <= 0 || t.Turn >= from) && (to <= 0 || t.Turn <= to) }
	var changeTurns []int
	for i, items := range td.turns {
		if in(&nr.Turns[i]) && slices.ContainsFunc(items, func(it item) bool { return it.class == classChange }) {
			changeTurns = append(changeTurns, nr.Turns[i].Turn)
		}
	}
	for i, items := range td.turns {
		t := &nr.Turns[i]
		if !in(t) {
			continue
		}
		if cur.empty() {
			cur.tension0, cur.trust0 = state(i)
		}
		if len(items) == 0 && !t.State.Talks {
			cur.quiet++
			cur.cover(t.Turn)
		}
		k := slices.Index(changeTurns, t.Turn)
		if k < 0 {
			fold(items)
			if len(cur.changes) == 0 {
				cur.tension1, cur.trust1 = t.State.Tension, t.State.Trust
			}
			continue
		}
		keep := make([]bool, len(items))
		for j, it := range items {
			if it.class == classChange {
				keep[j] = true
				for _, l := range leadUp(items, j) {
					keep[l] = true
				}
			}
		}
		ch := changeAt{turn: t.Turn}
		var rest []item
		for j, it := range items {
			if keep[j] {
				ch.items = append(ch.items, it)
			} else {
				rest = append(rest, it)
			}
		}
		if len(cur.changes) == 0 {
			cur.tension1, cur.trust1 = state(i)
		}
		cur.changes = append(cur.changes, ch)
		fold(rest)
		cur.cover(t.Turn)
		if t.Turn == nr.EndTurn && nr.Outcome == sim.Agreement.String() {
			td.toldEnd = true
		}
		if k+1 < len(changeTurns) && changeTurns[k+1] <= t.Turn+1 {
			continue // the next change comes soon: one chapter tells both
		}
		chapters = append(chapters, cur)
		cur = &chapter{}
		cur.tension0, cur.trust0 = t.State.Tension, t.State.Trust
		cur.tension1, cur.trust1 = t.State.Tension, t.State.Trust
	}
	if !cur.empty() {
		chapters = append(chapters, cur)
	}
	return chapters
}
