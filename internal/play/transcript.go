package play

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Script is a Decider that replays recorded seat decisions, in order: the
// first Keep decisions asked get their recorded choice, after a check that
// the engine asks the same question (kind, turn, actor, event, offer);
// later ones get the model's choice. Give the same Script to every seat of
// the game it replays. With Exact, the game must ask exactly the recorded
// decisions (a transcript being replayed).
type Script struct {
	Recorded []sim.SeatDecision
	Keep     int
	Exact    bool

	n   int
	err error
}

// Decide implements sim.Decider.
func (s *Script) Decide(d *sim.Decision) sim.Choice {
	i := s.n
	s.n++
	if i >= s.Keep || i >= len(s.Recorded) {
		if s.Exact && s.err == nil {
			s.err = fmt.Errorf("play: the game asks for a decision %d (turn %d, %s by %d) that the record does not hold: it holds %d",
				i+1, d.Turn, d.Kind, d.Actor, len(s.Recorded))
		}
		return sim.ModelChoice(d)
	}
	r := &s.Recorded[i].Decision
	if s.err == nil && (r.Kind != d.Kind || r.Turn != d.Turn || r.Actor != d.Actor || r.Event != d.Event ||
		r.From != d.From || r.Target != d.Target || r.Package != d.Package) {
		s.err = fmt.Errorf("play: decision %d: the record has %s, the game asks %s: the scenario or the engine has changed",
			i+1, question(r), question(d))
	}
	return s.Recorded[i].Choice
}

// question describes a decision for an error message.
func question(d *sim.Decision) string {
	return fmt.Sprintf("%s on turn %d by actor %d (event %d, from %d, about %d, package %d)", d.Kind, d.Turn, d.Actor, d.Event, d.From, d.Target, d.Package)
}

// Err reports a record that did not match the game (and, with Exact,
// decisions recorded but never asked).
func (s *Script) Err() error {
	if s.err == nil && s.Exact && s.n < len(s.Recorded) {
		return fmt.Errorf("play: the game asked %d decisions, the record holds %d", s.n, len(s.Recorded))
	}
	return s.err
}

// TranscriptFormat names the transcript format and its version.
// Version 2 came with strikes, walk-outs and the mediator's instruments
// as decisions: a version 1 transcript was played on an engine whose
// runs differ, and cannot be replayed.
const TranscriptFormat = "parley-transcript/2"

// Transcript is a played game saved to replay it: the scenario as given on
// the command line, its overrides, the seed and run that fix every draw,
// the seats, every decision the seats took and what the model would have
// done, and the outcome. Its JSON form is what 'parley play --transcript'
// writes.
type Transcript struct {
	Format string `json:"format"`
	// Scenario is the built-in name or the file path given to play;
	// ScenarioID the scenario's id.
	Scenario   string `json:"scenario"`
	ScenarioID string `json:"scenario_id"`
	// Model is the engine's model version (sim.ModelVersion) the game was
	// played with; 0 in a transcript written before parley recorded it.
	Model int      `json:"model,omitempty"`
	Seed  uint64   `json:"seed"`
	Run   int      `json:"run"`
	Sets  []string `json:"sets"`
	// Seats lists the played actors' ids.
	Seats []string `json:"seats"`
	// Draws holds the run's draw of every uncertain number, by key path.
	Draws     map[string]float64   `json:"draws"`
	Decisions []TranscriptDecision `json:"decisions"`
	Outcome   string               `json:"outcome"`
	EndTurn   int                  `json:"end_turn"`
	Payoffs   map[string]float64   `json:"payoffs"`
	// Changes lists the game's changes of state (signings, violations,
	// breakdowns, resumptions, ultimatums, strikes) at their turns, with
	// their reasons, as the game announced them.
	Changes []Change `json:"changes,omitempty"`
	// Injected lists the events an instructor injected ('parley serve'),
	// at their turns: the replay injects them again.
	Injected []TranscriptInjection `json:"injected,omitempty"`
}

// TranscriptInjection is an event injected at a turn.
type TranscriptInjection struct {
	Turn  int    `json:"turn"`
	Event string `json:"event"`
}

// TranscriptDecision is one seat decision.
type TranscriptDecision struct {
	Kind  string `json:"kind"`
	Turn  int    `json:"turn"`
	Actor string `json:"actor"`
	// Event is the event the seat could perform (act).
	Event string `json:"event,omitempty"`
	// From is the actor who made the offer (respond).
	From string `json:"from,omitempty"`
	// Target is the actor a mediator's rescue or reopening is about.
	Target string `json:"target,omitempty"`
	// Package is the package on the table (respond, back), the deal in
	// force (violate) or the model's proposal (propose, mediate), issue id
	// → level; null when there is none.
	Package map[string]string `json:"package"`
	Choice  TranscriptChoice  `json:"choice"`
	Model   TranscriptChoice  `json:"model"`
	// The state the seat saw.
	Aspiration float64 `json:"aspiration"`
	NoDeal     float64 `json:"no_deal"`
	Tension    float64 `json:"tension"`
	Trust      float64 `json:"trust"`
	// What the seat weighed, where the decision has it (see Prompt):
	// war, preventive and carry for a strike (war and carry for a
	// violation), value for a walk-out, spent and chance for a rescue or
	// reopening, pretext for a strike.
	War        float64 `json:"war,omitempty"`
	Preventive float64 `json:"preventive,omitempty"`
	Carry      float64 `json:"carry,omitempty"`
	Value      float64 `json:"value,omitempty"`
	Spent      float64 `json:"spent,omitempty"`
	Chance     float64 `json:"chance,omitempty"`
	Pretext    string  `json:"pretext,omitempty"`
}

// TranscriptChoice is a choice: Yes for act, respond and violate; Package
// (null to pass) for propose and mediate.
type TranscriptChoice struct {
	Yes     *bool             `json:"yes,omitempty"`
	Package map[string]string `json:"package,omitempty"`
	Pass    bool              `json:"pass,omitempty"`
}

// NewTranscript returns the transcript of a game of m played from
// scenario (as given) with the overrides sets, seed and run, whose trace
// is tr.
func NewTranscript(m *sim.Model, scenario string, sets []string, seed uint64, run int, seats []int, tr *sim.Trace) Transcript {
	sc := m.Scenario
	t := Transcript{
		Format: TranscriptFormat, Scenario: scenario, ScenarioID: sc.ID, Model: sim.ModelVersion, Seed: seed, Run: run,
		Sets: slices.Clone(sets), Seats: ActorIDs(sc, seats), Draws: maps.Clone(tr.Draws),
		Decisions: []TranscriptDecision{},
		Outcome:   tr.Record.Outcome.String(), EndTurn: tr.Record.EndTurn, Payoffs: map[string]float64{},
		Changes: Changes(m, tr, 0),
	}
	if t.Sets == nil {
		t.Sets = []string{}
	}
	for i, a := range sc.Actors {
		t.Payoffs[a.ID] = tr.Record.Utility[i]
	}
	for _, s := range tr.Steps {
		if s.Kind == sim.StepEvent && s.Cause == sim.CauseInjected {
			t.Injected = append(t.Injected, TranscriptInjection{Turn: s.Turn, Event: sc.Events[s.Event].ID})
		}
	}
	for _, sd := range tr.Decisions {
		d := sd.Decision
		td := TranscriptDecision{
			Kind: d.Kind.String(), Turn: d.Turn, Actor: sc.Actors[d.Actor].ID,
			Package: levelMap(m, d.Package), Choice: choiceJSON(m, d.Kind, sd.Choice), Model: choiceJSON(m, d.Kind, sd.Model),
			Aspiration: d.Aspiration, NoDeal: d.NoDeal, Tension: d.Tension, Trust: d.Trust,
			War: d.War, Preventive: d.Preventive, Carry: d.Carry, Value: d.Value, Spent: d.Spent, Chance: d.Chance,
			Pretext: d.Pretext.String(),
		}
		if d.Target >= 0 {
			td.Target = sc.Actors[d.Target].ID
		}
		if d.Event >= 0 {
			td.Event = sc.Events[d.Event].ID
		}
		if d.From >= 0 {
			td.From = sc.Actors[d.From].ID
		}
		t.Decisions = append(t.Decisions, td)
	}
	return t
}

func levelMap(m *sim.Model, pkg int) map[string]string {
	if pkg < 0 {
		return nil
	}
	sc := m.Scenario
	levels := make([]int, len(sc.Issues))
	m.Space.Decode(pkg, levels)
	out := make(map[string]string, len(levels))
	for j, l := range levels {
		out[sc.Issues[j].ID] = sc.Issues[j].Levels[l]
	}
	return out
}

func choiceJSON(m *sim.Model, k sim.DecisionKind, c sim.Choice) TranscriptChoice {
	if k == sim.DecidePropose || k == sim.DecideMediate {
		if c.Package < 0 {
			return TranscriptChoice{Pass: true}
		}
		return TranscriptChoice{Package: levelMap(m, c.Package)}
	}
	yes := c.Yes
	return TranscriptChoice{Yes: &yes}
}

// WriteTranscript writes t as indented JSON.
func WriteTranscript(w io.Writer, t Transcript) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("play: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("play: writing transcript: %w", err)
	}
	return nil
}

// ReadTranscript decodes a transcript and checks its format.
func ReadTranscript(r io.Reader) (Transcript, error) {
	var t Transcript
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return t, fmt.Errorf("play: reading transcript: %w", err)
	}
	if t.Format != TranscriptFormat {
		return t, fmt.Errorf("play: not a parley transcript (format %q, want %q)", t.Format, TranscriptFormat)
	}
	if t.Run < 1 {
		return t, fmt.Errorf("play: transcript: run %d: runs are numbered from 1", t.Run)
	}
	return t, nil
}

// Resolve maps the transcript onto m, the scenario it was played on: the
// seats' actor indices and the recorded decisions with ids turned into
// indices and packages into package indices, ready for a Script.
func (t Transcript) Resolve(m *sim.Model) (seats []int, recorded []sim.SeatDecision, err error) {
	sc := m.Scenario
	actor := func(id, what string, k int) (int, error) {
		if i := sc.ActorIndex(id); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("play: transcript decision %d: %s %q is not an actor of %s", k, what, id, sc.ID)
	}
	for _, id := range t.Seats {
		i := sc.ActorIndex(id)
		if i < 0 {
			return nil, nil, fmt.Errorf("play: transcript: seat %q is not an actor of %s", id, sc.ID)
		}
		seats = append(seats, i)
	}
	for k0, td := range t.Decisions {
		k := k0 + 1
		kind, ok := parseKind(td.Kind)
		if !ok {
			return nil, nil, fmt.Errorf("play: transcript decision %d: unknown kind %q", k, td.Kind)
		}
		d := sim.Decision{Kind: kind, Turn: td.Turn, Event: -1, From: -1, Target: -1,
			Aspiration: td.Aspiration, NoDeal: td.NoDeal, Tension: td.Tension, Trust: td.Trust,
			War: td.War, Preventive: td.Preventive, Carry: td.Carry, Value: td.Value, Spent: td.Spent, Chance: td.Chance}
		if d.Actor, err = actor(td.Actor, "actor", k); err != nil {
			return nil, nil, err
		}
		if td.From != "" {
			if d.From, err = actor(td.From, "from", k); err != nil {
				return nil, nil, err
			}
		}
		for c := sim.CauseNone; c.String() != "unknown"; c++ {
			if c != sim.CauseNone && c.String() == td.Pretext {
				d.Pretext = c
			}
		}
		if td.Target != "" {
			if d.Target, err = actor(td.Target, "target", k); err != nil {
				return nil, nil, err
			}
		}
		if td.Event != "" {
			d.Event = slices.IndexFunc(sc.Events, func(e scenarios.Event) bool { return e.ID == td.Event })
			if d.Event < 0 {
				return nil, nil, fmt.Errorf("play: transcript decision %d: %q is not an event of %s", k, td.Event, sc.ID)
			}
		}
		if d.Package, err = packageIndex(m, td.Package); err != nil {
			return nil, nil, fmt.Errorf("play: transcript decision %d: %w", k, err)
		}
		sd := sim.SeatDecision{Decision: d}
		if sd.Choice, err = choiceOf(m, kind, td.Choice); err != nil {
			return nil, nil, fmt.Errorf("play: transcript decision %d: choice: %w", k, err)
		}
		if sd.Model, err = choiceOf(m, kind, td.Model); err != nil {
			return nil, nil, fmt.Errorf("play: transcript decision %d: model: %w", k, err)
		}
		sd.Decision.ModelYes = sd.Model.Yes
		recorded = append(recorded, sd)
	}
	return seats, recorded, nil
}

func parseKind(s string) (sim.DecisionKind, bool) {
	for k := sim.DecideAct; k.String() != "unknown"; k++ {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

// packageIndex returns the index of the package with the given levels
// (every issue named), or -1 for none.
func packageIndex(m *sim.Model, levels map[string]string) (int, error) {
	if levels == nil {
		return -1, nil
	}
	sc := m.Scenario
	pkg := make([]int, len(sc.Issues))
	for j, is := range sc.Issues {
		l, ok := levels[is.ID]
		if !ok {
			return -1, fmt.Errorf("package lacks issue %q", is.ID)
		}
		if pkg[j] = slices.Index(is.Levels, l); pkg[j] < 0 {
			return -1, fmt.Errorf("issue %q has no level %q", is.ID, l)
		}
	}
	if len(levels) != len(sc.Issues) {
		return -1, fmt.Errorf("package names %d issues, the scenario has %d", len(levels), len(sc.Issues))
	}
	return m.Space.Encode(pkg), nil
}

func choiceOf(m *sim.Model, k sim.DecisionKind, c TranscriptChoice) (sim.Choice, error) {
	if k == sim.DecidePropose || k == sim.DecideMediate {
		p, err := packageIndex(m, c.Package)
		return sim.Choice{Package: p}, err
	}
	if c.Yes == nil {
		return sim.Choice{}, fmt.Errorf("a %s decision needs yes: true or false", k)
	}
	return sim.Choice{Yes: *c.Yes, Package: -1}, nil
}

// Replay plays the transcript's game again on m and returns its trace; it
// fails if the game does not ask exactly the recorded decisions or ends
// differently (the scenario or the engine changed since).
func (t Transcript) Replay(m *sim.Model) (*sim.Trace, []int, error) {
	seats, recorded, err := t.Resolve(m)
	if err != nil {
		return nil, nil, err
	}
	if err := Playable(m); err != nil && len(seats) > 0 {
		return nil, nil, err
	}
	script := &Script{Recorded: recorded, Keep: len(recorded), Exact: true}
	deciders := map[int]sim.Decider{}
	for _, a := range seats {
		deciders[a] = script
	}
	w := sim.NewWorker(m)
	if len(t.Injected) > 0 {
		at := map[int][]int{}
		for _, in := range t.Injected {
			e := m.Scenario.EventIndex(in.Event)
			if e < 0 {
				return nil, nil, fmt.Errorf("play: transcript: injected event %q is not in the scenario", in.Event)
			}
			at[in.Turn] = append(at[in.Turn], e)
		}
		w.InjectWith(func(turn int) []int { return at[turn] })
	}
	tr := &sim.Trace{}
	w.Play(t.Seed, t.Run, deciders, tr)
	for _, path := range slices.Sorted(maps.Keys(t.Draws)) {
		if got, ok := tr.Draws[path]; !ok || got != t.Draws[path] {
			return nil, nil, fmt.Errorf("play: transcript: %s was drawn as %v, the replay draws %v: the scenario, its overrides or the seed have changed", path, t.Draws[path], got)
		}
	}
	if err := script.Err(); err != nil {
		return nil, nil, fmt.Errorf("play: transcript does not match the game: %w", err)
	}
	if out := tr.Record.Outcome.String(); out != t.Outcome || tr.Record.EndTurn != t.EndTurn {
		return nil, nil, fmt.Errorf("play: transcript: the game ended in %s on turn %d, the replay in %s on turn %d", t.Outcome, t.EndTurn, out, tr.Record.EndTurn)
	}
	return tr, seats, nil
}
