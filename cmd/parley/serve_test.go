package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// remote matches a page or asset that loads something from another host:
// an absolute or protocol-relative URL in src, href, url(), an import or a
// fetch.
var remote = regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|import[^;\n]*["'](https?:)?//|fetch\(\s*["'](https?:)?//`)

// assetRef matches the pages' references to their embedded assets.
var assetRef = regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`)

// The contract: 'parley serve SCENARIO --listen 127.0.0.1:PORT' prints its
// address and serves the instructor's page, HTML holding the scenario's
// title, within a few seconds; on loopback it needs no code; nothing it
// serves loads from another host; Ctrl-C stops it cleanly.
func TestServeContract(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	addr := "127.0.0.1:" + strconv.Itoa(port)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "korea-2018", "--listen", addr}, strings.NewReader(""), pw, &stderr)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	start := time.Now()
	var out []string
	base := ""
	for base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended: %v\n%s", <-done, stderr.String())
			}
			out = append(out, l)
			if u, ok := strings.CutPrefix(l, "listening on "); ok {
				base = strings.TrimSpace(u)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no address on stdout within 5s: %q", out)
		}
	}
	if base != "http://"+addr {
		t.Errorf("address %q, want http://%s", base, addr)
	}
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	const title = "Korean peninsula talks after the 2018 Xi–Kim summit"
	if !strings.Contains(string(body), title) {
		t.Errorf("the instructor's HTML does not hold the title %q", title)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("served after %v", d)
	}
	for _, l := range out {
		if strings.HasPrefix(l, "join code:") && !strings.Contains(l, "/join?code=") {
			t.Errorf("join line %q lacks the join link", l)
		}
	}

	// Nothing the pages or their assets load comes from another host.
	pages := map[string]string{"/": string(body)}
	if resp, err := http.Get(base + "/join"); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pages["/join"] = string(b)
	}
	for p, html := range pages {
		for _, m := range assetRef.FindAllStringSubmatch(html, -1) {
			resp, err := http.Get(base + m[1])
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("%s refers to %s, which does not load: %v", p, m[1], err)
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			pages[m[1]] = string(b)
		}
	}
	for p, text := range pages {
		if m := remote.FindString(stripComments(text)); m != "" {
			t.Errorf("%s loads from another host: %q", p, m)
		}
	}

	cancel() // Ctrl-C
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve after Ctrl-C: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of Ctrl-C")
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("the server still answers after Ctrl-C")
	}
}

// stripComments drops /* */, <!-- --> and // line comments, where licence
// texts may name URLs.
func stripComments(s string) string {
	s = regexp.MustCompile(`(?s)/\*.*?\*/|<!--.*?-->`).ReplaceAllString(s, "")
	return regexp.MustCompile(`(?m)(^|\s)//[^\n]*`).ReplaceAllString(s, "")
}

// A listener other than loopback and bad flags are checked before
// anything starts.
func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "serve takes one scenario"},
		{[]string{"serve", "korea-2018", "--listen", "8080"}, "want host:port"},
		{[]string{"serve", "korea-2018", "--listen", "127.0.0.1:99999"}, "port must be a number"},
		{[]string{"serve", "korea-2018", "--set", "actors.us.hawkishness=2"}, "must be in [0, 1]"},
	} {
		var stdout, stderr strings.Builder
		err := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parley %s: %v, want an error with %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
}
