package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parley-sim/parley/internal/outfile"
	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Game phases.
const (
	phaseOpen    = "open"    // students take seats
	phasePlaying = "playing" // the engine runs
	phaseOver    = "over"    // the debrief and the transcript are ready
)

// secondUnit is a second of a decision's time limit (tests shorten it).
var secondUnit = time.Second

// Time limits of a decision, in seconds.
const (
	minSeconds     = 5
	maxSeconds     = 600
	defaultSeconds = 60
)

// Game is a class game: run K of the scenario with some actors' seats
// taken by students, the others the model's. Its state lives here; the
// pages build theirs from its event log.
type Game struct {
	s       *Server
	id      int
	m       *sim.Model
	sets    []string
	seed    uint64
	run     int
	seconds int
	caps    map[int]int // actor → students it seats at most
	log     *Log

	mu       sync.Mutex
	phase    string
	seats    map[string]*seat // by token
	byActor  map[int][]*seat
	decision int      // seat decisions asked so far
	pending  *pending // the decision being asked, or nil
	queued   []int    // events the instructor injects at the next turn
	injected []injection
	turn     int // the latest turn announced
	played   []int
	tr       *sim.Trace
	debrief  *story.Debrief
	text     string // the debrief as story.WriteDebrief writes it
	err      error
}

type seat struct {
	token string
	actor int
	name  string
}

// pending is a seat decision waiting for an answer.
type pending struct {
	n      int
	actor  int
	prompt *play.Prompt
	answer chan answer // buffered: the first answer wins
}

type answer struct {
	choice sim.Choice
	name   string
}

type injection struct {
	Turn  int
	Event int
}

type gameRequest struct {
	Seats   map[string]int    `json:"seats"`
	Seconds int               `json:"seconds"`
	Seed    *uint64           `json:"seed"`
	Run     int               `json:"run"`
	Sets    map[string]string `json:"sets"`
}

// GameEvent is the data of a game event on the lobby and instructor
// streams: a game was opened.
type GameEvent struct {
	Game    int            `json:"game"`
	Seats   map[string]int `json:"seats"`
	Seconds int            `json:"seconds"`
}

// handleNewGame opens a game: the seats each actor offers, the time limit
// of a decision, the seed, run and settings.
func (s *Server) handleNewGame(w http.ResponseWriter, r *http.Request) {
	var req gameRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Run == 0 {
		req.Run = 1
	}
	if req.Seconds == 0 {
		req.Seconds = defaultSeconds
	}
	switch {
	case req.Run < 1:
		writeErr(w, fmt.Errorf("run %d: runs are numbered from 1", req.Run))
		return
	case req.Seconds < minSeconds || req.Seconds > maxSeconds:
		writeErr(w, fmt.Errorf("seconds %d: a decision's time limit is %d to %d seconds", req.Seconds, minSeconds, maxSeconds))
		return
	}
	m, err := s.model(req.Sets)
	if err != nil {
		writeErr(w, err)
		return
	}
	if err := play.Playable(m); err != nil {
		writeErr(w, statusf(http.StatusBadRequest, "%v", err))
		return
	}
	sc := m.Scenario
	caps := map[int]int{}
	for _, id := range slices.Sorted(mapsKeys(req.Seats)) {
		i := sc.ActorIndex(id)
		if i < 0 {
			writeErr(w, fmt.Errorf("seats: %q: %s has no such actor; want one of %s", id, sc.ID, strings.Join(actorIDs(m), ", ")))
			return
		}
		if n := req.Seats[id]; n < 0 || n > MaxSeats {
			writeErr(w, fmt.Errorf("seats: %s: %d students: want 0 to %d", id, n, MaxSeats))
			return
		} else if n > 0 {
			caps[i] = n
		}
	}
	ovs, _ := s.overrides(req.Sets)
	g := &Game{s: s, m: m, sets: setStrings(ovs), seed: seedOr(req.Seed), run: req.Run, seconds: req.Seconds, caps: caps,
		log: NewLog(), phase: phaseOpen, seats: map[string]*seat{}, byActor: map[int][]*seat{}}
	s.mu.Lock()
	if len(s.games) >= MaxGames {
		s.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "%d games are open, the most a server holds: restart it for more", MaxGames))
		return
	}
	s.lastGame++
	g.id = s.lastGame
	s.games[g.id] = g
	s.mu.Unlock()
	ev := GameEvent{Game: g.id, Seats: g.capsByID(), Seconds: g.seconds}
	s.lobby.Append("game", ev)
	s.instr.Append("game", ev)
	writeJSON(w, http.StatusOK, map[string]int{"game": g.id})
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// capsByID returns the seats each actor offers, by actor id.
func (g *Game) capsByID() map[string]int {
	out := map[string]int{}
	for i, n := range g.caps {
		out[g.m.Scenario.Actors[i].ID] = n
	}
	return out
}

type seatRequest struct {
	Actor string `json:"actor"`
	Name  string `json:"name"`
}

// SeatEvent is the data of a seat event.
type SeatEvent struct {
	Actor string `json:"actor"`
	Name  string `json:"name"`
	Taken int    `json:"taken"`
	Cap   int    `json:"cap"`
}

// handleSeat seats a student at an actor, while it has room; the answer's
// token (also set as the parley_seat cookie) is what the student's answers
// carry. An actor no student took at the start stays the model's.
func (s *Server) handleSeat(w http.ResponseWriter, r *http.Request, g *Game) {
	var req seatRequest
	if !decode(w, r, &req) {
		return
	}
	name := strings.TrimSpace(req.Name)
	if name == "" || len([]rune(name)) > 40 {
		writeErr(w, fmt.Errorf("name %q: give a name of 1 to 40 characters", req.Name))
		return
	}
	sc := g.m.Scenario
	i := sc.ActorIndex(req.Actor)
	if i < 0 {
		writeErr(w, fmt.Errorf("actor %q: %s has no such actor; want one of %s", req.Actor, sc.ID, strings.Join(actorIDs(g.m), ", ")))
		return
	}
	token, err := randomHex(16)
	if err != nil {
		writeErr(w, statusf(http.StatusInternalServerError, "%v", err))
		return
	}
	g.mu.Lock()
	switch {
	case g.caps[i] == 0:
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "%s's seat is not open to students in this game: the model plays it", sc.Actors[i].Name))
		return
	case len(g.byActor[i]) >= g.caps[i]:
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "%s's seats are full (%d)", sc.Actors[i].Name, g.caps[i]))
		return
	case g.phase != phaseOpen && len(g.byActor[i]) == 0:
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "the game has started with the model at %s's seat", sc.Actors[i].Name))
		return
	case g.phase == phaseOver:
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "the game is over"))
		return
	}
	st := &seat{token: token, actor: i, name: name}
	g.seats[token] = st
	g.byActor[i] = append(g.byActor[i], st)
	g.log.Append("seat", SeatEvent{Actor: sc.Actors[i].ID, Name: name, Taken: len(g.byActor[i]), Cap: g.caps[i]})
	g.mu.Unlock()
	s.setCookie(w, seatCookie, token)
	writeJSON(w, http.StatusOK, map[string]string{"seat": token})
}

// seatOf returns the seat the request's token names in g, or nil.
func (g *Game) seatOf(r *http.Request) *seat {
	t := r.Header.Get("X-Parley-Seat")
	if c, err := r.Cookie(seatCookie); t == "" && err == nil {
		t = c.Value
	}
	if t == "" {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.seats[t]
}

// handleStart starts the game: the actors with students are played by
// them, the others by the model.
func (s *Server) handleStart(w http.ResponseWriter, r *http.Request, g *Game) {
	g.mu.Lock()
	if g.phase != phaseOpen {
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "the game has already started"))
		return
	}
	s.mu.Lock()
	select {
	case <-s.done:
		s.mu.Unlock()
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusServiceUnavailable, "the server is shutting down"))
		return
	default:
	}
	s.work.Add(1)
	s.mu.Unlock()
	g.phase = phasePlaying
	for i := range g.m.Scenario.Actors {
		if len(g.byActor[i]) > 0 {
			g.played = append(g.played, i)
		}
	}
	g.log.Append("start", map[string]any{"seconds": g.seconds, "seats": play.ActorIDs(g.m.Scenario, g.played)})
	g.mu.Unlock()
	go func() {
		defer s.work.Done()
		g.play(s.ctx)
	}()
	writeJSON(w, http.StatusOK, map[string]string{"game": "started"})
}

// play runs the game to its end on the engine, as 'parley play' does.
func (g *Game) play(ctx context.Context) {
	w := sim.NewWorker(g.m)
	w.InjectWith(g.inject)
	g.mu.Lock()
	played := slices.Clone(g.played)
	g.mu.Unlock()
	p := &gamePlayer{g: g, ctx: ctx}
	tr, err := play.PlayOn(w, g.m, g.seed, g.run, played, p)
	g.mu.Lock()
	g.tr, g.err = tr, err
	g.mu.Unlock()
	if err != nil {
		g.log.Append("end", map[string]any{"outcome": "", "text": "the game stopped: the server is shutting down", "turn": g.turn})
		g.setPhase(phaseOver)
		return
	}
	db, derr := story.NewDebrief(ctx, g.m, g.seed, g.run, played, tr, story.DebriefOptions{Runs: g.s.cfg.DebriefRuns, Top: 3})
	var text strings.Builder
	if derr == nil {
		derr = story.WriteDebrief(&text, db)
	}
	g.mu.Lock()
	if derr == nil {
		g.debrief, g.text = &db, text.String()
	}
	g.phase = phaseOver
	g.mu.Unlock()
	if dir := g.s.cfg.Transcripts; dir != "" {
		if err := g.saveTranscript(dir); err != nil {
			g.log.Append("news", map[string]any{"lines": []string{"the transcript could not be saved: " + err.Error()}})
		}
	}
	g.log.Append("end", map[string]any{"outcome": tr.Record.Outcome.String(), "text": play.OutcomeText(g.m, tr), "turn": tr.Record.EndTurn})
}

func (g *Game) setPhase(p string) {
	g.mu.Lock()
	g.phase = p
	g.mu.Unlock()
}

// inject is the worker's injector: at each turn's events it announces the
// turn and returns the events the instructor queued. It runs on the
// engine's goroutine.
func (g *Game) inject(turn int) []int {
	g.announce(turn, nil)
	g.mu.Lock()
	evs := g.queued
	g.queued = nil
	for _, e := range evs {
		g.injected = append(g.injected, injection{Turn: turn, Event: e})
	}
	g.mu.Unlock()
	for _, e := range evs {
		ev := g.m.Scenario.Events[e]
		g.log.Append("injected", map[string]any{"event": ev.ID, "name": ev.Label, "turn": turn})
	}
	return evs
}

// TurnEvent is the data of a turn event.
type TurnEvent struct {
	Turn  int            `json:"turn"`
	Label string         `json:"label"`
	State map[string]any `json:"state"`
}

// announce sends a turn event when turn is new; p, when not nil, gives
// the state of the talks.
func (g *Game) announce(turn int, p *play.Prompt) {
	g.mu.Lock()
	if turn <= g.turn {
		g.mu.Unlock()
		return
	}
	g.turn = turn
	g.mu.Unlock()
	st := map[string]any{}
	if p != nil {
		st["tension"], st["trust"] = p.Tension, p.Trust
	}
	g.log.Append("turn", TurnEvent{Turn: turn, Label: play.MonthLabel(g.m.Scenario.Start, turn), State: st})
}

// Choice is one answer a decision offers.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// DecideEvent is the data of a decide event: what the seat sees.
type DecideEvent struct {
	Decision int            `json:"decision"`
	Actor    string         `json:"actor"`
	Kind     string         `json:"kind"`
	Title    string         `json:"title"`
	Turn     int            `json:"turn"`
	Label    string         `json:"label"`
	Lines    []string       `json:"lines"`
	Recent   []string       `json:"recent"`
	Offer    string         `json:"offer"`
	State    map[string]any `json:"state"`
	Choices  []Choice       `json:"choices"`
	Seconds  int            `json:"seconds"`
	Deadline int64          `json:"deadline"`
}

// DecidedEvent is the data of a decided event.
type DecidedEvent struct {
	Decision int    `json:"decision"`
	Actor    string `json:"actor"`
	Choice   string `json:"choice"`
	Text     string `json:"text"`
	By       string `json:"by"`
	Name     string `json:"name"`
	Why      string `json:"why"`
}

// gamePlayer is the game's play.Player: each decision goes to the seat's
// students, and the model decides when none answers in time.
type gamePlayer struct {
	g   *Game
	ctx context.Context
}

// Choose implements play.Player.
func (gp *gamePlayer) Choose(p *play.Prompt) (sim.Choice, error) {
	g := gp.g
	if len(p.News) > 0 {
		g.log.Append("news", map[string]any{"lines": changeLines(p.News)})
	}
	g.announce(p.Turn, p)
	sc := g.m.Scenario
	deadline := time.Now().Add(time.Duration(g.seconds) * secondUnit)
	pd := &pending{actor: p.Actor, prompt: p, answer: make(chan answer, 1)}
	g.mu.Lock()
	g.decision++
	pd.n = g.decision
	g.pending = pd
	g.mu.Unlock()
	offer := ""
	if p.Offer >= 0 {
		offer = play.PackageText(g.m, p.Offer)
	}
	recent := p.Recent
	if recent == nil {
		recent = []string{}
	}
	g.log.Append("decide", DecideEvent{
		Decision: pd.n, Actor: sc.Actors[p.Actor].ID, Kind: p.Kind.String(), Title: p.Title(), Turn: p.Turn,
		Label: p.Label, Lines: play.Stakes(p), Recent: recent, Offer: offer,
		State:   map[string]any{"tension": p.Tension, "trust": p.Trust, "aspiration": p.Aspiration, "no_deal": p.NoDeal},
		Choices: choices(g.m, p), Seconds: g.seconds, Deadline: deadline.UnixMilli(),
	})
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	var (
		c       sim.Choice
		by, who string
		why     string
	)
	select {
	case a := <-pd.answer:
		c, by, who = a.choice, "student", a.name
		why = a.name + " decided"
	case <-timer.C:
		g.mu.Lock()
		if g.pending == pd {
			g.pending = nil
		}
		g.mu.Unlock()
		select {
		case a := <-pd.answer: // an answer that came with the deadline
			c, by, who, why = a.choice, "student", a.name, a.name+" decided"
		default:
			c, by = p.ModelChoice, "model"
			why = fmt.Sprintf("no answer within %d seconds: the model decided, as it would have", g.seconds)
		}
	case <-gp.ctx.Done():
		return play.Pass, play.ErrAbandoned
	}
	g.log.Append("decided", DecidedEvent{Decision: pd.n, Actor: sc.Actors[p.Actor].ID, Choice: choiceValue(p, c),
		Text: p.ChoiceText(c), By: by, Name: who, Why: why})
	return c, nil
}

// End implements play.Ender: the changes of state no prompt announced.
func (gp *gamePlayer) End(e *play.End) error {
	if len(e.News) > 0 {
		gp.g.log.Append("news", map[string]any{"lines": changeLines(e.News)})
	}
	return nil
}

// maxScan bounds the packages a decision's suggestions are chosen from.
const maxScan = 50_000

// choices lists the answers a decision offers: yes and no, or for a
// package to put on the table, pass, the model's proposal and the
// packages best for the seat and best balanced for the signatories.
func choices(m *sim.Model, p *play.Prompt) []Choice {
	if !p.IsPackage() {
		yes, no := play.Answers(p.Kind)
		return []Choice{{"yes", yes}, {"no", no}}
	}
	out := []Choice{{"pass", "pass"}}
	seen := map[int]bool{}
	add := func(pkg int) {
		if pkg >= 0 && !seen[pkg] {
			seen[pkg] = true
			out = append(out, Choice{strconv.Itoa(pkg), fmt.Sprintf("%s (worth %.2f to you)", p.ChoiceText(sim.Choice{Package: pkg}), p.Worth(pkg))})
		}
	}
	add(p.ModelChoice.Package)
	if m.Space.Size > maxScan {
		return out
	}
	type scored struct {
		pkg       int
		own, fair float64
	}
	sigs := m.Scenario.Protocol.Signatories
	all := make([]scored, m.Space.Size)
	for k := range all {
		fair := 1.0
		for _, i := range sigs {
			fair = min(fair, p.WorthTo(i, k))
		}
		all[k] = scored{k, p.Worth(k), fair}
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].own > all[b].own })
	for _, x := range all[:min(5, len(all))] {
		add(x.pkg)
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].fair > all[b].fair })
	for _, x := range all[:min(5, len(all))] {
		add(x.pkg)
	}
	return out
}

// choiceValue writes c as an answer's choice: yes, no, pass or a package
// index.
func choiceValue(p *play.Prompt, c sim.Choice) string {
	if p.IsPackage() {
		if c.Package < 0 {
			return "pass"
		}
		return strconv.Itoa(c.Package)
	}
	if c.Yes {
		return "yes"
	}
	return "no"
}

// parseChoice reads an answer's choice for the decision at p.
func parseChoice(m *sim.Model, p *play.Prompt, v string) (sim.Choice, error) {
	if p.IsPackage() {
		if v == "pass" {
			return play.Pass, nil
		}
		k, err := strconv.Atoi(v)
		if err != nil || k < 0 || k >= m.Space.Size {
			return sim.Choice{}, fmt.Errorf("choice %q: want pass or a package number from 0 to %d", v, m.Space.Size-1)
		}
		return sim.Choice{Package: k}, nil
	}
	switch v {
	case "yes":
		return sim.Choice{Yes: true, Package: -1}, nil
	case "no":
		return sim.Choice{Package: -1}, nil
	}
	return sim.Choice{}, fmt.Errorf("choice %q: want yes or no", v)
}

type answerRequest struct {
	Decision int    `json:"decision"`
	Choice   string `json:"choice"`
}

// handleAnswer takes a seated student's answer to their actor's pending
// decision: a student acts only for their own seat.
func (s *Server) handleAnswer(w http.ResponseWriter, r *http.Request, g *Game) {
	var req answerRequest
	if !decode(w, r, &req) {
		return
	}
	st := g.seatOf(r)
	if st == nil {
		writeErr(w, statusf(http.StatusForbidden, "you have no seat in game %d: take one first", g.id))
		return
	}
	g.mu.Lock()
	pd := g.pending
	if pd == nil || pd.n != req.Decision {
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusConflict, "decision %d is not open: it was decided, or is not yet asked", req.Decision))
		return
	}
	if pd.actor != st.actor {
		g.mu.Unlock()
		writeErr(w, statusf(http.StatusForbidden, "decision %d is %s's, and your seat is %s's", req.Decision,
			g.m.Scenario.Actors[pd.actor].Name, g.m.Scenario.Actors[st.actor].Name))
		return
	}
	c, err := parseChoice(g.m, pd.prompt, req.Choice)
	if err != nil {
		g.mu.Unlock()
		writeErr(w, err)
		return
	}
	g.pending = nil // the first answer decides
	pd.answer <- answer{choice: c, name: st.name}
	g.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"decision": req.Decision, "choice": req.Choice})
}

type injectRequest struct {
	Event string `json:"event"`
}

// handleInject queues a scenario event for the game's next turn: it
// happens whatever its chance.
func (s *Server) handleInject(w http.ResponseWriter, r *http.Request, g *Game) {
	var req injectRequest
	if !decode(w, r, &req) {
		return
	}
	sc := g.m.Scenario
	e := slices.IndexFunc(sc.Events, func(e scenarios.Event) bool { return e.ID == req.Event })
	if e < 0 {
		ids := make([]string, len(sc.Events))
		for i, ev := range sc.Events {
			ids[i] = ev.ID
		}
		writeErr(w, fmt.Errorf("event %q: %s has no such event; want one of %s", req.Event, sc.ID, strings.Join(ids, ", ")))
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.phase != phasePlaying:
		writeErr(w, statusf(http.StatusConflict, "events are injected while the game is played (it is %s)", g.phase))
	default:
		g.queued = append(g.queued, e)
		writeJSON(w, http.StatusOK, map[string]any{"event": req.Event, "turn": g.turn + 1})
	}
}

// StateResponse is what GET /api/game/{id}/state answers: every event of
// the game's stream so far, for a page to rebuild its state from, and the
// id to resume the stream after.
type StateResponse struct {
	Game    int            `json:"game"`
	Seats   map[string]int `json:"seats"`
	Seconds int            `json:"seconds"`
	Phase   string         `json:"phase"`
	You     *SeatInfo      `json:"you"`
	Last    int64          `json:"last"`
	Events  []Event        `json:"events"`
}

// SeatInfo is the requesting student's seat.
type SeatInfo struct {
	Actor string `json:"actor"`
	Name  string `json:"name"`
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request, g *Game) {
	evs, _ := g.log.Since(0)
	if evs == nil {
		evs = []Event{}
	}
	st := StateResponse{Game: g.id, Seats: g.capsByID(), Seconds: g.seconds, Events: evs}
	if n := len(evs); n > 0 {
		st.Last = evs[n-1].ID
	}
	if me := g.seatOf(r); me != nil {
		st.You = &SeatInfo{Actor: g.m.Scenario.Actors[me.actor].ID, Name: me.name}
	}
	g.mu.Lock()
	st.Phase = g.phase
	g.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

// SeatDebrief is one seat's debrief.
type SeatDebrief struct {
	Actor    string  `json:"actor"`
	Name     string  `json:"name"`
	Seat     string  `json:"seat"`
	AsPlayed string  `json:"as_played"`
	Payoff   float64 `json:"payoff"`
	// Percentile is where the seat's payoff falls among the model's runs;
	// ModelMean their mean payoff.
	Percentile float64 `json:"percentile"`
	ModelMean  float64 `json:"model_mean"`
	Model      []Share `json:"model"`
	Text       string  `json:"text"`
}

// DebriefResponse is what GET /api/game/{id}/debrief answers.
type DebriefResponse struct {
	Outcome string        `json:"outcome"`
	Text    string        `json:"text"`
	Model   []Share       `json:"model"`
	Seats   []SeatDebrief `json:"seats"`
}

func (s *Server) handleDebrief(w http.ResponseWriter, r *http.Request, g *Game) {
	g.mu.Lock()
	db, text, phase, tr := g.debrief, g.text, g.phase, g.tr
	g.mu.Unlock()
	if phase != phaseOver || tr == nil {
		writeErr(w, statusf(http.StatusConflict, "the game is not over: its debrief comes at the end"))
		return
	}
	if db == nil {
		writeErr(w, statusf(http.StatusConflict, "the game stopped before its end: it has no debrief"))
		return
	}
	model := make([]Share, 0, len(db.Shares))
	for _, sh := range db.Shares {
		model = append(model, Share{Outcome: sh.Outcome, Share: sh.Share, Lo: sh.CILow, Hi: sh.CIHigh})
	}
	out := DebriefResponse{Outcome: db.Outcome, Text: text, Model: model, Seats: []SeatDebrief{}}
	for _, sd := range db.Seats {
		i := g.m.Scenario.ActorIndex(sd.Actor)
		g.mu.Lock()
		names := make([]string, 0, len(g.byActor[i]))
		for _, st := range g.byActor[i] {
			names = append(names, st.name)
		}
		g.mu.Unlock()
		out.Seats = append(out.Seats, SeatDebrief{Actor: sd.Actor, Name: sd.Name, Seat: story.AndList(names), AsPlayed: db.Outcome,
			Payoff: sd.Payoff, Percentile: sd.Percentile, ModelMean: sd.Mean, Model: model, Text: text})
	}
	writeJSON(w, http.StatusOK, out)
}

// transcript returns the game's transcript, as 'parley play --transcript'
// writes it.
func (g *Game) transcript() (play.Transcript, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.phase != phaseOver || g.tr == nil:
		return play.Transcript{}, statusf(http.StatusConflict, "the game is not over: its transcript comes at the end")
	case g.err != nil:
		return play.Transcript{}, statusf(http.StatusConflict, "the game stopped before its end: it has no transcript")
	}
	return play.NewTranscript(g.m, g.s.cfg.Scenario, g.sets, g.seed, g.run, g.played, g.tr), nil
}

func (s *Server) handleTranscript(w http.ResponseWriter, r *http.Request, g *Game) {
	t, err := g.transcript()
	if err != nil {
		writeErr(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="game-%d.json"`, g.id))
	_ = play.WriteTranscript(w, t)
}

// saveTranscript writes the game's transcript to dir/game-N.json.
func (g *Game) saveTranscript(dir string) error {
	t, err := g.transcript()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, fmt.Sprintf("game-%s-%d.json", g.s.started.Format("20060102-150405"), g.id))
	return outfile.Write(path, func(w io.Writer) error { return play.WriteTranscript(w, t) })
}
