package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/parley-sim/parley/internal/testenv"
	"github.com/parley-sim/parley/scenarios"
)

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
	for _, want := range []string{"<!DOCTYPE html>", "Who wants what", "How the talks end", "The agreed terms", "The bargaining space", "Nash bargaining solution", "One run, told", "Payoffs", "of which a step only"} {
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

// browser opens path in headless Chromium with a 1280×720 viewport and
// returns its context, which ends with the test.
func browser(t *testing.T, path string) context.Context {
	t.Helper()
	ctx := newBrowser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720), chromedp.Navigate("file://"+path)); err != nil { // waits for the load event
		t.Fatal(err)
	}
	return ctx
}

// newBrowser starts headless Chromium and returns its context, which ends
// with the test; it skips the test when there is no Chromium (see chromium).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	actx := testenv.Browser(t, chromedp.Flag("hide-scrollbars", true))
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// evaluate runs the JavaScript expression js in the page and decodes its
// result into a T.
func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// The report opened in headless Chromium at 1280×720: the page renders (the
// screenshot is not blank), logs no console error, and makes no network
// request beyond the file itself.
func TestReportInBrowser(t *testing.T) {
	testenv.Chromium(t) // skip before the runs when there is no Chromium
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if code, _, errs := parley(t, "report", "korea-2018", "--runs", "500", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ctx := newBrowser(t)

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

// rect is an element's box as getBoundingClientRect gives it.
type rect struct{ Left, Top, Right, Bottom float64 }

func (r rect) String() string {
	return fmt.Sprintf("[%.0f,%.0f]–[%.0f,%.0f]", r.Left, r.Top, r.Right, r.Bottom)
}

// boxJS returns the box of the element a CSS selector picks, or null.
const boxJS = `(sel => { const e = document.querySelector(sel); if (!e) return null;
	const r = e.getBoundingClientRect(); return {Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom}; })`

// The first screen of the report at 1280×720 holds the outcome chart, the
// one-sentence answer to the question and the table of outcome shares.
func TestReportFirstScreen(t *testing.T) {
	testenv.Chromium(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if code, _, errs := parley(t, "report", "korea-2018", "--runs", "500", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ctx := browser(t, path)
	if w, h := evaluate[int](t, ctx, "innerWidth"), evaluate[int](t, ctx, "innerHeight"); w != 1280 || h != 720 {
		t.Fatalf("viewport %d×%d, want 1280×720", w, h)
	}
	for _, sel := range []string{"#outcome-chart svg", "#answer", "table.shares"} {
		r := evaluate[*rect](t, ctx, boxJS+"("+strconv.Quote(sel)+")")
		if r == nil {
			t.Errorf("the page has no %s", sel)
			continue
		}
		if r.Left < 0 || r.Top < 0 || r.Right > 1280 || r.Bottom > 720 {
			t.Errorf("%s lies at %v, not inside the first 1280×720 screen", sel, r)
		}
		if r.Right-r.Left < 300 || r.Bottom-r.Top < 100 {
			t.Errorf("%s is only %v: too small to read on a projector", sel, r)
		}
	}
	answer := evaluate[string](t, ctx, `document.querySelector("#answer").textContent.replaceAll("\u2060", "")`)
	if !regexp.MustCompile(`^Most often \(\d+% of runs, 95% interval \d+–\d+%\) the talks end in an agreement`).MatchString(answer) {
		t.Errorf("the answer on the first screen reads %q", answer)
	}
}

// No element of the report is wider than the screen, whatever the length of
// the strings it shows: a 2,000-character title and question, a long actor
// name, a long issue name and long level labels all wrap.
func TestReportLongStringsWrap(t *testing.T) {
	testenv.Chromium(t)
	words := strings.Repeat("Negotiations over a very long title ", 40)
	unbroken := strings.Repeat("Supercalifragilistic", 20) // 400 characters without a space
	long := (words + unbroken + " " + words)[:2000]
	first, last := "current"+strings.Repeat("_and_then_some", 30), "zero"+strings.Repeat("x", 300)
	path := filepath.Join(t.TempDir(), "report.html")
	code, _, errs := parley(t, "report", "trade-deal", "--runs", "200", "-o", path,
		"--set", "title="+long, "--set", "question="+long,
		"--set", "actors.exporter.name=Exporter"+strings.Repeat("X", 300),
		"--set", "issues.tariffs.name="+unbroken,
		"--set", fmt.Sprintf("issues.tariffs.levels=[%q, %q, %q, %q]", first, "cut_25", "cut_50", last),
		"--set", "issues.tariffs.status_quo="+first,
		"--set", "actors.exporter.values.tariffs.best="+last,
		"--set", "actors.importer.values.tariffs.best="+first,
		"--set", "actors.wto.values.tariffs.best="+last)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ctx := browser(t, path)
	if got := evaluate[int](t, ctx, `document.querySelector("h1").textContent.length`); got != 2000 {
		t.Fatalf("the title has %d characters, want 2000", got)
	}
	// Every element outside the charts' own drawing, with its box where it
	// sticks out of the screen.
	wide := evaluate[[]string](t, ctx, `(() => {
		const vw = document.documentElement.clientWidth, out = [];
		for (const e of document.querySelectorAll("body *")) {
			if (e.parentElement.closest("svg")) continue;
			const r = e.getBoundingClientRect();
			if (r.left < -0.5 || r.right > vw + 0.5) out.push(e.tagName + (e.id ? "#" + e.id : "") + " " + Math.round(r.left) + ".." + Math.round(r.right));
		}
		return out; })()`)
	if len(wide) > 0 {
		t.Errorf("%d elements stick out of the 1280-pixel screen, first %q", len(wide), wide[:min(len(wide), 5)])
	}
	if sw := evaluate[int](t, ctx, "document.documentElement.scrollWidth"); sw > 1280 {
		t.Errorf("the page scrolls sideways: %d pixels wide", sw)
	}
}

// The report prints as an A4 handout: the print rules set A4 pages, the
// charts stay, and the told run is in full, not in a scroll box.
func TestReportPrints(t *testing.T) {
	testenv.Chromium(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if code, _, errs := parley(t, "report", "korea-2018", "--runs", "300", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ctx := browser(t, path)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	type printed struct {
		Charts        int    // charts drawn with a visible box
		Overflow      string // of the told run and its parts
		Story, Page   float64
		HeadingsAvoid bool
	}
	got := evaluate[printed](t, ctx, `(() => {
		const story = document.querySelector(".story");
		let overflow = "";
		for (const e of [story, ...story.querySelectorAll("*")]) {
			const s = getComputedStyle(e);
			if (s.overflowY !== "visible" || s.maxHeight !== "none") overflow += e.tagName + ":" + s.overflowY + "/" + s.maxHeight + " ";
		}
		const charts = [...document.querySelectorAll("figure svg")].filter(s => s.getBoundingClientRect().height > 100).length;
		return {Charts: charts, Overflow: overflow, Story: story.scrollHeight, Page: document.documentElement.scrollHeight,
			HeadingsAvoid: getComputedStyle(document.querySelector("h2")).breakAfter === "avoid"}; })()`)
	if got.Charts < 2 {
		t.Errorf("%d charts in print, want the outcome and end-turn charts", got.Charts)
	}
	if got.Overflow != "" {
		t.Errorf("the told run scrolls or is cut in print: %s", got.Overflow)
	}
	if !got.HeadingsAvoid {
		t.Error("in print a heading may end a page, apart from what it heads")
	}
	pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptrTo(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Data, []byte("%PDF")) {
		t.Fatal("printing gave no PDF")
	}
	// A4 is 210×297 mm: 595×842 points.
	boxes := regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`).FindAllSubmatch(pdf.Data, -1)
	if len(boxes) < 2 {
		t.Fatalf("the PDF has %d pages, want a handout of several", len(boxes))
	}
	for _, m := range boxes {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		if math.Abs(w-595.3) > 2 || math.Abs(h-841.9) > 2 {
			t.Errorf("a printed page is %.1f×%.1f points, not A4 (595×842)", w, h)
			break
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// --run K tells run K of the batch: the page says so, and the run ended as
// 'parley narrate --run K' says it did. Without --run the page tells the
// first run that ended in the most common outcome, and says so.
func TestReportRunK(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	for _, k := range []string{"0", "-1", "201"} {
		code, _, errs := parley(t, "report", "korea-2018", "--runs", "200", "--run", k, "-o", path)
		if code != 2 || !strings.Contains(errs, "--run "+k) {
			t.Errorf("--run %s with 200 runs: exit %d, %q; want exit 2 naming --run %s", k, code, errs, k)
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a report with a bad --run was written")
	}
	toldRun := regexp.MustCompile(`<p id="told-run">Run (\d+) of this batch, ([^;]*); it ended in ([a-z ]+)\.`)
	for _, k := range []int{5, 13} {
		if code, _, errs := parley(t, "report", "korea-2018", "--runs", "200", "--run", strconv.Itoa(k), "-o", path); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, _ := os.ReadFile(path)
		m := toldRun.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("--run %d: the page does not say which run it tells", k)
		}
		code, out, errs := parley(t, "narrate", "korea-2018", "--run", strconv.Itoa(k), "--format", "json")
		if code != 0 {
			t.Fatalf("narrate: exit %d: %s", code, errs)
		}
		var nr struct{ Outcome string }
		if err := json.Unmarshal([]byte(out), &nr); err != nil {
			t.Fatal(err)
		}
		if m[1] != strconv.Itoa(k) || m[2] != "as asked" || strings.TrimPrefix(strings.TrimPrefix(m[3], "an "), "a ") != nr.Outcome {
			t.Errorf("--run %d: the page says %q; narrate --run %d says the run ended in %s", k, m[0], k, nr.Outcome)
		}
		if !strings.Contains(string(b), fmt.Sprintf("--seed %d --run %d", defaultSeed, k)) {
			t.Errorf("--run %d: the page does not give the narrate command for run %d", k, k)
		}
	}

	// The default: the first run that ended in the most common outcome.
	if code, _, errs := parley(t, "report", "korea-2018", "--runs", "200", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(path)
	m := toldRun.FindStringSubmatch(string(b))
	if m == nil || m[2] != "the first that ended in the most common outcome (another run: <code>--run K</code>)" {
		t.Fatalf("without --run the page says %q", m)
	}
	code, out, _ := parley(t, "run", "korea-2018", "--runs", "200", "--format", "json")
	if code != 0 {
		t.Fatal("run failed")
	}
	var rep struct {
		Outcomes map[string]struct{ Count int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	modal := ""
	for o, s := range rep.Outcomes {
		if modal == "" || s.Count > rep.Outcomes[modal].Count {
			modal = o
		}
	}
	k, _ := strconv.Atoi(m[1])
	for j := 1; j <= k; j++ {
		_, out, _ := parley(t, "narrate", "korea-2018", "--run", strconv.Itoa(j), "--format", "json")
		var nr struct{ Outcome string }
		if err := json.Unmarshal([]byte(out), &nr); err != nil {
			t.Fatal(err)
		}
		if (nr.Outcome == modal) != (j == k) {
			t.Errorf("run %d ended in %s; the page tells run %d as the first that ended in %s", j, nr.Outcome, k, modal)
		}
	}
}
