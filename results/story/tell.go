package story

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Length is how long a telling is.
type Length int

const (
	// Digest is the default: alike rounds folded into one line with
	// their count, every change of state told with its reason.
	Digest Length = iota
	// Brief is one paragraph: how the run went and why it ended as it did.
	Brief
	// Full is every turn, every offer and every answer.
	Full
)

// digestWords is the length a digest aims to stay within: a projector
// page, or about four minutes read aloud.
const digestWords = 600

// TellOptions choose how a run is told.
type TellOptions struct {
	Length Length
	// From and To restrict the digest and the full telling to turns
	// From..To (0 for no limit).
	From, To int
	// NoHeader leaves out the run's title, the question and who the
	// actors are, for a page that shows them already.
	NoHeader bool
}

// Tell writes nr at the length and over the span o asks for. Every
// length is told from the same lines of the full telling: the digest
// tells every change of state (a signing, a violation, a walk-out, a
// resumption, an ultimatum, a stand-down, a strike) in its month with the
// values the actor compared, and folds the rounds between them into a
// line per kind of offer with its count; the brief tells the changes in a
// clause each.
func Tell(w io.Writer, nr Narration, o TellOptions) error {
	td := tellAll(nr)
	p := &textWriter{w: w}
	switch o.Length {
	case Brief:
		p.printf("%s\n", td.brief())
	case Full:
		if !o.NoHeader {
			td.header(p, true)
		}
		td.full(p, o.From, o.To)
		td.ending(p, true)
	default:
		// The digest drops detail until it fits a projector page; the
		// header and the ending are the same at every detail.
		chapters := newDigest(td, o.From, o.To)
		var head, end, body strings.Builder
		if !o.NoHeader {
			td.header(&textWriter{w: &head}, false)
		}
		td.ending(&textWriter{w: &end}, false)
		fixed := len(strings.Fields(head.String())) + len(strings.Fields(end.String()))
		for detail := 2; detail >= -2; detail-- {
			body.Reset()
			td.writeDigest(&textWriter{w: &body}, chapters, detail)
			if fixed+len(strings.Fields(body.String())) <= digestWords {
				break
			}
		}
		p.printf("%s%s%s", head.String(), body.String(), end.String())
	}
	return p.flush()
}

// RoleName is a role in prose: "signatory", "mediator", or for the rest
// "takes part, signs nothing".
func RoleName(role string) string {
	if role == "other" {
		return "takes part, signs nothing"
	}
	return role
}

// strategyGloss says in a few words what a concession strategy does
// (docs/model.md §7).
func strategyGloss(kind string) string {
	switch kind {
	case scenarios.Boulware:
		return "holds firm and concedes near its deadline"
	case scenarios.Linear:
		return "concedes steadily toward its deadline"
	case scenarios.Conceder:
		return "concedes early"
	case scenarios.TitForTat:
		return "matches the other side's concessions"
	case scenarios.Hardliner:
		return "holds to a fixed demand"
	case scenarios.Staller:
		return "values the talks themselves and concedes only to stop a walk-out"
	}
	return kind
}

// outcomeName names the outcome: "agreement (a step only)" when the deal
// in force is a step.
func outcomeName(nr *Narration) string {
	if nr.Outcome == sim.Agreement.String() && nr.Partial {
		return "agreement (a step only)"
	}
	return nr.Outcome
}

// span names turns from..to: "May 2018 – September 2020", "turns 2–30",
// "June 2018", "turn 7".
func (tl *teller) span(from, to int) string {
	a, b := monthLabel(tl.sc.Start, from), monthLabel(tl.sc.Start, to)
	switch {
	case from == to && a != "":
		return a
	case from == to:
		return fmt.Sprintf("Turn %d", from)
	case a != "":
		if fy, ty := a[strings.LastIndex(a, " ")+1:], b[strings.LastIndex(b, " ")+1:]; fy == ty {
			a = a[:strings.LastIndex(a, " ")]
		}
		return a + " – " + b
	}
	return fmt.Sprintf("Turns %d–%d", from, to)
}

// shortMonth names a turn briefly ("Jul 2018", "turn 7").
func (tl *teller) shortMonth(t int) string {
	if m, ok := scenarios.MonthOf(tl.sc.Start, t); ok {
		return m.Format("Jan 2006")
	}
	return fmt.Sprintf("turn %d", t)
}

// times says how often: "once", "twice", "three times", "14 times".
func times(n int) string {
	words := []string{"", "once", "twice", "three times", "four times", "five times", "six times", "seven times",
		"eight times", "nine times", "ten times", "eleven times", "twelve times"}
	if n < len(words) {
		return words[n]
	}
	return fmt.Sprintf("%d times", n)
}

// writeDigest tells the run chapter by chapter: the rounds of each
// chapter folded into a line per kind of offer with their count, then the
// changes of state that ended it, each in its month with its reason.
//
// detail is how much of the rounds it tells: 2 the two most frequent
// groups of each chapter, 1 the most frequent, 0 only that of the chapter
// with the most rounds (the others only counted), -1 not the passes
// either, -2 no group at all; [Tell] lowers it until the digest fits a
// projector page.
func (td *told) writeDigest(p *textWriter, chapters []*chapter, detail int) {
	tl := td.tl
	described := map[string]bool{}
	// At the least detail the chapter with the most rounds still tells
	// its most frequent group: what held the talks up longest.
	var longest *chapter
	most := 0
	for _, c := range chapters {
		n := 0
		for _, g := range c.groups {
			n += len(g.rounds)
		}
		if n > most {
			longest, most = c, n
		}
	}
	for _, c := range chapters {
		limit := detail
		if limit < 1 && detail >= -1 && c == longest {
			limit = 1
		}
		head := tl.span(c.from, c.to)
		if n := c.to - c.from + 1; n > 1 {
			head += fmt.Sprintf(" (%d months)", n)
		}
		if tl.sc.Start == "" && c.from == c.to {
			head = fmt.Sprintf("Turn %d", c.from)
		}
		p.printf("%s\n", head)
		// Repeated rounds are told group by group, the most frequent
		// first, as many as the detail allows; single rounds and the
		// rest are summed up in a line.
		var shown, rest []*group
		groups := slices.Clone(c.groups)
		slices.SortStableFunc(groups, func(a, b *group) int { return len(b.rounds) - len(a.rounds) })
		for _, g := range groups {
			if len(g.rounds) > 1 && len(shown) < limit {
				shown = append(shown, g)
			} else {
				rest = append(rest, g)
			}
		}
		for _, g := range shown {
			p.printf("  %s\n", tl.groupLine(g, described))
		}
		if len(rest) > 0 {
			p.printf("  %s\n", tl.restLine(rest, len(shown) > 0))
		}
		if l := tl.passesLine(c); l != "" && detail >= 0 {
			p.printf("  %s\n", l)
		}
		for _, it := range c.notes {
			p.printf("  %s\n", tl.noteLine(it))
		}
		if l := tl.eventsLine(c.events, detail); l != "" {
			p.printf("  %s\n", l)
		}
		if c.quiet > 0 {
			p.printf("  No talks for %s.\n", Count(c.quiet, "month", "months"))
		}
		if moves := strings.TrimSuffix(shift("Tension", c.tension0, c.tension1)+shift("trust", c.trust0, c.trust1), ", "); moves != "" {
			p.printf("  %s.\n", capWord(moves))
		}
		for _, ch := range c.changes {
			when := monthLabel(tl.sc.Start, ch.turn)
			if when == "" {
				when = fmt.Sprintf("Turn %d", ch.turn)
			}
			p.printf("  %s:\n", when)
			for _, l := range tl.changeLines(ch.items) {
				p.printf("    %s\n", l)
			}
		}
	}
}

// offerKey names an offer: who made it, what, and whether a step.
func offerKey(s *Step) string {
	return fmt.Sprintf("%v|%s|%v|%v", s.raw.Kind, s.Actor, s.pkg, s.raw.Partial)
}

// groupLine tells a group of rounds in one line: who offered what and
// how often (the terms named the first time the digest meets them), who
// took it and who refused, and why, in the figures of the last round.
func (tl *teller) groupLine(g *group, described map[string]bool) string {
	last := g.rounds[len(g.rounds)-1]
	n := len(g.rounds)
	var b strings.Builder
	b.WriteString(tl.offerPhrase(g, described))
	if len(last.answers) == 0 {
		return b.String() + "."
	}
	var yes, no []string
	var why []string
	for _, a := range last.answers {
		who := tl.obj(a.step.Actor)
		if a.step.raw.Accepted {
			yes = append(yes, who)
			continue
		}
		no = append(no, who)
		why = append(why, fmt.Sprintf("%s %s", who, tl.reason(a.step)))
	}
	each := ""
	if n > 1 {
		each = " each time"
	}
	it := "it"
	if n > 1 && distinct(g) > 1 {
		it = "them"
	}
	var parts []string
	if len(yes) > 0 {
		parts = append(parts, fmt.Sprintf("%s took %s", AndList(yes), it))
	}
	if len(no) > 0 {
		parts = append(parts, fmt.Sprintf("%s refused %s%s", AndList(no), it, each))
	}
	b.WriteString(": " + strings.Join(parts, "; "))
	if len(why) > 0 {
		lastTime := ""
		if n > 1 {
			lastTime = fmt.Sprintf(" (the last time, %s)", tl.shortMonth(last.offer.turn))
		}
		fmt.Fprintf(&b, ". Why%s: %s", lastTime, strings.Join(why, "; "))
	}
	return b.String() + "."
}

// distinct counts the different packages offered in a group.
func distinct(g *group) int {
	seen := map[string]bool{}
	for _, r := range g.rounds {
		seen[fmt.Sprint(r.offer.step.pkg)] = true
	}
	return len(seen)
}

// reason says briefly why an actor refused: "found it worth 0.61, short
// of the 0.81 it asks".
func (tl *teller) reason(s *Step) string {
	r := s.raw
	switch {
	case r.Target >= 0:
		return "did not trust " + tl.obj(s.Target) + " to keep it"
	case r.Partial:
		v, d := pair(r.Value, r.NoDeal)
		return fmt.Sprintf("found it worth %s, no more than the %s of what stands", v, d)
	case r.Value < r.NoDeal:
		v, d := pair(r.Value, r.NoDeal)
		return fmt.Sprintf("found it worth %s, less than no agreement (%s)", v, d)
	case r.Value >= r.Aspiration:
		return "would rather keep talking: a deal would end talks it values"
	}
	v, a := pair(r.Value, r.Aspiration)
	return fmt.Sprintf("found it worth %s, short of the %s it asks", v, a)
}

// offerPhrase tells a group's offer: "China proposed a compromise 24
// times (exercises scaled down, denuclearization moratorium)".
func (tl *teller) offerPhrase(g *group, described map[string]bool) string {
	last := g.rounds[len(g.rounds)-1]
	s := last.offer.step
	who := tl.subj(s.Actor)
	n := len(g.rounds)
	often := ""
	if n > 1 {
		often = " " + times(n)
	}
	r := s.raw
	switch r.Kind {
	case sim.StepNoZone:
		return fmt.Sprintf("%s found no compromise every signatory prefers to no agreement%s", who, often)
	case sim.StepReopenFailed:
		return fmt.Sprintf("%s tried to bring %s back to the table and failed%s", who, tl.obj(s.Target), often)
	case sim.StepRescue:
		return fmt.Sprintf("%s kept %s at the table%s, spending its leverage: %s would have walked out, %s",
			who, tl.obj(s.Target), often, tl.obj(s.Target), rescueWhy(s, last.offer.turn))
	}
	noun := offerKind(s)
	var b strings.Builder
	k := distinct(g)
	switch {
	case k > 1:
		fmt.Fprintf(&b, "%s made %d different %s offers%s", who, k, noun, often)
		if noun == "compromise" {
			b.Reset()
			fmt.Fprintf(&b, "%s proposed %d different compromises", who, k)
		}
	default:
		fmt.Fprintf(&b, "%s proposed %s %s%s", who, aOrAn(noun), noun, often)
	}
	if r.Backed {
		if med := tl.sc.Protocol.Mediator; med >= 0 && r.Kind != sim.StepMediation {
			fmt.Fprintf(&b, ", backed by %s leverage", poss(tl.obj(tl.sc.Actors[med].ID)))
		} else {
			b.WriteString(", backed by its leverage")
		}
	}
	terms := tl.sc.Terms(s.pkg, "the status quo")
	switch {
	case described[offerKey(s)] && k == 1:
	case k > 1:
	default:
		fmt.Fprintf(&b, " (%s)", terms)
	}
	for _, r := range g.rounds {
		described[offerKey(r.offer.step)] = true
	}
	return b.String()
}

func aOrAn(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// rescueWhy says why a walker would have walked out.
func rescueWhy(s *Step, turn int) string {
	return fmt.Sprintf("%s, with talks costing it %.2f a month", pastDeadline(s.Deadline, turn), s.raw.Spent)
}

// restLine sums up the rounds a chapter does not tell group by group:
// "3 other rounds, each refused by North Korea or the United States".
func (tl *teller) restLine(rest []*group, other bool) string {
	var refusers, takers []string
	n := 0
	for _, g := range rest {
		for _, r := range g.rounds {
			n++
			for _, a := range r.answers {
				name := tl.obj(a.step.Actor)
				list := &refusers
				if a.step.raw.Accepted {
					list = &takers
				}
				if !slices.Contains(*list, name) {
					*list = append(*list, name)
				}
			}
		}
	}
	head := capWord(Count(n, "round", "rounds"))
	if other {
		head = capWord(Count(n, "other round", "other rounds"))
	}
	switch {
	case len(refusers) > 0 && n == 1:
		return fmt.Sprintf("%s, refused by %s.", head, orList(refusers))
	case len(refusers) > 0:
		return fmt.Sprintf("%s, each refused by %s.", head, orList(refusers))
	}
	return head + "."
}

// orList joins names with "or": "the United States or North Korea".
func orList(xs []string) string {
	if len(xs) < 2 {
		return AndList(xs)
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}

// noteLine tells a strike weighed and not taken, briefly.
func (tl *teller) noteLine(it item) string {
	d := it.delib
	if d == nil {
		return it.line
	}
	r := d.raw
	if r.Seat {
		return it.line
	}
	return fmt.Sprintf("In %s %s weighed a strike over %s, and did not strike: it believed a war worth %.2f to it, against %.2f for carrying on.",
		tl.shortMonth(it.turn), tl.obj(d.Actor), tl.pretextNote(tl.nr.turnAt(it.turn), r.Actor, r.Pretext), r.War+r.Preventive, r.Carry)
}

// passesLine tells who proposed nothing when its turn came, and how often.
func (tl *teller) passesLine(c *chapter) string {
	if len(c.passOrder) == 0 {
		return ""
	}
	var parts []string
	for _, who := range c.passOrder {
		parts = append(parts, fmt.Sprintf("%s %s", who, times(c.passes[who])))
	}
	return fmt.Sprintf("Passed when its turn came (no credible package was worth what it asks): %s.", AndList(parts))
}

// eventsLine lists a chapter's events by label with their months.
//
// With less detail, an event that came more than three times is counted
// with its first and last month.
func (tl *teller) eventsLine(events []item, detail int) string {
	if len(events) == 0 {
		return ""
	}
	var order []string
	when := map[string][]int{}
	for _, it := range events {
		l := tl.sc.Events[it.step.raw.Event].Label
		if when[l] == nil {
			order = append(order, l)
		}
		when[l] = append(when[l], it.turn)
	}
	var parts []string
	for _, l := range order {
		ts := when[l]
		if len(ts) > 3 && detail < 2 {
			parts = append(parts, fmt.Sprintf("%s (%d times, %s to %s)", l, len(ts), tl.shortMonth(ts[0]), tl.shortMonth(ts[len(ts)-1])))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", l, tl.months(ts)))
	}
	return "Events: " + strings.Join(parts, "; ") + "."
}

// brief tells the run in one paragraph: how it ended, the rounds that
// went the same way most often, each change of state in a clause, and
// the reason for the last one.
func (td *told) brief() string {
	tl, nr := td.tl, td.tl.nr
	var b strings.Builder
	fmt.Fprintf(&b, "Run %d of %s (seed %d) ended in %s on %s: %s.", nr.Run, nr.Scenario, nr.Seed,
		WithArticle(outcomeName(nr)), tl.when(nr.EndTurn), tl.outcomeNote())
	// The rounds that went the same way most often, refused.
	groups := map[string]*group{}
	var top *group
	for _, items := range td.turns {
		for _, r := range rounds(items) {
			k := r.key()
			if groups[k] == nil {
				groups[k] = &group{key: k}
			}
			g := groups[k]
			g.rounds = append(g.rounds, r)
			refused := false
			for _, a := range r.answers {
				refused = refused || (a.step.Accepted != nil && !*a.step.Accepted)
			}
			if refused && (top == nil || len(g.rounds) > len(top.rounds)) {
				top = g
			}
		}
	}
	if top != nil && len(top.rounds) > 1 {
		fmt.Fprintf(&b, " What held the talks up most often: %s", tl.groupLine(top, map[string]bool{}))
	}
	var clauses []string
	var last *item
	for _, items := range td.turns {
		for k := range items {
			it := &items[k]
			if c := tl.clause(it); c != "" {
				clauses = append(clauses, c)
				last = it
			}
		}
	}
	if n := len(clauses); n > 8 {
		clauses = append(clauses[:7], fmt.Sprintf("%d more changes", n-7))
	}
	if len(clauses) > 0 {
		fmt.Fprintf(&b, " On the way, %s.", AndList(clauses))
	}
	if last != nil && nr.Outcome != sim.Agreement.String() {
		b.WriteString(" " + last.line)
	}
	if nr.Outcome == sim.Agreement.String() {
		for _, items := range td.turns {
			for k, it := range items {
				if it.step == nil || it.step.raw.Kind != sim.StepAgreement || it.turn != nr.EndTurn {
					continue
				}
				var lead []item
				for _, j := range leadUp(items, k) {
					lead = append(lead, items[j])
				}
				if len(lead) > 0 {
					why := tl.changeLines(append(lead, it))
					if rest, ok := strings.CutPrefix(why[0], "All accepted: "); ok {
						fmt.Fprintf(&b, " It was signed because %s", rest)
					}
				}
			}
		}
	}
	return b.String()
}

// WithArticle puts the article before an outcome: "an agreement", "an
// agreement (a step only)", "a breakdown", "conflict".
func WithArticle(outcome string) string {
	switch {
	case strings.HasPrefix(outcome, "agreement"):
		return "an " + outcome
	case outcome == sim.Conflict.String():
		return outcome
	}
	return "a " + outcome
}

// clause tells a change of state in a clause ("North Korea walked out in
// March 2019"), or "" for a line that is not one.
func (tl *teller) clause(it *item) string {
	if it.class != classChange || it.step == nil {
		return ""
	}
	s, when := it.step, tl.shortMonth(it.turn)
	if monthLabel(tl.sc.Start, it.turn) == "" {
		when = "on " + when
	} else {
		when = "in " + when
	}
	who := tl.obj(s.Actor)
	switch s.raw.Kind {
	case sim.StepAgreement:
		if s.raw.Partial {
			return "a step was signed " + when
		}
		return "a deal was signed " + when
	case sim.StepViolation:
		return who + " broke the deal " + when
	case sim.StepBreakdown:
		return who + " walked out " + when
	case sim.StepRescue:
		return fmt.Sprintf("%s kept %s at the table %s", who, tl.obj(s.Target), when)
	case sim.StepResume:
		return "talks resumed " + when
	case sim.StepUltimatum:
		return who + " threatened a strike " + when
	case sim.StepStandDown:
		return who + " stood down " + when
	case sim.StepStrike:
		return who + " struck " + when
	}
	return ""
}

// months names turns briefly, by year when the scenario has a start:
// "Apr, Jul 2018; May 2019", else "turns 3, 7 and 12".
func (tl *teller) months(turns []int) string {
	if monthLabel(tl.sc.Start, 1) == "" {
		var ts []string
		for _, t := range turns {
			ts = append(ts, fmt.Sprint(t))
		}
		if len(ts) == 1 {
			return "turn " + ts[0]
		}
		return "turns " + AndList(ts)
	}
	var years []string
	var cur []string
	year := ""
	for _, t := range turns {
		l := tl.shortMonth(t)
		m, y := l[:strings.Index(l, " ")], l[strings.Index(l, " ")+1:]
		if y != year && len(cur) > 0 {
			years = append(years, strings.Join(cur, ", ")+" "+year)
			cur = nil
		}
		year = y
		cur = append(cur, m)
	}
	years = append(years, strings.Join(cur, ", ")+" "+year)
	return strings.Join(years, "; ")
}

// changeLines tells a change of state for the digest: the answers that
// led to a signing in one sentence, the signing by its terms and what it
// did to tension and trust, every other change word for word.
func (tl *teller) changeLines(items []item) []string {
	var lines, yes []string
	threatened := false // an ultimatum was told: a strike after it needs no pretext again
	for _, it := range items {
		s := it.step
		switch {
		case s != nil && s.raw.Kind == sim.StepResponse && it.class == classRound && s.raw.Accepted && !s.Seat:
			v, d := pair(s.raw.Value, s.raw.NoDeal)
			yes = append(yes, fmt.Sprintf("%s found it worth %s against the %s of what stands", tl.obj(s.Actor), v, d))
		case s != nil && s.raw.Kind == sim.StepAgreement:
			if len(yes) > 0 {
				lines = append(lines, fmt.Sprintf("All accepted: %s.", strings.Join(yes, "; ")))
				yes = nil
			}
			what := "A deal signed"
			if s.raw.Partial {
				what = "A step signed"
			}
			l := fmt.Sprintf("%s: %s.", what, tl.sc.Terms(s.pkg, "the status quo"))
			if moves := strings.TrimSuffix(shift("Tension", it.tension, s.Tension)+shift("trust", it.trust, s.Trust), ", "); moves != "" {
				l += " " + capWord(moves) + "."
			}
			lines = append(lines, l)
		case s != nil && it.class == classChange && !s.Seat:
			lines = append(lines, tl.shortChange(it, threatened))
			threatened = threatened || s.raw.Kind == sim.StepUltimatum
		default:
			lines = append(lines, it.line)
		}
	}
	return lines
}

// shortChange tells an ultimatum, its answers, a stand-down, a strike or a
// violation with the values the actor compared, in a sentence; other
// changes as the full telling does.
func (tl *teller) shortChange(it item, threatened bool) string {
	s := it.step
	r := s.raw
	who := tl.subj(s.Actor)
	lost := ""
	if r.Preventive >= 0.005 {
		lost = fmt.Sprintf(", with %.2f lost by waiting,", r.Preventive)
	}
	over := ""
	if r.Cause != sim.CauseNone && !threatened {
		over = ", over " + tl.pretextNote(tl.nr.turnAt(it.turn), r.Actor, r.Cause) + ","
	}
	switch r.Kind {
	case sim.StepUltimatum:
		return fmt.Sprintf("%s%s threatened a strike unless it got %s: it believed a war worth %.2f to it%s against %.2f for carrying on, and gave %s %s chance of giving in.",
			who, over, tl.sc.Terms(s.pkg, "the status quo"), r.War, lost, r.Carry, tl.others(s.Actor), an(pct0(r.Chance)))
	case sim.StepResponse:
		if r.Accepted {
			return fmt.Sprintf("%s gave in: worth %.2f to it, at least the %.2f of refusing.", who, r.Value, r.NoDeal)
		}
		why := "it doubts the threat"
		if r.NoDeal <= r.War+0.005 {
			why = "it would rather fight"
		}
		return fmt.Sprintf("%s refused: %s.", who, why)
	case sim.StepStandDown:
		return fmt.Sprintf("%s stood down: the refusal put the cost of a war at %.2f, and a war worth %.2f to it%s was no longer worth more than carrying on (%.2f).",
			who, r.Cost, r.War, lost, r.Carry)
	case sim.StepStrike:
		return fmt.Sprintf("%s%s struck: it believed a war worth %.2f to it%s against %.2f for carrying on.", who, over, r.War, lost, r.Carry)
	case sim.StepViolation:
		if r.Cause == sim.CauseAct {
			return it.line
		}
		b, k := pair(r.War, r.Carry)
		return fmt.Sprintf("%s broke the deal: breaking it was worth %s to it against %s for keeping it. The deal collapsed.", who, b, k)
	}
	return it.line
}

// Glossary explains the roles, strategies and terms a telling uses, for a
// command's help.
func Glossary() string {
	var b strings.Builder
	b.WriteString("Roles: a signatory must accept a deal for it to be signed; a mediator proposes\n")
	b.WriteString("compromises and may back one with its leverage; an actor that takes part but\n")
	b.WriteString("signs nothing proposes packages and has its own stake in the outcome.\n")
	b.WriteString("Strategies (how an actor's ask falls over the talks):\n")
	for _, k := range []string{scenarios.Boulware, scenarios.Linear, scenarios.Conceder, scenarios.TitForTat, scenarios.Hardliner, scenarios.Staller} {
		fmt.Fprintf(&b, "  %-12s %s\n", k, strategyGloss(k))
	}
	b.WriteString("Terms: \"what it asks\" is the least an actor accepts this month; \"no agreement\"\n")
	b.WriteString("its value of walking away with nothing signed; \"what stands\" the step in force or\n")
	b.WriteString("the status quo; a step is a partial deal that leaves issues open to later talks.")
	return b.String()
}
