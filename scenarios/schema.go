package scenarios

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Shapes of a value function given by a shape table.
const (
	shapeLinear    = "linear"
	shapeConcave   = "concave"
	shapeConvex    = "convex"
	shapeThreshold = "threshold"
	shapePeak      = "peak"
)

// model holds what later parts of the walk need from earlier ones.
type model struct {
	s         *Scenario
	issueIDs  []string
	actorIDs  []string
	hasValues [][]bool // [actor][issue]
}

// scenario walks the root table and builds the Scenario.
func (d *decoder) scenario(root map[string]any) *Scenario {
	t := tbl{m: root}
	d.only(t, "kind", "id", "title", "question", "sources", "horizon", "start",
		"issues", "actors", "protocol", "dynamics", "events", "expected", "classroom")
	s := &Scenario{}
	m := &model{s: s}
	// A spatial scenario never reaches here (finishAny reads it); any
	// other kind but "agent" is a mistake.
	d.oneOf(t, "kind", false, KindAgent, KindAgent, KindSpatial)
	s.ID, s.Title, s.Question, s.Sources = d.header(t)
	horizon, horizonOK := d.integer(t, "horizon", true, 0, 1, 1000)
	s.Horizon = horizon
	if start, ok := d.str(t, "start", false, ""); ok {
		if _, err := time.Parse("2006-01", start); err != nil || len(start) != 7 {
			d.errorf([]string{"start"}, "expected a month as \"YYYY-MM\", got %q", start)
		} else {
			s.Start = start
		}
	}

	d.issues(t, m)

	ids, tbls := d.ids(t, "actors", "actor", true)
	if _, ok := t.m["actors"].(map[string]any); ok && len(ids) < 2 {
		d.errorf([]string{"actors"}, "at least 2 actors are required, got %d", len(ids))
	}
	for _, id := range ids {
		if strings.EqualFold(id, "none") {
			// protocol.mediator = "none" means no mediator.
			d.errorf([]string{"actors", id}, `actor id %q is reserved: mediator = "none" means no mediator; choose another id`, id)
		}
	}
	m.actorIDs = ids
	for i := range ids {
		s.Actors = append(s.Actors, d.actor(tbls[i], i, m))
	}

	d.protocol(t, m)
	d.dynamics(t, m)
	maxTurn := math.MaxInt
	if horizonOK {
		maxTurn = horizon
	}
	d.events(t, m, maxTurn)
	s.Expected = d.expected(t, s.ID)
	s.Controls = d.classroom(t, root)
	s.keys = d.settable
	return s
}

// outcomeNames are the outcome classes an [expected] table may name, and
// the two parts of an agreement: a settlement, or only a step (a partial
// deal) in force at the end.
var outcomeNames = []string{"agreement", "stalemate", "breakdown", "conflict", "settlement", "partial"}

// expected reads the optional [expected] table.
// header reads the keys every kind of scenario opens with: its id, title,
// question and sources.
func (d *decoder) header(t tbl) (id, title, question string, sources []string) {
	if s, ok := d.str(t, "id", true, ""); ok {
		if scenIDRE.MatchString(s) {
			id = s
		} else {
			d.errorf([]string{"id"}, "must consist of lower-case letters, digits, '_' and '-', got %q", s)
		}
	}
	title = d.text(t, "title")
	question = d.text(t, "question")
	sources, _ = d.strs(t, "sources", false)
	return id, title, question, sources
}

func (d *decoder) expected(t tbl, id string) *Expected {
	et, ok := d.table(t, "expected", false)
	if !ok {
		return nil
	}
	d.only(et, "against", "outcome", "change", "why")
	e := &Expected{}
	if against, ok := d.str(et, "against", true, ""); ok {
		if _, err := BuiltinSource(against); err != nil {
			var names []string
			for _, b := range Builtins() {
				names = append(names, b.Name)
			}
			d.errorf(join(et.path, "against"), "no built-in scenario named %q%s", against, DidYouMean(against, names))
		} else if against == id {
			d.errorf(join(et.path, "against"), "a scenario cannot be compared against itself (%q)", against)
		}
		e.Against = against
	}
	e.Outcome, _ = d.oneOf(et, "outcome", true, "", outcomeNames...)
	e.Change, _ = d.oneOf(et, "change", true, "", ChangeHigher, ChangeLower)
	e.Why = d.text(et, "why")
	return e
}

// text returns the required, non-empty string t.key.
func (d *decoder) text(t tbl, key string) string {
	s, ok := d.str(t, key, true, "")
	if ok && s == "" {
		d.errorf(join(t.path, key), "must not be empty")
	}
	return s
}

func (d *decoder) issues(t tbl, m *model) {
	ids, tbls := d.ids(t, "issues", "issue", true)
	if _, ok := t.m["issues"].(map[string]any); ok && len(ids) == 0 {
		d.errorf([]string{"issues"}, "at least one issue is required")
	}
	m.issueIDs = ids
	for i, id := range ids {
		it := tbls[i]
		d.only(it, "name", "levels", "status_quo", "irreversible_from")
		iss := Issue{ID: id, IrreversibleFrom: -1}
		iss.Name, _ = d.str(it, "name", false, id)
		levels, ok := d.strs(it, "levels", true)
		p := join(it.path, "levels")
		if ok && len(levels) < 2 {
			d.errorf(p, "expected at least 2 levels, got %d", len(levels))
			ok = false
		}
		if ok && len(levels) > MaxLevels {
			d.errorf(p, "expected at most %d levels, got %d", MaxLevels, len(levels))
			ok = false
		}
		// Maps, not scans of the levels before: an issue may have many.
		seen, folded := make(map[string]bool, len(levels)), make(map[string]string, len(levels))
		for j, lv := range levels {
			if !ok {
				break
			}
			c, twin := folded[foldCase(lv)]
			switch {
			case lv == "":
				d.errorf(p, "level %d is empty", j+1)
				ok = false
			case seen[lv]:
				d.errorf(p, "level %q is listed twice", lv)
				ok = false
			case twin:
				d.errorf(p, "level %q collides with %q (labels must differ in more than letter case)", lv, c)
				ok = false
			}
			seen[lv], folded[foldCase(lv)] = true, lv
		}
		if ok {
			iss.Levels = levels
			if sq, ok := d.str(it, "status_quo", false, levels[0]); ok {
				iss.StatusQuo, _ = d.level(iss, sq, join(it.path, "status_quo"))
			}
			if from, ok := d.str(it, "irreversible_from", false, ""); ok {
				p := join(it.path, "irreversible_from")
				if l, ok := d.level(iss, from, p); ok {
					if l <= iss.StatusQuo {
						d.errorf(p, "must be a level beyond the status quo %q (levels: %s), got %q", levels[iss.StatusQuo], quoteList(levels), from)
					} else {
						iss.IrreversibleFrom = l
					}
				}
			}
		}
		m.s.Issues = append(m.s.Issues, iss)
	}
}

// level resolves a level label of iss. Issues whose levels were invalid
// (reported already) resolve nothing, silently.
func (d *decoder) level(iss Issue, label string, p []string) (int, bool) {
	if iss.Levels == nil {
		return -1, false
	}
	if i := slices.Index(iss.Levels, label); i >= 0 {
		return i, true
	}
	d.errorf(p, "unknown level %q of issue %q (levels: %s)%s", label, iss.ID, quoteList(iss.Levels), DidYouMean(label, iss.Levels))
	return -1, false
}

func (d *decoder) actor(at tbl, self int, m *model) Actor {
	d.only(at, "name", "capability", "weights", "values", "links", "strategy", "deadline", "discount",
		"talk_value", "reservation_value", "hawkishness", "provocation", "embarrass",
		"pressure", "restraint", "goodwill", "leverage", "conflict", "misperception")
	id := at.path[len(at.path)-1]
	a := Actor{ID: id}
	a.Name, _ = d.str(at, "name", false, id)
	a.Capability = d.num(at, "capability", nonNeg, dflt(DefaultCapability))
	n := len(m.issueIDs)

	// Weights.
	a.Weights = make([]Number, n)
	for i, iid := range m.issueIDs {
		a.Weights[i] = Number{Min: 0, Max: math.Inf(1), Path: fmtPath(join(at.path, "weights", iid))}
	}
	given := make([]bool, n)
	wt, weightsOK := d.table(at, "weights", true)
	if weightsOK {
		n0 := len(d.errs)
		for _, k := range d.keys(wt) {
			i, ok := d.keyRef(wt, k, "issue", m.issueIDs)
			if !ok {
				continue
			}
			given[i] = true
			a.Weights[i], _ = d.numValue(wt.m[k], join(wt.path, k), nonNeg)
		}
		if len(d.errs) == n0 && !slices.ContainsFunc(a.Weights, weighty) {
			d.innerf(wt.path, "at least one weight must be positive")
		}
	}

	// Values.
	a.Values = make([][]Number, n)
	has := make([]bool, n)
	if vt, ok := d.table(at, "values", false); ok {
		for _, k := range d.keys(vt) {
			i, ok := d.keyRef(vt, k, "issue", m.issueIDs)
			if !ok {
				continue
			}
			has[i] = true
			a.Values[i] = d.values(vt, k, m.s.Issues[i])
		}
	}
	for i, iid := range m.issueIDs {
		p := join(at.path, "values", iid)
		switch {
		case !weightsOK:
			// Reported already; the checks below would only repeat it.
		case given[i] && weighty(a.Weights[i]) && !has[i]:
			d.errorf(p, "issue %q has a weight but no values (a table of level = value, or a shape table)", iid)
		case has[i] && !given[i]:
			d.errorf(p, "values given for issue %q but no weight (add weights.%s)", iid, quoteKey(iid))
		}
		if a.Values[i] == nil {
			a.Values[i] = make([]Number, len(m.s.Issues[i].Levels))
			for j := range a.Values[i] {
				a.Values[i][j] = Number{Min: 0, Max: 1}
			}
		}
	}
	m.hasValues = append(m.hasValues, has)

	a.Links = d.links(at, m)
	a.Strategy = d.strategy(at)
	if _, ok := at.m["deadline"]; ok {
		a.HasDeadline = true
		a.Deadline = d.num(at, "deadline", rng{1, maxDeadline}, nil)
	} else {
		a.Deadline = Number{Value: math.Inf(1), Min: math.Inf(1), Max: math.Inf(1), Path: fmtPath(join(at.path, "deadline"))}
		if timeDependent(a.Strategy.Kind) {
			d.errorf(join(at.path, "deadline"), "missing required key: a %s strategy concedes toward the actor's own deadline (a turn, or a distribution of turns); the horizon only ends the simulation", a.Strategy.Kind)
		}
	}
	a.Discount = d.num(at, "discount", rng{0, 0.999}, dflt(0.95))
	a.TalkValue = d.num(at, "talk_value", signed, dflt(0))
	if _, ok := at.m["reservation_value"]; ok {
		a.HasReservation = true
		a.ReservationValue = d.num(at, "reservation_value", unit, nil)
	}
	a.Hawkishness = d.num(at, "hawkishness", unit, dflt(0))
	a.Provocation = d.num(at, "provocation", nonNeg, dflt(1))
	a.Embarrass = d.num(at, "embarrass", nonNeg, dflt(0))
	a.Pressure = d.influences(at, "pressure", unit, self, m)
	a.Restraint = d.influences(at, "restraint", unit, self, m)
	a.Goodwill = d.influences(at, "goodwill", unit, self, m)
	a.Leverage = d.influences(at, "leverage", unit, self, m)
	a.Misperception = d.num(at, "misperception", rng{0, maxMisperception}, dflt(0))

	ct, ok := d.table(at, "conflict", false)
	if ok {
		d.only(ct, "prevail", "cost", "strike", "spread", "pretext")
	}
	a.Conflict = Conflict{
		Prevail: d.num(ct, "prevail", unit, dflt(0.5)),
		Cost:    d.num(ct, "cost", nonNeg, dflt(1)),
		Strike:  d.boolean(ct, "strike", false),
		Spread:  d.num(ct, "spread", rng{0, 0.5}, dflt(0)),
		Pretext: d.num(ct, "pretext", unit, dflt(0)),
	}
	return a
}

// maxMisperception bounds an actor's misperception: the spread, on a log
// scale, of its hypotheses about another actor's weights; at 3 a weight is
// off by a factor of e³ ≈ 20 at one standard deviation, enough to scramble
// any ordering of the issues.
const maxMisperception = 3

// maxDeadline bounds an actor's deadline: a turn, not a duration in years.
const maxDeadline = 100000

// timeDependent reports whether strategy kind concedes by the clock.
func timeDependent(kind string) bool {
	return kind == Boulware || kind == Linear || kind == Conceder
}

// weighty reports whether a weight counts: a positive constant or a distribution.
func weighty(w Number) bool { return w.Dist != nil || w.Value > 0 }

// values reads vt.key, the value function of issue iss: a table of
// level = Number, or a shape table.
func (d *decoder) values(vt tbl, key string, iss Issue) []Number {
	p := join(vt.path, key)
	m, ok := vt.m[key].(map[string]any)
	if !ok {
		d.errorf(p, "expected a table of level = value, or a shape table, got %s", describe(vt.m[key]))
		return nil
	}
	t := tbl{m: m, path: p}
	if _, ok := m["shape"]; ok {
		return d.shape(t, iss)
	}
	if iss.Levels == nil {
		return nil
	}
	known := make(map[string]bool, len(iss.Levels))
	for _, lv := range iss.Levels {
		known[lv] = true
	}
	for _, k := range d.keys(t) {
		if known[k] {
			continue
		}
		if c, ok := caseTwin(k, iss.Levels); ok {
			d.errorf(join(p, k), "key %q differs only in case from level %q", k, c)
		} else {
			d.errorf(join(p, k), "unknown level %q of issue %q (levels: %s)%s", k, iss.ID, quoteList(iss.Levels), DidYouMean(k, iss.Levels))
		}
	}
	out := make([]Number, len(iss.Levels))
	var missing []string
	for j, lv := range iss.Levels {
		v, ok := m[lv]
		if !ok {
			missing = append(missing, lv)
			continue
		}
		out[j], _ = d.numValue(v, join(p, lv), unit)
	}
	if missing != nil {
		d.errorf(p, "missing values for levels %s (every level of issue %q needs a value in [0, 1], or use a shape table)", quoteList(missing), iss.ID)
	}
	return out
}

// shape resolves a shape table to one constant value per level.
func (d *decoder) shape(t tbl, iss Issue) []Number {
	d.only(t, "shape", "best", "power", "at")
	shape, ok := d.oneOf(t, "shape", true, "", shapeLinear, shapeConcave, shapeConvex, shapeThreshold, shapePeak)
	if !ok {
		return nil
	}
	for _, k := range []string{"power", "at"} {
		uses := k == "power" && (shape == shapeConcave || shape == shapeConvex) ||
			k == "at" && shape == shapeThreshold
		if _, ok := t.m[k]; ok && !uses {
			d.errorf(join(t.path, k), "%q is not used by shape %q", k, shape)
		}
	}
	power := 1.0
	switch shape {
	case shapeConcave:
		power, ok = d.constant(t, "power", 0, 1, 0.5)
	case shapeConvex:
		power, ok = d.constant(t, "power", 1, math.Inf(1), 2)
	}
	if !ok || iss.Levels == nil {
		return nil
	}
	bestLabel, ok := d.str(t, "best", true, "")
	if !ok {
		return nil
	}
	best, ok := d.level(iss, bestLabel, join(t.path, "best"))
	if !ok {
		return nil
	}
	n := len(iss.Levels)
	last := n - 1
	if shape != shapePeak && best != 0 && best != last {
		d.errorf(join(t.path, "best"), "shape %q needs best to be the first or last level (%q or %q), got %q",
			shape, iss.Levels[0], iss.Levels[last], bestLabel)
		return nil
	}
	at := -1
	if shape == shapeThreshold {
		atLabel, ok := d.str(t, "at", true, "")
		if !ok {
			return nil
		}
		if at, ok = d.level(iss, atLabel, join(t.path, "at")); !ok {
			return nil
		}
	}
	worst := last - best // the other end, for the monotone shapes
	out := make([]Number, n)
	for k := range out {
		var v float64
		switch shape {
		case shapeLinear, shapeConcave, shapeConvex:
			v = math.Pow(math.Abs(float64(k-worst))/float64(last), power)
		case shapeThreshold:
			if k >= min(at, best) && k <= max(at, best) {
				v = 1
			}
		case shapePeak:
			v = 1 - math.Abs(float64(k-best))/float64(max(best, last-best))
		}
		out[k] = Number{Value: v, Min: 0, Max: 1, Path: fmtPath(join(t.path, iss.Levels[k]))}
	}
	return out
}

func (d *decoder) links(at tbl, m *model) []Link {
	ids, tbls := d.ids(at, "links", "link", false)
	var links []Link
	for i, id := range ids {
		lt := tbls[i]
		d.only(lt, "when", "unless", "value")
		l := Link{ID: id}
		wt, ok := d.table(lt, "when", true)
		if ok {
			l.When = d.conditions(wt, m)
		}
		ut, hasUnless := d.table(lt, "unless", false)
		if hasUnless {
			l.Unless = d.conditions(ut, m)
			if len(ut.m) == 0 {
				d.errorf(ut.path, "must list at least one condition (issue = level), or leave unless out")
			}
		}
		if ok {
			switch {
			case len(wt.m) == 0:
				d.errorf(wt.path, "a link needs at least 1 condition (issue = level) in when")
			case len(wt.m)+len(ut.m) < 2:
				d.errorf(wt.path, "a link needs at least 2 conditions (issue = level) in when and unless together, got %d", len(wt.m)+len(ut.m))
			}
			for _, c := range l.Unless {
				if slices.ContainsFunc(l.When, func(w Condition) bool { return w.Issue == c.Issue }) {
					d.errorf(join(ut.path, m.issueIDs[c.Issue]), "issue %q is in both when and unless", m.issueIDs[c.Issue])
				}
			}
		}
		l.Value = d.num(lt, "value", signed, nil)
		links = append(links, l)
	}
	return links
}

// conditions reads a table of issue = level label, each a condition that
// holds at or beyond the level, sorted by issue.
func (d *decoder) conditions(t tbl, m *model) []Condition {
	var out []Condition
	for _, k := range d.keys(t) {
		iss, ok := d.keyRef(t, k, "issue", m.issueIDs)
		if !ok {
			continue
		}
		p := join(t.path, k)
		label, ok := t.m[k].(string)
		if !ok {
			d.errorf(p, "expected a level label (a string), got %s", describe(t.m[k]))
			continue
		}
		if lv, ok := d.level(m.s.Issues[iss], label, p); ok {
			out = append(out, Condition{Issue: iss, AtLeast: lv})
		}
	}
	slices.SortFunc(out, func(a, b Condition) int { return a.Issue - b.Issue })
	return out
}

var strategyKinds = []string{Boulware, Linear, Conceder, TitForTat, Hardliner, Staller}

func (d *decoder) strategy(at tbl) Strategy {
	st, ok := d.table(at, "strategy", true)
	if !ok {
		return Strategy{}
	}
	d.only(st, append(d.retired(st), "kind", "e", "reservation", "demand")...)
	kind, ok := d.oneOf(st, "kind", true, "", strategyKinds...)
	if !ok {
		return Strategy{}
	}
	uses := map[string]bool{
		"e":      kind == Boulware || kind == Conceder,
		"demand": kind == Hardliner,
	}
	for _, k := range []string{"e", "demand"} {
		if _, ok := st.m[k]; ok && !uses[k] {
			d.errorf(join(st.path, k), "%q is not used by strategy kind %q", k, kind)
		}
	}
	s := Strategy{Kind: kind}
	switch kind {
	case Boulware:
		s.E = d.num(st, "e", rng{1e-3, 0.999}, nil)
	case Conceder:
		s.E = d.num(st, "e", rng{1.001, 100}, nil)
	case Linear:
		s.E = Const(1)
	case Hardliner:
		s.Demand = d.num(st, "demand", unit, dflt(1))
	}
	s.Reservation = d.num(st, "reservation", unit, dflt(0))
	return s
}

// influences reads t.key, a table of actor = Number in r, in actor order.
// self (or -1) is an actor that may not be a target.
func (d *decoder) influences(t tbl, key string, r rng, self int, m *model) []Influence {
	it, ok := d.table(t, key, false)
	if !ok {
		return nil
	}
	var out []Influence
	for _, k := range d.keys(it) {
		j, ok := d.keyRef(it, k, "actor", m.actorIDs)
		if !ok {
			continue
		}
		p := join(it.path, k)
		if j == self {
			d.errorf(p, "%q cannot target itself", k)
			continue
		}
		if n, ok := d.numValue(it.m[k], p, r); ok {
			out = append(out, Influence{Target: j, Amount: n})
		}
	}
	slices.SortFunc(out, func(a, b Influence) int { return a.Target - b.Target })
	return out
}

// actorList reads t.key, an array of distinct actor ids.
func (d *decoder) actorList(t tbl, key string, required bool, m *model) ([]int, bool) {
	names, ok := d.strs(t, key, required)
	if !ok {
		return nil, false
	}
	p := join(t.path, key)
	if len(names) == 0 {
		d.errorf(p, "must list at least one actor")
		return nil, false
	}
	out := make([]int, 0, len(names))
	valid := true
	for j, name := range names {
		i, ok := d.ref(name, p, "actor", m.actorIDs)
		if !ok {
			valid = false
			continue
		}
		if slices.Contains(names[:j], name) {
			d.errorf(p, "actor %q is listed twice", name)
			valid = false
			continue
		}
		out = append(out, i)
	}
	return out, valid
}

func (d *decoder) protocol(t tbl, m *model) {
	pt, ok := d.table(t, "protocol", true)
	if !ok {
		return
	}
	d.only(pt, append(d.retired(pt), "signatories", "mediator", "mediator_bias", "agenda", "proposers", "learning", "partial_deals")...)
	p := &m.s.Protocol
	p.Signatories, _ = d.actorList(pt, "signatories", true, m)
	p.Mediator = -1
	med, ok := d.str(pt, "mediator", false, "none")
	if _, present := pt.m["mediator"]; ok && present {
		d.recordKey(join(pt.path, "mediator"), Key{Kind: KeyChoice, Choices: append([]string{"none"}, m.actorIDs...), Value: med})
	}
	if ok && med != "none" {
		if i, ok := d.ref(med, join(pt.path, "mediator"), "actor", m.actorIDs); ok {
			p.Mediator = i
			if slices.Contains(p.Signatories, i) {
				d.errorf(join(pt.path, "mediator"), "the mediator %q must not be a signatory", med)
			}
		}
	}
	// mediator_bias is kept, and ignored, when there is no mediator: a file
	// written for a mediator must run with --set protocol.mediator=none.
	p.MediatorBias = d.num(pt, "mediator_bias", unit, dflt(0))
	p.Learning = d.boolean(pt, "learning", true)
	p.PartialDeals = d.boolean(pt, "partial_deals", false)
	p.Agenda, _ = d.oneOf(pt, "agenda", false, AgendaProposerFirst, AgendaProposerFirst, AgendaMediatorFirst)
	if _, ok := pt.m["proposers"]; ok {
		p.Proposers, _ = d.actorList(pt, "proposers", false, m)
	} else {
		p.Proposers = slices.Clone(p.Signatories)
	}
}

func (d *decoder) dynamics(t tbl, m *model) {
	dt, ok := d.table(t, "dynamics", false)
	y := &m.s.Dynamics
	fields := []struct {
		key string
		def float64
		r   rng
		dst *Number
	}{
		{"tension", 0.5, unit, &y.Tension},
		{"tension_baseline", 0.5, unit, &y.TensionBaseline},
		{"tension_drift", 0.1, unit, &y.TensionDrift},
		{"trust", 0.5, unit, &y.Trust},
		{"agreement_tension", -0.2, signed, &y.AgreementTension},
		{"agreement_trust", 0.2, signed, &y.AgreementTrust},
		{"rejection_trust", -0.01, signed, &y.RejectionTrust},
		{"compliance_trust", 0, unit, &y.ComplianceTrust},
		{"violation_tension", 0.3, signed, &y.ViolationTension},
		{"violation_trust", -0.3, signed, &y.ViolationTrust},
		{"violation_hawk", 0.2, signed, &y.ViolationHawk},
		{"embarrassment", 1, rng{0, 10}, &y.Embarrassment},
	}
	if ok {
		keys := d.retired(dt)
		for _, f := range fields {
			keys = append(keys, f.key)
		}
		d.only(dt, keys...)
	}
	for _, f := range fields {
		*f.dst = d.num(dt, f.key, f.r, dflt(f.def))
	}
}

var eventKinds = []string{KindProvocation, KindSanctions, KindSummit, KindElection, KindOther}

func (d *decoder) events(t tbl, m *model, maxTurn int) {
	ids, tbls := d.ids(t, "events", "event", false)
	for i, id := range ids {
		et := tbls[i]
		d.only(et, "label", "kind", "by", "hosted_by", "turns", "chance", "halted_by", "effects")
		e := Event{ID: id, By: -1, HostedBy: -1}
		e.Label, _ = d.str(et, "label", false, id)
		e.Kind, _ = d.oneOf(et, "kind", true, "", eventKinds...)
		if v, ok := et.m["by"]; ok {
			e.By, _ = d.ref(v, join(et.path, "by"), "actor", m.actorIDs)
		} else if e.Kind == KindProvocation {
			d.errorf(join(et.path, "by"), "missing required key: a provocation needs by = the provoking actor")
		}
		if v, ok := et.m["hosted_by"]; ok {
			e.HostedBy, _ = d.ref(v, join(et.path, "hosted_by"), "actor", m.actorIDs)
		}
		_, hasTurns := et.m["turns"]
		if hasTurns {
			e.Turns = d.turns(et, maxTurn)
			e.Chance = d.num(et, "chance", unit, dflt(1))
		} else {
			e.Chance = d.num(et, "chance", unit, nil)
		}
		if ht, ok := d.table(et, "halted_by", false); ok {
			if e.Kind != KindProvocation {
				d.errorf(ht.path, "only a provocation can be halted by the terms of a deal (kind is %q)", e.Kind)
			} else if len(ht.m) == 0 {
				d.errorf(ht.path, "must list at least one condition (issue = level), or leave halted_by out (any deal in force halts it)")
			}
			e.HaltedBy = d.conditions(ht, m)
		}
		e.Effects = d.effects(et, e, m)
		m.s.Events = append(m.s.Events, e)
	}
}

// turns reads et.turns: distinct integers in [1, maxTurn], returned sorted.
func (d *decoder) turns(et tbl, maxTurn int) []int {
	p := join(et.path, "turns")
	arr, ok := et.m["turns"].([]any)
	if !ok {
		d.errorf(p, "expected an array of turns (integers), got %s", describe(et.m["turns"]))
		return nil
	}
	if len(arr) == 0 {
		d.errorf(p, "must list at least one turn (leave turns out for an event that may happen on any turn)")
		return nil
	}
	var out []int
	for _, v := range arr {
		n, ok := d.intValue(v, p, 1, maxTurn)
		if !ok {
			continue
		}
		if slices.Contains(out, n) {
			d.errorf(p, "turn %d is listed twice", n)
			continue
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (d *decoder) effects(et tbl, e Event, m *model) Effects {
	ef := Effects{Tension: Const(0), Trust: Const(0)}
	t, ok := d.table(et, "effects", false)
	if !ok {
		return ef
	}
	d.only(t, "tension", "trust", "hawkishness", "set_hawkishness", "goodwill", "pressure", "prevail", "reopen", "weights")
	if _, ok := t.m["tension"]; ok {
		ef.Tension = d.num(t, "tension", signed, nil)
	}
	if _, ok := t.m["trust"]; ok {
		ef.Trust = d.num(t, "trust", signed, nil)
	}
	ef.Hawkishness = d.influences(t, "hawkishness", signed, -1, m)
	ef.SetHawkishness = d.influences(t, "set_hawkishness", unit, -1, m)
	if _, ok := t.m["goodwill"]; ok && e.By < 0 {
		if _, given := et.m["by"]; !given {
			d.errorf(join(t.path, "goodwill"), "goodwill effects need the event's by (goodwill is toward by)")
		}
	}
	ef.Goodwill = d.influences(t, "goodwill", signed, e.By, m)
	ef.Pressure = d.influences(t, "pressure", signed, -1, m)
	ef.Prevail = d.influences(t, "prevail", signed, -1, m)
	ef.Reopen = d.boolean(t, "reopen", false)

	wt, ok := d.table(t, "weights", false)
	if !ok {
		return ef
	}
	for _, ak := range d.keys(wt) {
		a, ok := d.keyRef(wt, ak, "actor", m.actorIDs)
		if !ok {
			continue
		}
		at, ok := d.table(wt, ak, true)
		if !ok {
			continue
		}
		for _, ik := range d.keys(at) {
			i, ok := d.keyRef(at, ik, "issue", m.issueIDs)
			if !ok {
				continue
			}
			p := join(at.path, ik)
			if !m.hasValues[a][i] {
				d.errorf(p, "actor %q has no values for issue %q, so a weight on it would count nothing", ak, ik)
				continue
			}
			if n, ok := d.numValue(at.m[ik], p, nonNeg); ok {
				ef.Weights = append(ef.Weights, WeightChange{Actor: a, Issue: i, Weight: n})
			}
		}
	}
	slices.SortFunc(ef.Weights, func(x, y WeightChange) int {
		if x.Actor != y.Actor {
			return x.Actor - y.Actor
		}
		return x.Issue - y.Issue
	})
	return ef
}
