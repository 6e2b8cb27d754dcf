package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/parley-sim/parley/scenarios"
)

// chromium returns the path of a headless-capable Chromium, or skips the
// test outside CI when there is none (CI installs Debian's chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found; .ci/run installs Debian's chromium package")
	}
	t.Skip("no Chromium found (install Debian's chromium package to run this test)")
	return ""
}

func TestReportWritesAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := parley(t, "report", "no-such-scenario", "-o", path); code != 2 {
		t.Fatalf("exit %d for an unknown scenario", code)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatal("a failed report replaced the existing file")
	}
	if code, _, errs := parley(t, "report", "korea-2018", "--runs", "500", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(path)
	html := string(b)
	for _, want := range []string{"<!DOCTYPE html>", "Who wants what", "How the talks end", "The agreed terms", "The bargaining space", "Nash bargaining solution", "One run, told turn by turn", "Payoffs", "of which a step only"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(html, "<svg"); n < 2 {
		t.Errorf("report has %d inline SVG charts, want at least 2", n)
	}
	for _, bad := range []string{"<script", `src="`, `href="http`, "<link", "<img", "@import", "url(", "<iframe"} {
		if strings.Contains(html, bad) {
			t.Errorf("report contains %q: it must be self-contained", bad)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// The report opened in headless Chromium at 1280×720: the page renders (the
// screenshot is not blank), logs no console error, and makes no network
// request beyond the file itself.
func TestReportInBrowser(t *testing.T) {
	exe := chromium(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if code, _, errs := parley(t, "report", "korea-2018", "--runs", "500", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1280, 720),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	url := "file://" + path
	var mu sync.Mutex
	var requests, problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console error")
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log error: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); return err },
		func() error { _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); return err },
		func() error { return chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720), chromedp.Navigate(url)) }, // waits for the load event
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		if r != url && !strings.HasPrefix(r, "data:") {
			t.Errorf("the report made a network request: %s", r)
		}
	}
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
	if !strings.Contains(title, "Korean peninsula") {
		t.Errorf("page title %q", title)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 720 {
		t.Errorf("screenshot is %dx%d, want 1280x720", b.Dx(), b.Dy())
	}
	inked := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0xe000 {
				inked++
			}
		}
	}
	if inked < (b.Dx()/4)*(b.Dy()/4)/50 {
		t.Errorf("the screenshot is nearly blank: %d sampled pixels inked", inked)
	}
}

// The report's "reproduce with" line is shell-quoted: a shell splits it
// back into exactly the arguments given, whatever a value holds, and runs
// nothing a value smuggled in.
func TestReportCommandShellQuoted(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	canary := filepath.Join(dir, "ran")
	values := []string{"plain", "it's", `a"b`, "x; touch " + canary, "$(touch " + canary + ")", "`touch " + canary + "`", "two words", "tab\there", "new\nline", ""}
	var sets setFlags
	for i, v := range values {
		sets = append(sets, scenarios.Override{Path: fmt.Sprintf("k%d", i), Value: v})
	}
	line := reportCommand("my scenario's file.toml", 100, 7, sets)
	// printf one argument a line, NUL-free: compare with what was given.
	out, err := exec.Command(sh, "-c", "set -- "+strings.TrimPrefix(line, "parley ")+`; for a; do printf '%s\0' "$a"; done`).Output()
	if err != nil {
		t.Fatalf("sh could not run %q: %v", line, err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	want := []string{"report", "my scenario's file.toml", "--runs", "100", "--seed", "7"}
	for i, v := range values {
		want = append(want, "--set", fmt.Sprintf("k%d=%s", i, v))
	}
	if !slices.Equal(got, want) {
		t.Errorf("sh splits %q into\n%q\nwant\n%q", line, got, want)
	}
	if _, err := os.Stat(canary); err == nil {
		t.Errorf("the command line ran what a value smuggled in: %s", line)
	}
}
