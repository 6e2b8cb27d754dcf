package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testServer starts a server for scenario on a loopback test listener.
func testServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Scenario == "" {
		cfg.Scenario = "korea-2018"
	}
	if cfg.DebriefRuns == 0 {
		cfg.DebriefRuns = 200
	}
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	s.SetURL(hs.URL)
	t.Cleanup(func() {
		s.Close()
		hs.CloseClientConnections()
		hs.Close()
	})
	return s, hs
}

// client is a browser: its own cookies.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, hc: &http.Client{Jar: jar}}
}

// do sends a request with a JSON body (nil for none) and returns the
// status and the body.
func (c *client) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// must is do, failing the test unless the status is 200; it decodes the
// answer into out when out is not nil.
func (c *client) must(method, path string, body, out any) {
	c.t.Helper()
	code, b := c.do(method, path, body)
	if code != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, path, code, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// stream is an open event stream.
type stream struct {
	resp *http.Response
	sc   *bufio.Scanner
}

// open opens an event stream, resuming after id last (0: from the start).
func (c *client) open(ctx context.Context, name string, last int64) (*stream, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/events?stream="+name, nil)
	if err != nil {
		return nil, err
	}
	if last > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(last, 10))
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return nil, fmt.Errorf("stream %s: %d %s", name, resp.StatusCode, b)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &stream{resp: resp, sc: sc}, nil
}

// next reads the next event.
func (s *stream) next() (Event, error) {
	var e Event
	for s.sc.Scan() {
		line := s.sc.Text()
		switch {
		case line == "":
			if e.Type != "" {
				return e, nil
			}
		case strings.HasPrefix(line, "id: "):
			id, err := strconv.ParseInt(line[4:], 10, 64)
			if err != nil {
				return e, err
			}
			e.ID = id
		case strings.HasPrefix(line, "event: "):
			e.Type = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.Data = json.RawMessage(line[6:])
		}
	}
	if err := s.sc.Err(); err != nil {
		return e, err
	}
	return e, io.EOF
}

func (s *stream) close() { s.resp.Body.Close() }

// seatPolicy is how the tests' students answer: a deterministic choice
// that often differs from the model's, so that the game departs from the
// model's run.
func seatPolicy(d DecideEvent) string {
	if len(d.Choices) == 0 {
		return "pass"
	}
	if d.Choices[0].Value == "yes" {
		if d.Decision%3 == 0 {
			return "no"
		}
		return "yes"
	}
	// A package: the second suggestion when there is one (the model's
	// proposal), else pass.
	if d.Decision%2 == 0 && len(d.Choices) > 2 {
		return d.Choices[2].Value
	}
	return d.Choices[min(1, len(d.Choices)-1)].Value
}

// within fails the test when f does not return within d.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: not done within %v", what, d)
	}
}
