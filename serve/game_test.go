package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// policyPlayer plays seats as the tests' students do: it offers each
// decision the choices a game offers and takes seatPolicy's.
type policyPlayer struct {
	m *sim.Model
	n int
}

func (pp *policyPlayer) Choose(p *play.Prompt) (sim.Choice, error) {
	pp.n++
	v := seatPolicy(DecideEvent{Decision: pp.n, Choices: choices(pp.m, p)})
	return parseChoice(pp.m, p, v)
}

// playGame plays game id to its end as one student at actor, answering
// with seatPolicy; it returns every event the student's stream delivered.
// reconnectEvery > 0 closes the stream after that many events and
// reopens it with Last-Event-ID.
func playGame(t *testing.T, stu *client, id int, reconnectEvery int) []Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []Event
	var last int64
	name := fmt.Sprintf("game/%d", id)
	st, err := stu.open(ctx, name, 0)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; ; n++ {
		e, err := st.next()
		if err != nil {
			t.Fatalf("event after %d: %v", last, err)
		}
		got = append(got, e)
		last = e.ID
		switch e.Type {
		case "decide":
			var d DecideEvent
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			stu.must("POST", fmt.Sprintf("/api/game/%d/answer", id), map[string]any{"decision": d.Decision, "choice": seatPolicy(d)}, nil)
		case "end":
			st.close()
			return got
		}
		if reconnectEvery > 0 && n%reconnectEvery == 0 {
			// The laptop sleeps: the connection drops, and EventSource
			// comes back with the last id it saw.
			st.close()
			if st, err = stu.open(ctx, name, last); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// openGame opens a game with the given seats and a student at actor, and
// starts it.
func openGame(t *testing.T, inst, stu *client, seats map[string]int, actor string, run int) int {
	t.Helper()
	var g struct{ Game int }
	inst.must("POST", "/api/game", map[string]any{"seats": seats, "seconds": 600, "run": run}, &g)
	stu.must("POST", fmt.Sprintf("/api/game/%d/seat", g.Game), map[string]string{"actor": actor, "name": "Ada"}, nil)
	inst.must("POST", fmt.Sprintf("/api/game/%d/start", g.Game), nil, nil)
	return g.Game
}

// A seated game reproduces 'parley play': the transcript the server gives
// is byte for byte the one play writes for the same choices, and 'parley
// narrate --transcript' replays it.
func TestGameTranscriptIsPlays(t *testing.T) {
	_, hs := testServer(t, Config{})
	inst, stu := newClient(t, hs.URL), newClient(t, hs.URL)
	const run = 2
	id := openGame(t, inst, stu, map[string]int{"us": 1}, "us", run)
	var evs []Event
	within(t, 20*time.Second, "the game", func() { evs = playGame(t, stu, id, 0) })
	decided := 0
	for _, e := range evs {
		if e.Type == "decided" {
			var d DecidedEvent
			_ = json.Unmarshal(e.Data, &d)
			if d.By != "student" || d.Name != "Ada" {
				t.Errorf("decision %d taken by %s %q, want the student Ada", d.Decision, d.By, d.Name)
			}
			decided++
		}
	}
	if decided == 0 {
		t.Fatal("the game asked the seat nothing")
	}

	code, got := stu.do("GET", fmt.Sprintf("/api/game/%d/transcript", id), nil)
	if code != http.StatusOK {
		t.Fatalf("transcript: %d %s", code, got)
	}
	sc, err := scenarios.Load("korea-2018", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	seats := []int{sc.ActorIndex("us")}
	tr, err := play.Play(m, DefaultSeed, run, seats, &policyPlayer{m: m})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Decisions) != decided {
		t.Fatalf("play asked %d decisions, the game %d", len(tr.Decisions), decided)
	}
	var want bytes.Buffer
	if err := play.WriteTranscript(&want, play.NewTranscript(m, "korea-2018", nil, DefaultSeed, run, seats, tr)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("the game's transcript differs from play's:\n%s\nwant\n%s", got, want.Bytes())
	}
	tt, err := play.ReadTranscript(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tt.Replay(m); err != nil {
		t.Errorf("the transcript does not replay: %v", err)
	}
	departed := false
	for _, d := range tr.Decisions {
		departed = departed || d.Choice != d.Model
	}
	if !departed {
		t.Error("the students chose as the model would throughout: the test shows nothing")
	}

	var db DebriefResponse
	stu.must("GET", fmt.Sprintf("/api/game/%d/debrief", id), nil, &db)
	if len(db.Seats) != 1 || db.Seats[0].Actor != "us" || db.Seats[0].Seat != "Ada" || len(db.Model) != sim.NumOutcomes || db.Text == "" {
		t.Errorf("debrief %+v", db)
	}
	if db.Outcome != tr.Record.Outcome.String() {
		t.Errorf("debrief outcome %s, play's %s", db.Outcome, tr.Record.Outcome)
	}
}

// A student's laptop that sleeps and comes back mid-game loses no event
// and gets none twice; a page reloading the state sees what the stream
// built.
func TestReconnectLosesNothing(t *testing.T) {
	_, hs := testServer(t, Config{})
	inst, stu := newClient(t, hs.URL), newClient(t, hs.URL)
	id := openGame(t, inst, stu, map[string]int{"north_korea": 2}, "north_korea", 1)
	var evs []Event
	within(t, 20*time.Second, "the game", func() { evs = playGame(t, stu, id, 3) })
	for i, e := range evs {
		if e.ID != int64(i+1) {
			t.Fatalf("event %d has id %d: lost or duplicated across reconnects", i+1, e.ID)
		}
	}
	var st StateResponse
	stu.must("GET", fmt.Sprintf("/api/game/%d/state", id), nil, &st)
	if st.Last != int64(len(evs)) || st.You == nil || st.You.Actor != "north_korea" || st.Phase != phaseOver {
		t.Errorf("state: last %d (the stream's %d), you %+v, phase %s", st.Last, len(evs), st.You, st.Phase)
	}
	if len(st.Events) != len(evs) {
		t.Fatalf("state holds %d events, the stream gave %d", len(st.Events), len(evs))
	}
	for i := range evs {
		if !reflect.DeepEqual(st.Events[i], evs[i]) && !jsonEqual(st.Events[i].Data, evs[i].Data) {
			t.Errorf("event %d: state %s %s, stream %s %s", i+1, st.Events[i].Type, st.Events[i].Data, evs[i].Type, evs[i].Data)
		}
	}
	// A reload that resumes after the state's last event gets nothing
	// more: the game is over, and nothing repeats.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	s2, err := stu.open(ctx, fmt.Sprintf("game/%d", id), st.Last)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := s2.next(); err == nil {
		t.Errorf("after the last event the stream sent %s %d", e.Type, e.ID)
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// A seat that does not answer in time gets the model's choice, and the
// event says so.
func TestUnansweredSeatIsTheModels(t *testing.T) {
	defer func(u time.Duration) { secondUnit = u }(secondUnit)
	secondUnit = 2 * time.Millisecond // a 5-"second" limit lasts 10ms
	_, hs := testServer(t, Config{})
	inst, stu := newClient(t, hs.URL), newClient(t, hs.URL)
	var g struct{ Game int }
	inst.must("POST", "/api/game", map[string]any{"seats": map[string]int{"us": 1}, "seconds": 5}, &g)
	stu.must("POST", fmt.Sprintf("/api/game/%d/seat", g.Game), map[string]string{"actor": "us", "name": "Sleepy"}, nil)
	inst.must("POST", fmt.Sprintf("/api/game/%d/start", g.Game), nil, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := stu.open(ctx, fmt.Sprintf("game/%d", g.Game), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	models := 0
	for {
		e, err := st.next()
		if err != nil {
			t.Fatal(err)
		}
		if e.Type == "decided" {
			var d DecidedEvent
			_ = json.Unmarshal(e.Data, &d)
			if d.By != "model" || d.Why == "" {
				t.Fatalf("unanswered decision %d: by %s, why %q", d.Decision, d.By, d.Why)
			}
			models++
			// Too late: the decision is closed.
			if code, _ := stu.do("POST", fmt.Sprintf("/api/game/%d/answer", g.Game), map[string]any{"decision": d.Decision, "choice": "yes"}); code != http.StatusConflict {
				t.Errorf("a late answer got %d, want 409", code)
			}
		}
		if e.Type == "end" {
			break
		}
	}
	if models == 0 {
		t.Fatal("no decision was asked")
	}
	// The model played every decision: the transcript's game is the
	// model's own run.
	code, b := stu.do("GET", fmt.Sprintf("/api/game/%d/transcript", g.Game), nil)
	if code != http.StatusOK {
		t.Fatalf("transcript: %d %s", code, b)
	}
	tt, err := play.ReadTranscript(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range tt.Decisions {
		if !reflect.DeepEqual(d.Choice, d.Model) {
			t.Errorf("decision on turn %d: chose %+v, the model %+v", d.Turn, d.Choice, d.Model)
		}
	}

}

// The instructor injects an event mid-game: it happens at the next turn,
// the stream says so, and the game's transcript replays it.
func TestInjectEvent(t *testing.T) {
	srv, hs := testServer(t, Config{})
	inst, stu := newClient(t, hs.URL), newClient(t, hs.URL)
	id := openGame(t, inst, stu, map[string]int{"us": 1}, "us", 1)
	sc, _ := scenarios.Load("korea-2018", nil)
	ev := sc.Events[0].ID
	if code, b := inst.do("POST", fmt.Sprintf("/api/game/%d/inject", id), map[string]string{"event": "no-such-event"}); code != http.StatusBadRequest ||
		!strings.Contains(string(b), ev) {
		t.Errorf("an unknown event: %d %s, want 400 listing the events", code, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := stu.open(ctx, fmt.Sprintf("game/%d", id), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	injected, asked := false, false
	for {
		e, err := st.next()
		if err != nil {
			t.Fatal(err)
		}
		switch e.Type {
		case "decide":
			var d DecideEvent
			_ = json.Unmarshal(e.Data, &d)
			if !asked {
				asked = true
				inst.must("POST", fmt.Sprintf("/api/game/%d/inject", id), map[string]string{"event": ev}, nil)
			}
			stu.must("POST", fmt.Sprintf("/api/game/%d/answer", id), map[string]any{"decision": d.Decision, "choice": seatPolicy(d)}, nil)
		case "injected":
			var in struct{ Event string }
			_ = json.Unmarshal(e.Data, &in)
			injected = in.Event == ev
		}
		if e.Type == "end" {
			break
		}
	}
	if !injected {
		t.Fatalf("no injected event for %s", ev)
	}
	// The transcript records the injection, and its replay is the game.
	code, body := stu.do("GET", fmt.Sprintf("/api/game/%d/transcript", id), nil)
	if code != http.StatusOK {
		t.Fatalf("the transcript of a game with an injection: %d %s", code, body)
	}
	tx, err := play.ReadTranscript(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(tx.Injected) != 1 || tx.Injected[0].Event != ev {
		t.Fatalf("transcript injections %+v, want %s", tx.Injected, ev)
	}
	m, err := srv.model(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := tx.Replay(m); err != nil {
		t.Errorf("the injected game's transcript does not replay: %v", err)
	}
}
