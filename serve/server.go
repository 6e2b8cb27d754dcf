// Package serve is parley's seminar room: a web server that gives an
// instructor a page to run batches, compare settings and tell one run, and
// lets students take actors' seats in a class game played on the same
// engine as 'parley play'. Live updates go out as server-sent events with
// ids, so a client that reconnects resumes where it left off.
//
// Every page, script and style is embedded (see pages.go); the server
// loads nothing from another host. On a loopback listener the instructor
// needs nothing; on any other, every request but the student page and
// the assets needs the join code printed at start, and the instructor's
// requests the instructor token.
//
// Routes (the HTTP API the pages code to):
//
//	GET  /                          instructor page (registerPages)
//	GET  /join?code=C               student page (registerPages)
//	GET  /assets/...                embedded scripts and styles (registerPages)
//	GET  /api/scenario              the scenario, its actors, events and controls
//	GET  /api/qr.png                a QR code of the join URL (instructor)
//	POST /api/batch, /api/compare, /api/told   the instructor's lab (lab.go)
//	GET  /api/instructor/state      the instructor stream so far
//	POST /api/game                  open a class game (instructor; game.go)
//	POST /api/game/{id}/seat        take a seat (student)
//	POST /api/game/{id}/start, /inject          (instructor)
//	POST /api/game/{id}/answer      a seat's answer (its own seat only)
//	GET  /api/game/{id}/state, /debrief, /transcript
//	GET  /events?stream=instructor|lobby|game/ID   server-sent events
package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/results/report"
	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// Limits. A classroom is a few dozen laptops: these bound what a
// misbehaving or hostile client can make the server hold.
const (
	// MaxBody bounds a request body; a larger one is refused with 413.
	MaxBody = 64 << 10
	// MaxConns bounds the connections open at once (each page holds one
	// event stream and a few short requests); later ones wait.
	MaxConns = 512
	// MaxStreams bounds the event streams open at once; more get 503.
	MaxStreams = 400
	// MaxBatches bounds the batches (and compares) running at once; more
	// get 409.
	MaxBatches = 8
	// MaxRuns bounds one batch's runs (a compare runs it twice).
	MaxRuns = 200_000
	// MaxGames bounds the class games a server holds.
	MaxGames = 64
	// MaxSeats bounds the students at one actor of a game.
	MaxSeats = 200
	// MaxSets bounds the overrides of one request.
	MaxSets = 64
)

// DefaultSeed is the seed batches and games use when none is given: the
// one 'parley run' uses.
const DefaultSeed = 20180327

// Config is what a server serves and how.
type Config struct {
	// Scenario is the scenario as given on the command line (a built-in
	// name or a file path); Sets its --set overrides, under every
	// browser's.
	Scenario string
	Sets     []scenarios.Override
	// RequireCode makes every request but the student page and the assets
	// need the join code, and the instructor's the instructor token: a
	// listener other than loopback.
	RequireCode bool
	// Transcripts, when not "", is a directory where each finished game's
	// transcript is written as it ends (game-START-N.json, START the
	// server's start time, N the game's number).
	Transcripts string
	// Workers is the number of workers a batch uses (0: all cores).
	Workers int
	// Fit checks, before a scenario is compiled, that the engine can play
	// it in the memory there is (the command line's check); nil checks
	// nothing.
	Fit func(sc *scenarios.Scenario) error
	// DebriefRuns is the number of model runs a game's debrief sets the
	// game against (2000 when 0).
	DebriefRuns int
}

// Server is a seminar room for one scenario.
type Server struct {
	cfg   Config
	sc    *scenarios.Scenario
	base  *sim.Model
	code  string // the join code, new at each start
	token string // the instructor's token
	mux   *http.ServeMux
	h     http.Handler

	instr *Log // the instructor's stream: batches, compares, games opened
	lobby *Log // where students wait for a game

	ctx    context.Context // cancelled at shutdown: batches and games stop
	cancel context.CancelFunc
	done   chan struct{} // closed at shutdown: event streams end
	work   sync.WaitGroup

	mu        sync.Mutex
	games     map[int]*Game
	lastGame  int
	lastBatch int
	running   int
	joinURL   string
	models    map[string]*sim.Model

	streams atomic.Int32
	started time.Time
}

// New loads the scenario with its overrides, checks that it can be
// played, and returns a server with a new join code and instructor token.
func New(cfg Config) (*Server, error) {
	if cfg.DebriefRuns <= 0 {
		cfg.DebriefRuns = 2000
	}
	s := &Server{cfg: cfg, games: map[int]*Game{}, models: map[string]*sim.Model{}, done: make(chan struct{}), started: time.Now()}
	m, err := s.model(nil)
	if err != nil {
		return nil, err
	}
	s.base, s.sc = m, m.Scenario
	if s.code, err = joinCode(); err != nil {
		return nil, err
	}
	if s.token, err = randomHex(16); err != nil {
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.instr, s.lobby = NewLog(), NewLog()
	s.mux = http.NewServeMux()
	s.routes()
	s.h = s.guard(s.mux)
	return s, nil
}

// Code returns the join code students type (or scan).
func (s *Server) Code() string { return s.code }

// Token returns the instructor's token.
func (s *Server) Token() string { return s.token }

// Scenario returns the scenario served, with the command line's
// overrides.
func (s *Server) Scenario() *scenarios.Scenario { return s.sc }

// Handler returns the server's HTTP handler: its routes behind the join
// code, the instructor token and the body limit.
func (s *Server) Handler() http.Handler { return s.h }

// SetURL sets the address students reach the server at ("http://host:port"),
// from which the join URL and its QR code are made.
func (s *Server) SetURL(base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.joinURL = strings.TrimSuffix(base, "/") + "/join?code=" + s.code
}

// JoinURL returns the URL students open to join.
func (s *Server) JoinURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.joinURL
}

// InstructorURL returns the instructor's link for base: on a listener that
// requires the code, it carries the instructor token.
func (s *Server) InstructorURL(base string) string {
	base = strings.TrimSuffix(base, "/") + "/"
	if s.cfg.RequireCode {
		return base + "?token=" + s.token
	}
	return base
}

// Serve serves on ln until ctx is done, then shuts down: event streams
// end, running batches and games stop, requests in flight get up to five
// seconds, and every finished game's transcript is in the transcripts
// directory (each is written as its game ends). It returns nil after a
// clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(limitListener(ln, MaxConns)) }()
	select {
	case err := <-errc:
		s.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
	}
	<-errc
	return nil
}

// Close stops the server's work: event streams end and batches and games
// stop; it waits for them.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.done:
	default:
		close(s.done)
	}
	s.mu.Unlock()
	s.cancel()
	s.work.Wait()
}

// routes registers the API and the pages.
func (s *Server) routes() {
	mx := s.mux
	registerPages(mx, s)
	mx.HandleFunc("GET /api/scenario", s.handleScenario)
	mx.HandleFunc("GET /api/qr.png", s.instructor(s.handleQR))
	mx.HandleFunc("GET /api/control", s.instructor(s.handleControl))
	mx.HandleFunc("GET /api/instructor/state", s.instructor(s.handleInstructorState))
	mx.HandleFunc("POST /api/batch", s.instructor(s.handleBatch))
	mx.HandleFunc("POST /api/compare", s.instructor(s.handleCompare))
	mx.HandleFunc("POST /api/told", s.instructor(s.handleTold))
	mx.HandleFunc("POST /api/game", s.instructor(s.handleNewGame))
	mx.HandleFunc("POST /api/game/{id}/seat", s.withGame(s.handleSeat))
	mx.HandleFunc("POST /api/game/{id}/start", s.instructor(s.withGame(s.handleStart)))
	mx.HandleFunc("POST /api/game/{id}/inject", s.instructor(s.withGame(s.handleInject)))
	mx.HandleFunc("POST /api/game/{id}/answer", s.withGame(s.handleAnswer))
	mx.HandleFunc("GET /api/game/{id}/state", s.withGame(s.handleState))
	mx.HandleFunc("GET /api/game/{id}/debrief", s.withGame(s.handleDebrief))
	mx.HandleFunc("GET /api/game/{id}/transcript", s.withGame(s.handleTranscript))
	mx.HandleFunc("GET /events", s.handleEvents)
	mx.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint: "+r.Method+" "+r.URL.Path)
	})
}

// Cookies.
const (
	codeCookie       = "parley_code"
	instructorCookie = "parley_instructor"
	seatCookie       = "parley_seat"
)

// guard wraps every request: security headers, the body limit, the
// same-origin check of requests that change something, and the join
// code; on the instructor's page it sets the instructor's cookies.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// Nothing loads from another host, and no page runs an inline
		// script or style.
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if r.ContentLength > MaxBody {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body of %d bytes: at most %d", r.ContentLength, MaxBody))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !sameOrigin(r) {
			writeError(w, http.StatusForbidden, "cross-site request refused")
			return
		}
		switch p := r.URL.Path; {
		case p == "/":
			if !s.cfg.RequireCode {
				s.setCookie(w, instructorCookie, s.token)
				s.setCookie(w, codeCookie, s.code)
			} else if t := r.URL.Query().Get("token"); t != "" && equal(t, s.token) {
				s.setCookie(w, instructorCookie, s.token)
				s.setCookie(w, codeCookie, s.code)
			} else if !s.isInstructor(r) {
				http.Redirect(w, r, "/join", http.StatusSeeOther)
				return
			}
		case p == "/join":
			if c := r.URL.Query().Get("code"); c != "" && equal(strings.ToUpper(c), s.code) {
				s.setCookie(w, codeCookie, s.code)
			}
		case strings.HasPrefix(p, "/assets/"):
		default:
			if !s.hasCode(r) {
				writeError(w, http.StatusForbidden, "this needs the join code: open the join link the instructor gives")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether a request that changes something comes from
// the server's own pages (or from no browser page at all).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" && r.Header.Get("Sec-Fetch-Site") == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// isInstructor reports whether r comes from the instructor: anyone on a
// loopback listener, else the holder of the token.
func (s *Server) isInstructor(r *http.Request) bool {
	if !s.cfg.RequireCode {
		return true
	}
	if c, err := r.Cookie(instructorCookie); err == nil && equal(c.Value, s.token) {
		return true
	}
	return equal(r.URL.Query().Get("token"), s.token)
}

// hasCode reports whether r may reach the class: it carries the join code
// (query or cookie), or comes from the instructor.
func (s *Server) hasCode(r *http.Request) bool {
	if s.isInstructor(r) {
		return true
	}
	if c := r.URL.Query().Get("code"); c != "" && equal(strings.ToUpper(c), s.code) {
		return true
	}
	c, err := r.Cookie(codeCookie)
	return err == nil && equal(c.Value, s.code)
}

// instructor lets only the instructor through to h.
func (s *Server) instructor(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.isInstructor(r) {
			writeError(w, http.StatusForbidden, "only the instructor can do this")
			return
		}
		h(w, r)
	}
}

// joinAlphabet leaves out letters and digits read alike (0 O, 1 I L).
const joinAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// joinCode returns a new random join code of 8 characters from
// joinAlphabet (31^8, about 8.5·10^11 codes), drawn from crypto/rand.
func joinCode() (string, error) {
	b := make([]byte, 8)
	for i := range b {
		var r [1]byte
		for {
			if _, err := rand.Read(r[:]); err != nil {
				return "", fmt.Errorf("serve: join code: %w", err)
			}
			// Rejection sampling: no letter is likelier than another.
			if int(r[0]) < 256/len(joinAlphabet)*len(joinAlphabet) {
				break
			}
		}
		b[i] = joinAlphabet[int(r[0])%len(joinAlphabet)]
	}
	return string(b), nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("serve: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// writeJSON writes v as JSON with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes {"error": msg} with status code.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// errStatus is an error with the HTTP status it answers with.
type errStatus struct {
	code int
	msg  string
}

func (e *errStatus) Error() string { return e.msg }

func statusf(code int, format string, args ...any) error {
	return &errStatus{code, fmt.Sprintf(format, args...)}
}

// writeErr answers with err: its status when it has one, else 400 (a bad
// input: the scenario's own errors name the key and what was expected).
func writeErr(w http.ResponseWriter, err error) {
	var es *errStatus
	if errors.As(err, &es) {
		writeError(w, es.code, es.msg)
		return
	}
	writeError(w, http.StatusBadRequest, err.Error())
}

// decode reads a JSON body into v: unknown fields are refused, as is a
// body over MaxBody (413).
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("one JSON object expected, more found")
		}
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", MaxBody))
		return false
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("empty body: a JSON object expected")
	}
	writeError(w, http.StatusBadRequest, "request body: "+err.Error())
	return false
}

// overrides turns a browser's settings into --set overrides, each checked
// as --set checks it; they apply after the command line's.
func (s *Server) overrides(sets map[string]string) ([]scenarios.Override, error) {
	if len(sets) > MaxSets {
		return nil, fmt.Errorf("%d settings: at most %d", len(sets), MaxSets)
	}
	keys := make([]string, 0, len(sets))
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := slices.Clone(s.cfg.Sets)
	for _, k := range keys {
		o, err := scenarios.ParseOverride(k + "=" + sets[k])
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// setStrings lists overrides as --set writes them.
func setStrings(ovs []scenarios.Override) []string {
	out := make([]string, len(ovs))
	for i, o := range ovs {
		out[i] = o.Path + "=" + o.Value
	}
	return out
}

// model loads the scenario with the command line's overrides and the
// browser's sets, checks it fits, and compiles it; compiled models are
// kept (at most 32) for the next request with the same settings.
func (s *Server) model(sets map[string]string) (*sim.Model, error) {
	ovs, err := s.overrides(sets)
	if err != nil {
		return nil, err
	}
	key := strings.Join(setStrings(ovs), "\x00")
	s.mu.Lock()
	m, ok := s.models[key]
	s.mu.Unlock()
	if ok {
		return m, nil
	}
	sc, err := scenarios.Load(s.cfg.Scenario, ovs)
	if err != nil {
		return nil, err
	}
	if s.cfg.Fit != nil {
		if err := s.cfg.Fit(sc); err != nil {
			return nil, err
		}
	}
	if m, err = sim.Compile(sc); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.models) >= 32 {
		clear(s.models)
	}
	s.models[key] = m
	s.mu.Unlock()
	return m, nil
}

// ScenarioInfo is what GET /api/scenario answers.
type ScenarioInfo struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Question string      `json:"question"`
	Actors   []ActorInfo `json:"actors"`
	Issues   []IssueInfo `json:"issues"`
	Events   []EventInfo `json:"events"`
	Controls []Control   `json:"controls"`
	// Keys lists every key the instructor may add a control for (the
	// instructor's page only).
	Keys []string `json:"keys,omitempty"`
	// Join is the join URL (for the instructor; "" for a student); Game
	// the latest game opened, 0 when none.
	Join string `json:"join"`
	Game int    `json:"game"`
}

// ActorInfo is an actor of the scenario.
type ActorInfo struct {
	ID    string   `json:"id"`
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Wants []string `json:"wants"`
}

// IssueInfo is an issue and its levels, in package-encoding order.
type IssueInfo struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Levels []string `json:"levels"`
}

// EventInfo is a scenario event the instructor can inject.
type EventInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Control is a key of the scenario the instructor's page sets.
type Control struct {
	Key       string   `json:"key"`
	Label     string   `json:"label"`
	Kind      string   `json:"kind"` // slider or select
	Min       float64  `json:"min"`
	Max       float64  `json:"max"`
	Step      float64  `json:"step"`
	Options   []Option `json:"options"`
	Value     string   `json:"value"`
	Uncertain bool     `json:"uncertain,omitempty"`
}

// Option is one value of a select, with what the page shows for it.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// optionLabel names a choice for a person: an actor by its name, a
// boolean as yes or no.
func optionLabel(sc *scenarios.Scenario, v string) string {
	if i := sc.ActorIndex(v); i >= 0 {
		return sc.Actors[i].Name
	}
	switch v {
	case "true":
		return "yes"
	case "false":
		return "no"
	}
	return strings.ReplaceAll(v, "_", " ")
}

// scenarioInfo describes the scenario for the pages; instructor says
// whether the join URL goes in.
func (s *Server) scenarioInfo() ScenarioInfo {
	return s.info(true)
}

func (s *Server) info(instructor bool) ScenarioInfo {
	sc := s.sc
	in := ScenarioInfo{ID: sc.ID, Title: sc.Title, Question: sc.Question, Actors: []ActorInfo{}, Issues: []IssueInfo{}, Events: []EventInfo{}}
	for i, a := range sc.Actors {
		role := "other"
		switch {
		case slices.Contains(sc.Protocol.Signatories, i):
			role = "signatory"
		case sc.Protocol.Mediator == i:
			role = "mediator"
		}
		in.Actors = append(in.Actors, ActorInfo{ID: a.ID, Name: a.Name, Role: story.RoleName(role), Wants: wants(sc, i)})
	}
	for _, is := range sc.Issues {
		in.Issues = append(in.Issues, IssueInfo{ID: is.ID, Name: is.Name, Levels: is.Levels})
	}
	for _, e := range sc.Events {
		in.Events = append(in.Events, EventInfo{ID: e.ID, Name: e.Label})
	}
	in.Controls = controls(sc)
	if instructor {
		in.Keys = sc.Keys()
		in.Join = s.JoinURL()
	}
	s.mu.Lock()
	in.Game = s.lastGame
	s.mu.Unlock()
	return in
}

// wants says in a few lines what actor i wants: its best level of each
// issue it weighs, heaviest first, with the issue's weight (its mean).
func wants(sc *scenarios.Scenario, i int) []string {
	a := sc.Actors[i]
	type want struct {
		w    float64
		line string
	}
	var ws []want
	for j, is := range sc.Issues {
		if j >= len(a.Weights) || j >= len(a.Values) {
			continue
		}
		w := mean(a.Weights[j])
		if w <= 0 {
			continue
		}
		best, bv := 0, -1.0
		for l := range is.Levels {
			if l < len(a.Values[j]) {
				if v := mean(a.Values[j][l]); v > bv {
					best, bv = l, v
				}
			}
		}
		ws = append(ws, want{w, fmt.Sprintf("%s: %s (weight %.2f)", is.Name, is.Levels[best], w)})
	}
	sort.SliceStable(ws, func(x, y int) bool { return ws[x].w > ws[y].w })
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.line)
	}
	return out
}

func mean(n scenarios.Number) float64 {
	if n.Dist != nil {
		return n.Dist.Mean()
	}
	return n.Value
}

// controls returns the keys the instructor's page offers: the scenario's
// [classroom] controls, else a default set (each actor's hawkishness,
// the mediator and the partial deals, as far as the scenario holds them).
func controls(sc *scenarios.Scenario) []Control {
	paths := sc.Controls
	if len(paths) == 0 {
		for _, a := range sc.Actors {
			paths = append(paths, "actors."+a.ID+".hawkishness")
		}
		paths = append(paths, "protocol.mediator", "protocol.partial_deals", "dynamics.tension", "dynamics.trust")
	}
	out := []Control{}
	for _, p := range paths {
		if c, ok := controlFor(sc, p); ok {
			out = append(out, c)
		}
	}
	return out
}

// controlFor returns the control of the key at path, or false when --set
// cannot set it to one value.
func controlFor(sc *scenarios.Scenario, path string) (Control, bool) {
	k, ok := sc.Key(path)
	if !ok {
		return Control{}, false
	}
	c := Control{Key: k.Path, Label: report.KeyLabel(sc, k.Path), Value: k.Value, Uncertain: k.Uncertain, Options: []Option{}}
	switch k.Kind {
	case scenarios.KeyNumber, scenarios.KeyInteger:
		c.Kind, c.Min, c.Max = "slider", k.Min, k.Max
		v, _ := strconv.ParseFloat(k.Value, 64)
		switch {
		case c.Max > 1e9: // no upper bound: offer up to twice the value, at least 1
			c.Max = max(1, 2*v)
		case c.Max-c.Min > 100 && c.Max > 10*math.Abs(v):
			// A wide range (a deadline of up to 100,000 turns): the
			// slider reaches ten times the value.
			c.Max = max(10*math.Abs(v), c.Min+100)
		}
		c.Step = niceStep(c.Max - c.Min)
		if k.Kind == scenarios.KeyInteger {
			c.Step = 1
		} else if r := math.Remainder(v-c.Min, c.Step); math.Abs(r) > 1e-9*c.Step {
			c.Step = 0 // the value is no position of that step: any value
		}
	default:
		c.Kind = "select"
		for _, v := range k.Choices {
			c.Options = append(c.Options, Option{Value: v, Label: optionLabel(sc, v)})
		}
	}
	return c, true
}

// niceStep returns the step of a slider over span: about a hundredth of
// it, rounded to 1, 2 or 5 times a power of ten.
func niceStep(span float64) float64 {
	if span <= 0 || math.IsInf(span, 0) || math.IsNaN(span) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(span/100)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= span/100 {
			return m * p
		}
	}
	return 10 * p
}

// handleControl answers the control of one key (GET /api/control?key=K),
// for the instructor to add to the page; an unknown key is refused with
// the nearest one.
func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	c, ok := controlFor(s.sc, key)
	if !ok {
		msg := fmt.Sprintf("%q is not a key of %s that --set sets to one value", key, s.sc.ID)
		if near, ok := scenarios.Nearest(key, s.sc.Keys()); ok {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.info(s.isInstructor(r)))
}

// handleQR serves a QR code of the join URL as a PNG.
func (s *Server) handleQR(w http.ResponseWriter, r *http.Request) {
	png, err := qrcode.Encode(s.JoinURL(), qrcode.Medium, 320)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "QR code: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}

// handleEvents streams a log: the instructor's, the lobby's or a game's.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	var l *Log
	switch st := r.URL.Query().Get("stream"); {
	case st == "instructor":
		if !s.isInstructor(r) {
			writeError(w, http.StatusForbidden, "only the instructor can do this")
			return
		}
		l = s.instr
	case st == "lobby":
		l = s.lobby
	case strings.HasPrefix(st, "game/"):
		g, err := s.game(strings.TrimPrefix(st, "game/"))
		if err != nil {
			writeErr(w, err)
			return
		}
		l = g.log
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("stream %q: want instructor, lobby or game/ID", st))
		return
	}
	if n := s.streams.Add(1); n > MaxStreams {
		s.streams.Add(-1)
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("%d event streams are open, the most this server holds", MaxStreams))
		return
	}
	defer s.streams.Add(-1)
	writeSSE(w, r, l, s.done)
}

func (s *Server) handleInstructorState(w http.ResponseWriter, r *http.Request) {
	evs, _ := s.instr.Since(0)
	if evs == nil {
		evs = []Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"last": s.instr.Last(), "events": evs})
}

// game returns the game numbered id.
func (s *Server) game(id string) (*Game, error) {
	n, err := strconv.Atoi(id)
	s.mu.Lock()
	g := s.games[n]
	s.mu.Unlock()
	if err != nil || g == nil {
		return nil, statusf(http.StatusNotFound, "no game %q", id)
	}
	return g, nil
}

// withGame passes the request's game to h.
func (s *Server) withGame(h func(http.ResponseWriter, *http.Request, *Game)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g, err := s.game(r.PathValue("id"))
		if err != nil {
			writeErr(w, err)
			return
		}
		h(w, r, g)
	}
}

// limitListener accepts at most n connections open at once; later ones
// wait until one closes.
func limitListener(ln net.Listener, n int) net.Listener {
	return &limited{Listener: ln, sem: make(chan struct{}, n)}
}

type limited struct {
	net.Listener
	sem chan struct{}
}

func (l *limited) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// Outcomes in the order shares are listed.
var outcomes = func() []sim.Outcome {
	out := make([]sim.Outcome, sim.NumOutcomes)
	for i := range out {
		out[i] = sim.Outcome(i)
	}
	return out
}()

// changeLines words changes of state for a news event.
func changeLines(cs []play.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}
