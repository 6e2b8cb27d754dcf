package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-sim/parley/scenarios"
)

// On a listener that requires the code, nothing but the student page and
// the assets answers without it; the instructor's endpoints need the
// token; a student acts only for their own seat.
func TestJoinCodeAndSeats(t *testing.T) {
	s, hs := testServer(t, Config{RequireCode: true})
	stranger := newClient(t, hs.URL)
	for _, p := range []string{"/api/scenario", "/events?stream=lobby", "/api/game/1/state"} {
		if code, b := stranger.do("GET", p, nil); code != http.StatusForbidden {
			t.Errorf("GET %s without the code: %d %s, want 403", p, code, b)
		}
	}
	if code, _ := stranger.do("GET", "/join?code=WRONGCOD", nil); code != http.StatusOK {
		t.Errorf("the student page with a wrong code: %d, want the page (it says the code is wrong)", code)
	}
	if code, _ := stranger.do("GET", "/api/scenario", nil); code != http.StatusForbidden {
		t.Errorf("after a wrong code the API answered %d, want 403", code)
	}
	// The instructor's page without the token sends a student to /join.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if resp, err := noRedirect.Get(hs.URL + "/"); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / without the token: %v %v, want 303 to /join", resp.StatusCode, err)
	}

	inst := newClient(t, hs.URL)
	inst.must("GET", "/?token="+s.Token(), nil, nil) // the instructor's link sets the cookies
	var g struct{ Game int }
	inst.must("POST", "/api/game", map[string]any{"seats": map[string]int{"us": 1, "north_korea": 1}, "seconds": 600}, &g)

	a, b := newClient(t, hs.URL), newClient(t, hs.URL)
	a.must("GET", "/join?code="+strings.ToLower(s.Code()), nil, nil)
	b.must("GET", "/join?code="+s.Code(), nil, nil)
	seat := fmt.Sprintf("/api/game/%d/seat", g.Game)
	a.must("POST", seat, map[string]string{"actor": "us", "name": "Ada"}, nil)
	b.must("POST", seat, map[string]string{"actor": "north_korea", "name": "Bo"}, nil)
	if code, body := newClientWithCode(t, hs.URL, s.Code()).do("POST", seat, map[string]string{"actor": "us", "name": "Cy"}); code != http.StatusConflict {
		t.Errorf("a second student at a full seat: %d %s, want 409", code, body)
	}
	// A student is not the instructor.
	for _, p := range []string{"/api/game", "/api/batch", fmt.Sprintf("/api/game/%d/start", g.Game)} {
		if code, _ := a.do("POST", p, map[string]any{}); code != http.StatusForbidden {
			t.Errorf("a student's POST %s: %d, want 403", p, code)
		}
	}
	if code, _ := a.do("GET", "/events?stream=instructor", nil); code != http.StatusForbidden {
		t.Errorf("a student on the instructor's stream: %d, want 403", code)
	}
	inst.must("POST", fmt.Sprintf("/api/game/%d/start", g.Game), nil, nil)

	// Wait for a decision and answer it from the other seat.
	st, err := a.open(t.Context(), fmt.Sprintf("game/%d", g.Game), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	for {
		e, err := st.next()
		if err != nil {
			t.Fatal(err)
		}
		if e.Type != "decide" {
			continue
		}
		var d DecideEvent
		_ = json.Unmarshal(e.Data, &d)
		owner, other := a, b
		if d.Actor == "north_korea" {
			owner, other = b, a
		}
		body := map[string]any{"decision": d.Decision, "choice": d.Choices[0].Value}
		if code, msg := other.do("POST", fmt.Sprintf("/api/game/%d/answer", g.Game), body); code != http.StatusForbidden {
			t.Errorf("a student answered another seat's decision: %d %s, want 403", code, msg)
		}
		if code, _ := stranger.do("POST", fmt.Sprintf("/api/game/%d/answer", g.Game), body); code != http.StatusForbidden {
			t.Errorf("a stranger answered: %d, want 403", code)
		}
		if code, msg := owner.do("POST", fmt.Sprintf("/api/game/%d/answer", g.Game), map[string]any{"decision": d.Decision, "choice": "maybe"}); code != http.StatusBadRequest ||
			!strings.Contains(string(msg), "maybe") {
			t.Errorf("a bad choice: %d %s, want 400 naming it", code, msg)
		}
		owner.must("POST", fmt.Sprintf("/api/game/%d/answer", g.Game), body, nil)
		break
	}
}

func newClientWithCode(t *testing.T, base, code string) *client {
	c := newClient(t, base)
	c.must("GET", "/join?code="+code, nil, nil)
	return c
}

// Join codes are random and new at each start.
func TestJoinCodesDiffer(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		c, err := joinCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != 8 || strings.Trim(c, joinAlphabet) != "" || seen[c] {
			t.Fatalf("join code %q: want 8 new characters of %s", c, joinAlphabet)
		}
		seen[c] = true
	}
}

// A body over MaxBody is refused with 413, whether it says its length or
// streams it; unknown fields are refused.
func TestBodyLimits(t *testing.T) {
	_, hs := testServer(t, Config{})
	big := `{"runs":1,"sets":{"x":"` + strings.Repeat("a", MaxBody) + `"}}`
	resp, err := http.Post(hs.URL+"/api/batch", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a %d-byte body: %d, want 413", len(big), resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", hs.URL+"/api/batch", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1 // chunked: the length is not said up front
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a chunked %d-byte body: %d, want 413", len(big), resp.StatusCode)
	}
	c := newClient(t, hs.URL)
	if code, b := c.do("POST", "/api/batch", map[string]any{"runs": 10, "rnus": 3}); code != http.StatusBadRequest || !strings.Contains(string(b), "rnus") {
		t.Errorf("an unknown field: %d %s, want 400 naming it", code, b)
	}
	// A cross-site page cannot start work.
	req, _ = http.NewRequest("POST", hs.URL+"/api/batch", strings.NewReader(`{"runs":10}`))
	req.Header.Set("Origin", "http://evil.example")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site POST: %d, want 403", resp.StatusCode)
	}
}

// Settings from a browser are checked as --set is, with the same errors.
func TestSetsAsTheCLI(t *testing.T) {
	_, hs := testServer(t, Config{})
	c := newClient(t, hs.URL)
	for _, set := range []struct{ key, value string }{
		{"actors.us.hawkishness", "1.5"},
		{"actors.us.hawk", "0.5"},
		{"protocol.mediator", "france"},
	} {
		_, cli := scenarios.Load("korea-2018", []scenarios.Override{{Path: set.key, Value: set.value}})
		if cli == nil {
			t.Fatalf("--set %s=%s passed", set.key, set.value)
		}
		code, b := c.do("POST", "/api/batch", map[string]any{"runs": 10, "sets": map[string]string{set.key: set.value}})
		var e struct{ Error string }
		_ = json.Unmarshal(b, &e)
		if code != http.StatusBadRequest || e.Error != cli.Error() {
			t.Errorf("sets %s=%s: %d %q, want 400 %q", set.key, set.value, code, e.Error, cli.Error())
		}
	}
}

// The instructor may add a control for any key --set takes: the server
// answers its kind and range from the schema, refuses an unknown key with
// the nearest one, and lists every key on the instructor's page only.
func TestControlForAnyKey(t *testing.T) {
	_, hs := testServer(t, Config{})
	c := newClient(t, hs.URL)
	var ctl Control
	c.must("GET", "/api/control?key=actors.us.discount", nil, &ctl)
	if ctl.Kind != "slider" || ctl.Key != "actors.us.discount" || ctl.Label != "United States: discount" || ctl.Max <= ctl.Min {
		t.Errorf("control %+v", ctl)
	}
	// 0.95 is a position of the slider (min + k·step).
	if k := (0.95 - ctl.Min) / ctl.Step; math.Abs(k-math.Round(k)) > 1e-9 {
		t.Errorf("discount 0.95 is not a position of %+v", ctl)
	}
	// A deadline of up to 100,000 turns: the slider reaches ten times
	// korea-2018's mean of 22.5, and any value, since 22.5 is no step.
	c.must("GET", "/api/control?key=actors.us.deadline", nil, &ctl)
	if ctl.Max != 225 || ctl.Step != 0 || ctl.Value != "22.5" {
		t.Errorf("deadline control %+v", ctl)
	}
	c.must("GET", "/api/control?key=protocol.agenda", nil, &ctl)
	if ctl.Kind != "select" || len(ctl.Options) < 2 {
		t.Errorf("control %+v", ctl)
	}
	code, b := c.do("GET", "/api/control?key=actors.us.discont", nil)
	if code != http.StatusBadRequest || !strings.Contains(string(b), `did you mean \"actors.us.discount\"`) {
		t.Errorf("a misspelt key: %d %s", code, b)
	}
	var info ScenarioInfo
	c.must("GET", "/api/scenario", nil, &info)
	if !slices.Contains(info.Keys, "actors.us.discount") || !slices.IsSorted(info.Keys) {
		t.Errorf("the instructor's keys: %d, sorted %v", len(info.Keys), slices.IsSorted(info.Keys))
	}

	// On the classroom network a student sees no keys and gets no control.
	s2, hs2 := testServer(t, Config{RequireCode: true})
	stu := newClientWithCode(t, hs2.URL, s2.Code())
	if code, _ := stu.do("GET", "/api/control?key=actors.us.discount", nil); code != http.StatusForbidden {
		t.Errorf("a student asked for a control: %d, want 403", code)
	}
	var seen ScenarioInfo
	stu.must("GET", "/api/scenario", nil, &seen)
	if len(seen.Keys) != 0 {
		t.Errorf("a student was sent %d keys", len(seen.Keys))
	}
}

// Scenario text reaches the page as text: a title with a script in it is
// escaped in the HTML and plain in the JSON.
func TestScenarioTextEscaped(t *testing.T) {
	src, err := scenarios.BuiltinSource("trade-deal")
	if err != nil {
		t.Fatal(err)
	}
	const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	var title string
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "title = ") {
			title = line
			break
		}
	}
	if title == "" {
		t.Fatal("trade-deal has no title line")
	}
	data := strings.Replace(string(src), title, "title = "+strconvQuote(payload), 1)
	path := filepath.Join(t.TempDir(), "xss.toml")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, hs := testServer(t, Config{Scenario: path})
	c := newClient(t, hs.URL)
	for _, p := range []string{"/", "/join"} {
		code, body := c.do("GET", p, nil)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", p, code)
		}
		if bytes.Contains(body, []byte("<script>alert")) || bytes.Contains(body, []byte("<img src=x")) {
			t.Errorf("GET %s serves the title's markup unescaped", p)
		}
		if !bytes.Contains(body, []byte("&lt;script&gt;alert(")) {
			t.Errorf("GET %s does not hold the title as text", p)
		}
	}
	var in ScenarioInfo
	c.must("GET", "/api/scenario", nil, &in)
	if in.Title != payload {
		t.Errorf("the JSON title %q, want %q", in.Title, payload)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
