package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/parley-sim/parley/internal/play"
	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// browserRoot starts headless Chromium and returns the context of its
// first tab; every page of a test opens from it.
func browserRoot(t *testing.T) context.Context {
	t.Helper()
	actx := testenv.Browser(t)
	ctx, cancel := context.WithTimeout(actx, 2*time.Minute)
	t.Cleanup(cancel)
	root, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	if err := chromedp.Do(root); err != nil {
		t.Fatal(err)
	}
	return root
}

// person is one browser context (its own cookies: an instructor's laptop
// or a student's phone), holding one tab on the server at a time.
type person struct {
	t    *testing.T
	name string
	bctx context.Context // the browser context, kept while tabs close
	host string

	tab    context.Context
	closeT context.CancelFunc

	mu       sync.Mutex
	foreign  []string // requests to another host
	problems []string // exceptions and console errors
}

// newPerson opens a new browser context in the browser of root.
func newPerson(t *testing.T, root context.Context, name, base string) *person {
	t.Helper()
	bctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(bctx); err != nil { // creates the browser context
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	return &person{t: t, name: name, bctx: bctx, host: u.Host}
}

// open opens a new tab on u (closing the person's previous tab, if any)
// and waits until the page's script is ready.
func (p *person) open(u string) {
	p.t.Helper()
	if p.closeT != nil {
		p.close()
	}
	p.tab, p.closeT = chromedp.NewContext(p.bctx)
	if err := chromedp.Listen(p.tab, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if r, err := url.Parse(e.Request.URL); err != nil || r.Host != p.host && r.Scheme != "data" {
				p.foreign = append(p.foreign, e.Request.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.problems = append(p.problems, "console error: "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			p.problems = append(p.problems, "exception: "+exceptionText(e.ExceptionDetails))
		}
	}); err != nil {
		p.t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := chromedp.Call(p.tab, network.Enable, network.EnableParams{}); return err },
		func() error { _, err := chromedp.Call(p.tab, runtime.Enable, struct{}{}); return err },
		func() error { return chromedp.Do(p.tab, chromedp.EmulateViewport(1280, 720), chromedp.Navigate(u)) },
	} {
		if err := step(); err != nil {
			p.t.Fatalf("%s: opening %s: %v", p.name, u, err)
		}
	}
	p.waitReady()
}

// exceptionText describes an uncaught exception.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

// close closes the person's tab: its event streams drop.
func (p *person) close() {
	p.t.Helper()
	if err := chromedp.Cancel(p.tab); err != nil {
		p.t.Fatalf("%s: closing the tab: %v", p.name, err)
	}
	p.tab, p.closeT = nil, nil
}

// reload reloads the tab and waits until the page's script is ready.
func (p *person) reload() {
	p.t.Helper()
	if err := chromedp.Do(p.tab, chromedp.Reload()); err != nil {
		p.t.Fatalf("%s: reload: %v", p.name, err)
	}
	p.waitReady()
}

func (p *person) waitReady() {
	p.t.Helper()
	p.wait(`document.body && document.body.dataset.ready === "true"`)
}

// wait polls the JavaScript expression js until it is truthy.
func (p *person) wait(js string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.tab, chromedp.Poll[any](js, chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		p.t.Fatalf("%s: waiting for %s: %v\n%s", p.name, js, err, p.text("body"))
	}
}

// do runs actions in the tab.
func (p *person) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.tab, actions...); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
}

// text returns the text the page shows in the element sel selects.
func (p *person) text(sel string) string {
	return evalIn[string](p, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
}

// evalIn evaluates js in p's tab.
func evalIn[T any](p *person, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.tab, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("%s: evaluating %s: %v", p.name, js, err)
	}
	return v
}

// check fails the test for each request to another host and each error the
// page logged.
func (p *person) check() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.foreign {
		p.t.Errorf("%s's page loaded from another host: %s", p.name, r)
	}
	for _, e := range p.problems {
		p.t.Errorf("%s's page: %s", p.name, e)
	}
}

// receivedIDs returns the ids of the game's events the page received, in
// the order received (from its state answer on load, then the stream),
// and the duplicates it dropped.
func (p *person) receivedIDs() ([]int64, int) {
	type received struct {
		IDs []int64 `json:"ids"`
		Dup int     `json:"dup"`
	}
	r := evalIn[received](p, `({ids: parley.streams.game.received, dup: parley.streams.game.duplicates})`)
	return r.IDs, r.Dup
}

// Snapshots of what a page shows, to compare across a reload (the
// countdown left out).
const (
	studentSnapshot = `JSON.stringify({
		phase: document.body.dataset.phase,
		you: document.getElementById("you").innerText,
		seat: document.getElementById("seat-title").innerText,
		turn: document.getElementById("turn").innerText,
		state: document.getElementById("state").innerText,
		decision: document.getElementById("decision").hidden ? "" : document.getElementById("decision").dataset.decision,
		title: document.getElementById("decision-title").innerText,
		offer: document.getElementById("offer").innerText,
		stakes: document.getElementById("stakes").innerText,
		choices: [...document.querySelectorAll("#choices button")].map(b => b.dataset.choice + " " + b.innerText + " " + b.disabled),
		log: document.getElementById("log").innerText,
		outcome: document.getElementById("outcome").innerText,
		debrief: document.getElementById("debrief-text").innerText,
		pick: document.getElementById("free-seats").innerText,
	})`
	instructorSnapshot = `JSON.stringify({
		status: document.getElementById("game-status").innerText,
		state: document.getElementById("game-state").innerText,
		seats: document.getElementById("seats").innerText,
		log: document.getElementById("game-log").innerText,
		results: document.getElementById("results").hidden ? "" : document.getElementById("results").innerText,
		join: document.getElementById("join-url").innerText,
	})`
)

// xssScenario writes a variant of trade-deal whose title, question, an
// actor's name and an event's label hold markup and scripts.
func xssScenario(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "xss-deal.toml")
	src := `base = "trade-deal"
id = "xss-deal"
title = "<script>window.pwned = 1</script> A trade & </title> deal"
question = "<img src=x onerror=\"window.pwned = 3\"> Do they agree?"

[set]
"actors.exporter.name" = "Exporter <script>window.pwned = 2</script><img src=x onerror=\"window.pwned = 4\">"
"events.farm_protest.label" = "<b>Farm</b> protests"
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// browserPolicy is how the test's students answer decision n among the
// choices a page offers: a fixed rule, so that 'parley play' can be given
// the same choices.
func browserPolicy(n int, values []string) string {
	if slices.Equal(values, []string{"yes", "no"}) {
		if n%3 == 0 {
			return "yes"
		}
		return "no"
	}
	switch {
	case n%5 == 3 && len(values) > 2:
		return values[len(values)-1]
	case n%5 == 1 && len(values) > 1:
		return values[1]
	}
	return "pass"
}

// lineChoice is the choice 'parley play' makes for an answer typed on its
// line protocol: yes, no (a pass), pass or a package.
func lineChoice(p *play.Prompt, v string) (sim.Choice, error) {
	switch v {
	case "yes":
		return sim.Choice{Yes: true, Package: -1}, nil
	case "no", "pass":
		return play.Pass, nil
	}
	k, err := strconv.Atoi(v)
	if err != nil || !p.IsPackage() {
		return play.Pass, fmt.Errorf("answer %q at a %s decision", v, p.Kind)
	}
	return sim.Choice{Package: k}, nil
}

// replayPlayer plays the recorded answers by decision number, and the
// model's choice where the seat let the time run out.
type replayPlayer struct {
	n        int
	answers  map[int]string
	timedOut map[int]bool
}

func (r *replayPlayer) Choose(p *play.Prompt) (sim.Choice, error) {
	r.n++
	if r.timedOut[r.n] {
		return p.ModelChoice, nil
	}
	v, ok := r.answers[r.n]
	if !ok {
		return play.Pass, fmt.Errorf("decision %d (%s, turn %d) was not asked in the browser", r.n, p.Kind, p.Turn)
	}
	return lineChoice(p, v)
}

// modelMoves reports whether, in the game 'parley play' plays with the
// answers given so far, the model's choice at decision n is not a pass: a
// yes, or a package to propose.
func modelMoves(t *testing.T, m *sim.Model, seats []int, answers map[int]string, n int) bool {
	t.Helper()
	var moves bool
	errStop := errors.New("stop")
	k := 0
	_, err := play.Play(m, DefaultSeed, 1, seats, playerFunc(func(p *play.Prompt) (sim.Choice, error) {
		k++
		if k == n {
			moves = p.ModelChoice.Yes || p.IsPackage() && p.ModelChoice.Package >= 0
			return play.Pass, errStop
		}
		v, ok := answers[k]
		if !ok {
			return play.Pass, fmt.Errorf("decision %d has no answer", k)
		}
		return lineChoice(p, v)
	}))
	if !errors.Is(err, errStop) {
		t.Fatalf("replaying to decision %d: %v", n, err)
	}
	return moves
}

type playerFunc func(p *play.Prompt) (sim.Choice, error)

func (f playerFunc) Choose(p *play.Prompt) (sim.Choice, error) { return f(p) }

// A class in headless Chromium: an instructor and three students (two at
// one actor) on a scenario whose texts hold scripts. The students join with
// the code, take seats and play a game to its end, answering by a fixed
// rule, letting one decision time out, one reloading mid-decision and one
// closing and reopening their page mid-game, and every page's connection
// dropping once; each sees the debrief. Every
// page got every event of the game once, in order; reloading any page
// shows the same state; the transcript equals 'parley play' with the same
// answers; no script in the scenario ran; nothing loaded from another host.
func TestBrowserClassGame(t *testing.T) {
	testenv.Chromium(t) // skip before the server starts when there is no Chromium
	started := time.Now()
	scen := xssScenario(t)
	s, hs := testServer(t, Config{Scenario: scen, RequireCode: true, DebriefRuns: 100})
	sc := s.Scenario()
	exporter := sc.Actors[sc.ActorIndex("exporter")].Name
	c := newClient(t, hs.URL)

	// The instructor's page holds the title itself, escaped.
	code, page := c.do("GET", "/?token="+s.Token(), nil)
	if code != 200 || !strings.Contains(string(page), html.EscapeString(sc.Title)) || strings.Contains(string(page), "<script>window") {
		t.Errorf("GET /: %d; the page should hold the escaped title %q:\n%s", code, html.EscapeString(sc.Title), page)
	}
	root := browserRoot(t)

	// The instructor's page, through the instructor's link.
	inst := newPerson(t, root, "instructor", hs.URL)
	inst.open(s.InstructorURL(hs.URL))
	if got := inst.text("#title"); got != sc.Title {
		t.Errorf("instructor page title shows %q, want %q", got, sc.Title)
	}
	if got := inst.text("#question"); got != sc.Question {
		t.Errorf("instructor page question shows %q, want %q", got, sc.Question)
	}
	if got := inst.text("#actors"); !strings.Contains(got, exporter) {
		t.Errorf("the actors list shows %q: the actor's name should be text", got)
	}
	if got := evalIn[string](inst, "document.title"); !strings.HasPrefix(got, sc.Title) {
		t.Errorf("document title %q, want it to start with %q", got, sc.Title)
	}

	// Explore: a batch, a comparison, one run told.
	inst.do(chromedp.SetValue("#runs", "300"), chromedp.Click("#run"))
	inst.wait(`document.querySelectorAll("#batch-chart .bar-row").length === 4 && /finished/.test(document.getElementById("batch-progress").innerText)`)
	shares := evalIn[[]float64](inst, `[...document.querySelectorAll("#batch-chart .bar-row")].map(r => Number(r.dataset.share))`)
	if len(shares) != 4 {
		t.Fatalf("the batch chart has %d bars, want 4:\n%s", len(shares), inst.text("main"))
	}
	if sum := shares[0] + shares[1] + shares[2] + shares[3]; sum < 0.999 || sum > 1.001 {
		t.Errorf("the batch's shares %v sum to %v", shares, sum)
	}
	// Any key --set takes can be added as a control, by its path.
	inst.do(chromedp.SetValue("#add-key", "actors.exporter.discount"), chromedp.Click("#add"))
	inst.wait(`[...document.querySelectorAll("#controls .key")].some(k => k.textContent === "actors.exporter.discount")`)
	// B: the first control at another value than A's.
	inst.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const b = document.querySelector("#controls .b-col input, #controls .b-col select");
		if (b.tagName === "SELECT") b.selectedIndex = (b.selectedIndex + 1) % b.options.length;
		else b.value = String(Number(b.max));
		b.dispatchEvent(new Event("input"));
	})()`), chromedp.Click("#compare"))
	inst.wait(`document.querySelectorAll("#compare-diff .bar-row").length === 4 && /finished/.test(document.getElementById("compare-progress").innerText)`)
	// A is the batch's setting, with the same seed and runs: the same shares.
	if a := evalIn[[]float64](inst, `[...document.querySelectorAll('#compare-ab .pair[data-set="A"]')].map(r => Number(r.dataset.share))`); !slices.Equal(a, shares) {
		t.Errorf("the comparison's A shares %v differ from the batch's %v", a, shares)
	}
	inst.do(chromedp.Evaluate[chromedp.Void](`location.hash = "#told"`))
	inst.wait(`!document.getElementById("told").hidden`)
	inst.do(chromedp.Click("#tell"))
	inst.wait(`document.getElementById("digest").innerText.length > 40 && document.querySelectorAll("#told-chart path.series").length === 2`)

	// The game: two seats at the exporter, one at the importer, the
	// shortest time limit.
	inst.do(chromedp.Evaluate[chromedp.Void](`location.hash = "#game"`))
	inst.wait(`!document.getElementById("game").hidden`)
	inst.do(chromedp.Evaluate[chromedp.Void](`(() => {
		for (const i of document.querySelectorAll("#caps input[data-actor]")) i.value = {exporter: 2, importer: 1}[i.dataset.actor] || 0;
		document.getElementById("seconds").value = 5;
	})()`), chromedp.Click("#open-game"))
	inst.wait(`!document.getElementById("game-join").hidden && document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`)
	if got := inst.text("#join-url"); got != s.JoinURL() {
		t.Errorf("the join URL shown is %q, want %q", got, s.JoinURL())
	}
	if got := inst.text("#join-code"); got != s.Code() {
		t.Errorf("the join code shown is %q, want %q", got, s.Code())
	}

	// Three students join with the code and take seats.
	type student struct {
		*person
		actor string
	}
	students := []student{
		{newPerson(t, root, "Ada", hs.URL), "exporter"},
		{newPerson(t, root, "Bo <i>x</i>", hs.URL), "exporter"},
		{newPerson(t, root, "Cy", hs.URL), "importer"},
	}
	for _, st := range students {
		st.open(s.JoinURL())
		st.wait(`document.body.dataset.phase === "pick"`)
		if got := st.text(`#free-seats`); !strings.Contains(got, exporter) {
			t.Errorf("%s's seat list shows %q: the actor's name should be text", st.name, got)
		}
		st.do(chromedp.SendKeys("#name", st.name),
			chromedp.Click(fmt.Sprintf(`#free-seats button[data-actor=%q]`, st.actor)))
		st.wait(`document.body.dataset.phase === "seated"`)
	}
	inst.wait(`/2 of 2/.test(document.getElementById("seats").innerText) && /1 of 1/.test(document.getElementById("seats").innerText)`)
	if got := inst.text("#seats"); !strings.Contains(got, "Bo <i>x</i>") {
		t.Errorf("the seats show %q: a student's name should be text", got)
	}

	// A reload before the start shows the same page.
	before := evalIn[string](students[2].person, studentSnapshot)
	students[2].reload()
	if after := evalIn[string](students[2].person, studentSnapshot); after != before {
		t.Errorf("a reload before the start changed the student's page:\n%s\n%s", before, after)
	}

	inst.do(chromedp.Click("#start"))

	// The game as 'parley play' plays it, to replay the answers given.
	sc2, err := scenarios.Load(scen, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.Compile(sc2)
	if err != nil {
		t.Fatal(err)
	}
	seats := []int{sc2.ActorIndex("exporter"), sc2.ActorIndex("importer")}

	// Play: each decision is answered on a page of its seat by
	// browserPolicy, except the importer's second, which runs out of time
	// while Bo's page is closed; Bo's page opens again four decisions later.
	// The importer's first decision is answered after a reload of Cy's page.
	answers, timedOut := map[int]string{}, map[int]bool{}
	importerDecisions := 0
	reopenAt := -1
	done := 0 // the last decision handled
	dropped := false
	deadline := time.Now().Add(45 * time.Second)
	for {
		if time.Now().After(deadline) {
			t.Fatalf("the game did not end in time; last decision handled %d", done)
		}
		if evalIn[string](students[0].person, `document.body.dataset.phase`) == "debrief" {
			break
		}
		if reopenAt >= 0 && done >= reopenAt {
			students[1].open(s.JoinURL())
			reopenAt = -1
		}
		// The decision pending on an open page of its seat, if any.
		var at *student
		n := 0
		for i := range students {
			st := &students[i]
			if st.tab == nil {
				continue
			}
			if k := evalIn[int](st.person, `(() => { const d = document.getElementById("decision"); return d.hidden ? 0 : Number(d.dataset.decision) })()`); k > done {
				at, n = st, k
				break
			}
		}
		if at == nil {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if n != done+1 {
			t.Fatalf("decision %d shown after %d: one was skipped", n, done)
		}
		if at.actor == "importer" {
			importerDecisions++
			switch {
			case importerDecisions == 1:
				// Reload mid-decision: the same decision, state and log.
				before := evalIn[string](at.person, studentSnapshot)
				at.reload()
				if after := evalIn[string](at.person, studentSnapshot); after != before {
					t.Errorf("a reload mid-decision changed the student's page:\n%s\n%s", before, after)
				}
			case len(timedOut) == 0 && modelMoves(t, m, seats, answers, n):
				// Let it run out of time while Bo's page is closed: the
				// model decides, and not as a pass would.
				students[1].close()
				at.wait(fmt.Sprintf(`/The model decided for you/.test(document.getElementById("verdict").innerText) && document.getElementById("decision").dataset.decision !== "%d"`, n))
				timedOut[n] = true
				done = n
				reopenAt = n + 4
				continue
			}
		} else if n%2 == 0 && students[1].tab != nil {
			at = &students[1] // Bo answers some of the exporter's decisions
		}
		if n == 6 {
			// Every connection drops, as on a network outage: each page's
			// stream reconnects by itself and resumes after its last event.
			hs.CloseClientConnections()
			dropped = true
		}
		values := evalIn[[]string](at.person, fmt.Sprintf(`[...document.querySelectorAll('#decision[data-decision="%d"] #choices button')].map(b => b.dataset.choice)`, n))
		v := browserPolicy(n, values)
		at.do(chromedp.Click(fmt.Sprintf(`#decision[data-decision="%d"] #choices button[data-choice=%q]:not([disabled])`, n, v)))
		answers[n] = v
		done = n
	}
	if len(timedOut) != 1 {
		t.Fatalf("the importer was asked %d decisions, and the model would pass at all but the first: the test needs one where it moves", importerDecisions)
	}
	if students[1].tab == nil { // the game ended before Bo came back
		students[1].open(s.JoinURL())
	}

	if !dropped {
		t.Fatalf("the game ended after %d decisions, before the test dropped the connections", done)
	}
	if opens := evalIn[int](students[0].person, `parley.streams.game.opens`); opens < 2 {
		t.Errorf("Ada's game stream connected %d times: it should have reconnected after the connections dropped", opens)
	}

	// Everyone sees the end: each student the debrief, the instructor the
	// class against the model.
	for _, st := range students {
		st.wait(`document.body.dataset.phase === "debrief" && document.getElementById("debrief-text").innerText.length > 0`)
	}
	inst.wait(`!document.getElementById("results").hidden && document.querySelectorAll("#results-seats .seat-result").length === 2`)
	if got := students[2].text("#log"); !strings.Contains(got, "The model decided for you") {
		t.Errorf("Cy's log does not say the model decided for them:\n%s", got)
	}

	// Every page received every event of the game once, in order.
	var state StateResponse
	c.must("GET", "/api/game/1/state?token="+s.Token(), nil, &state)
	for _, p := range []*person{inst, students[0].person, students[1].person, students[2].person} {
		ids, dup := p.receivedIDs()
		want := make([]int64, state.Last)
		for i := range want {
			want[i] = int64(i + 1)
		}
		if !slices.Equal(ids, want) || dup != 0 {
			t.Errorf("%s's page received event ids %v (%d duplicates), want 1 to %d once each", p.name, ids, dup, state.Last)
		}
	}

	// Reloading any page shows the same state.
	for _, p := range []*person{inst, students[0].person, students[1].person, students[2].person} {
		snap := studentSnapshot
		if p == inst {
			snap = instructorSnapshot
		}
		before := evalIn[string](p, snap)
		p.reload()
		if p != inst {
			p.wait(`document.body.dataset.phase === "debrief" && document.getElementById("debrief-text").innerText.length > 0`)
		} else {
			p.wait(`!document.getElementById("results").hidden`)
		}
		if after := evalIn[string](p, snap); after != before {
			t.Errorf("reloading %s's page changed it:\n%s\n%s", p.name, before, after)
		}
	}

	// The transcript is 'parley play' with the same answers.
	code, got := c.do("GET", "/api/game/1/transcript?token="+s.Token(), nil)
	if code != 200 {
		t.Fatalf("transcript: %d %s", code, got)
	}
	rp := &replayPlayer{answers: answers, timedOut: timedOut}
	tr, err := play.Play(m, DefaultSeed, 1, seats, rp)
	if err != nil {
		t.Fatal(err)
	}
	if rp.n != done {
		t.Errorf("'parley play' asked %d decisions, the browser game %d", rp.n, done)
	}
	var want bytes.Buffer
	if err := play.WriteTranscript(&want, play.NewTranscript(m, scen, []string{}, DefaultSeed, 1, seats, tr)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("the game's transcript differs from 'parley play' with the same answers:\n%s\nwant\n%s", got, want.Bytes())
	}

	// A phone: the student's page fits its width; so does the instructor's
	// at 1280×720.
	ada := students[0].person
	ada.do(chromedp.EmulateViewport(390, 844))
	if w := evalIn[[]int](ada, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("on a phone the student's page is %d pixels wide, wider than the screen's %d", w[0], w[1])
	}
	if w := evalIn[[]int](inst, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("at 1280×720 the instructor's page is %d pixels wide, wider than the window's %d", w[0], w[1])
	}
	// The instructor's page on a phone fits too, and its settings stack: a
	// setting's name spans the page, not a column a letter wide.
	inst.do(chromedp.EmulateViewport(390, 844), chromedp.Evaluate[chromedp.Void](`location.hash = "#explore"`))
	inst.wait(`!document.getElementById("explore").hidden`)
	if w := evalIn[[]int](inst, `[document.documentElement.scrollWidth, window.innerWidth,
		Math.round(document.querySelector("#controls tbody th").getBoundingClientRect().width)]`); w[0] > w[1] || w[2] < w[1]/2 {
		t.Errorf("on a phone the instructor's page is %d pixels wide (the screen %d), a setting's name %d", w[0], w[1], w[2])
	}
	inst.do(chromedp.EmulateViewport(1280, 720), chromedp.Evaluate[chromedp.Void](`location.hash = "#game"`))
	inst.wait(`!document.getElementById("game").hidden`)

	// A second game: Cy's page follows the lobby to it; the instructor
	// injects an event, which both pages announce at the next turn.
	cy := students[2].person
	inst.do(chromedp.Evaluate[chromedp.Void](`(() => {
		document.getElementById("game-setup").open = true;
		for (const i of document.querySelectorAll("#caps input[data-actor]")) i.value = i.dataset.actor === "importer" ? 1 : 0;
	})()`), chromedp.Click("#open-game"))
	inst.wait(`document.getElementById("game-id").innerText === "2" && /No game|Waiting/.test(document.getElementById("game-status").innerText)`)
	cy.wait(`document.body.dataset.phase === "pick"`)
	cy.do(chromedp.SetValue("#name", "Cy"), chromedp.Click(`#free-seats button[data-actor="importer"]`))
	cy.wait(`document.body.dataset.phase === "seated"`)
	inst.do(chromedp.Click("#start"))
	inst.wait(`!document.getElementById("inject").disabled`)
	inst.do(chromedp.SetValue("#inject-event", "farm_protest"), chromedp.Click("#inject"))
	label := sc.Events[slices.IndexFunc(sc.Events, func(e scenarios.Event) bool { return e.ID == "farm_protest" })].Label
	last := 0
	for limit := time.Now().Add(20 * time.Second); !strings.Contains(cy.text("#log"), "The instructor made this happen: "+label); {
		if time.Now().After(limit) {
			t.Fatalf("Cy's page did not announce the injected event:\n%s\nthe instructor's page says: %s", cy.text("#log"), inst.text("#problem"))
		}
		n := evalIn[int](cy, `(() => { const d = document.getElementById("decision"); return d.hidden ? 0 : Number(d.dataset.decision) })()`)
		if n <= last {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		v := evalIn[string](cy, `document.querySelector("#choices button").dataset.choice`)
		cy.do(chromedp.Click(fmt.Sprintf(`#decision[data-decision="%d"] #choices button[data-choice=%q]:not([disabled])`, n, v)))
		last = n
	}
	inst.wait(fmt.Sprintf(`document.getElementById("game-log").innerText.includes(%q)`, "Injected: "+label))
	if got := inst.text("#inject-event"); !strings.Contains(got, label) {
		t.Errorf("the instructor's list of events shows %q: the label should be text", got)
	}

	// No script from the scenario ran; nothing came from another host.
	for _, p := range []*person{inst, students[0].person, students[1].person, students[2].person} {
		if v := evalIn[string](p, `typeof window.pwned`); v != "undefined" {
			t.Errorf("%s's page ran a script from the scenario (window.pwned is %s)", p.name, v)
		}
		p.check()
	}
	var tjson play.Transcript
	if err := json.Unmarshal(got, &tjson); err == nil {
		t.Logf("game: %d decisions (%d timed out), outcome %s on turn %d; test took %v", len(tjson.Decisions), len(timedOut), tjson.Outcome, tjson.EndTurn, time.Since(started).Round(time.Millisecond))
	}
}

// The pages and their assets, without a browser: each page carries its
// strict content security policy and loads only scripts and styles this
// server embeds and serves (with an ETag a reload revalidates); no asset
// loads anything from another host; the templates are not served as
// files.
func TestPagesAndAssets(t *testing.T) {
	s, hs := testServer(t, Config{Scenario: "trade-deal", DebriefRuns: 10})
	c := newClient(t, hs.URL)
	for _, path := range []string{"/", "/join?code=" + s.Code()} {
		resp, err := c.hc.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") != pageCSP {
			t.Errorf("GET %s: %d, policy %q", path, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
		}
		if !strings.Contains(string(body), html.EscapeString(s.Scenario().Title)) {
			t.Errorf("GET %s does not hold the scenario's title", path)
		}
		refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(string(body), -1)
		if len(refs) < 3 {
			t.Errorf("GET %s refers to %d assets, want a style sheet and two scripts", path, len(refs))
		}
		for _, m := range refs {
			ref := m[1]
			if !strings.HasPrefix(ref, "/assets/") && !strings.HasPrefix(ref, "#") {
				t.Errorf("GET %s refers to %q, not an embedded asset", path, ref)
				continue
			}
			if strings.HasPrefix(ref, "#") {
				continue
			}
			code, _ := c.do("GET", ref, nil)
			if code != 200 {
				t.Errorf("GET %s: %d (from %s)", ref, code, path)
			}
		}
	}

	// Every asset: served with an ETag, 304 when the browser has it; none
	// loads from another host.
	foreign := regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?(?:https?:)?//|fetch\(\s*["'\x60]https?:|EventSource\(\s*["'\x60]https?:|import\s*\(`)
	css := regexp.MustCompile(`@import|url\(|@font-face`)
	for name, tag := range staticTags {
		resp, err := c.hc.Get(hs.URL + "/assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("ETag") != tag {
			t.Errorf("/assets/%s: %d, ETag %q want %q", name, resp.StatusCode, resp.Header.Get("ETag"), tag)
		}
		if m := css.Find(body); m != nil && strings.HasSuffix(name, ".css") {
			t.Errorf("/assets/%s may load from another host: %q", name, m)
		}
		if m := foreign.Find(body); m != nil {
			t.Errorf("/assets/%s may load from another host: %q", name, m)
		}
		req, _ := http.NewRequest("GET", hs.URL+"/assets/"+name, nil)
		req.Header.Set("If-None-Match", tag)
		resp, err = c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("/assets/%s with its ETag: %d, want 304", name, resp.StatusCode)
		}
	}
	for _, name := range []string{"app.css", "common.js", "instructor.js", "student.js"} {
		if _, ok := staticTags[name]; !ok {
			t.Errorf("asset %s is not embedded", name)
		}
	}
	for _, path := range []string{"/assets/templates/instructor.html", "/assets/instructor.html", "/assets/nope.js", "/assets/"} {
		if code, _ := c.do("GET", path, nil); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
}
