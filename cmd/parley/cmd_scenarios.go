package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/parley-sim/parley/results/story"
	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

func cmdList(e *env, args []string) error {
	fs := newFlags("list", "list [--format table|json]", e.stderr)
	format := fs.String("format", "table", "output `format`: table or json")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("list takes no arguments")
	}
	if err := oneOf("format", *format, "table", "json"); err != nil {
		return err
	}
	bs := scenarios.AllBuiltins()
	if *format == "json" {
		type item struct {
			Name  string `json:"name"`
			Title string `json:"title"`
			Kind  string `json:"kind"`
		}
		items := make([]item, len(bs))
		for i, b := range bs {
			items[i] = item{b.Name, b.Title, b.Kind}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, b := range bs {
		title := b.Title
		if b.Kind == scenarios.KindSpatial {
			title += " (spatial: parley forecast)"
		}
		fmt.Fprintf(tw, "%s\t%s\n", b.Name, title)
	}
	return tw.Flush()
}

const showUsage = `show SCENARIO [--set key.path=value]...

Prints a scenario as TOML. A scenario file or built-in that is not a
variant, without --set, is printed as written, its comments (which give
the numbers' sources) included. A variant is printed whole, its base
merged and its changes applied, and so is a scenario with --set applied:
one file, which 'parley validate' accepts and which loads to the same
scenario; a comment at its top says what was applied.`

func cmdShow(e *env, args []string) error {
	fs := newFlags("show", showUsage, e.stderr)
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("show takes one scenario: a built-in name (see 'parley list') or a file")
	}
	flat, err := scenarios.Flatten(pos[0], *sets)
	if err != nil {
		return err
	}
	if len(flat.Files) == 1 && len(*sets) == 0 {
		_, err = e.stdout.Write(flat.Source)
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "%s\n%s", showHeader(pos[0], flat.Files, *sets), flat.TOML)
	return err
}

// showHeader is the comment above a scenario show printed whole: what it
// was made of, as in "# korea-2018-hawkish-us, as one file: korea-2018.toml
// with the changes of korea-2018-hawkish-us.toml applied, then --set
// actors.us.hawkishness=0.9."
func showHeader(name string, files []string, sets setFlags) string {
	words := []string{name + ",", "as", "one", "file:", files[0]}
	if len(files) > 1 {
		words = append(words, "with", "the", "changes", "of")
		words = append(words, strings.Fields(story.AndList(files[1:]))...)
		words = append(words, "applied")
		if len(files) > 2 {
			words = append(words, "in", "that", "order")
		}
	}
	for i, o := range sets {
		switch {
		case i == 0 && len(files) > 1:
			words[len(words)-1] += ","
			words = append(words, "then")
		case i == 0:
			words = append(words, "with")
		case i == len(sets)-1:
			words = append(words, "and")
		default:
			words[len(words)-1] += ","
		}
		words = append(words, "--set", o.Path+"="+o.Value)
	}
	if len(sets) > 0 && len(files) == 1 {
		words = append(words, "applied")
	}
	words[len(words)-1] += "."
	words = append(words, strings.Fields("Written by 'parley show'. The comments that give the numbers' sources are in the original files ('parley show NAME' prints a built-in as written).")...)
	var b strings.Builder
	line := "#"
	for _, w := range words {
		if len(line)+1+len(w) > 76 && line != "#" {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
	return b.String()
}

func cmdValidate(e *env, args []string) error {
	fs := newFlags("validate", "validate FILE... [--set key.path=value]...", e.stderr)
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("validate takes one or more scenario files")
	}
	bad, large := 0, 0
	for _, p := range pos {
		sc, sp, err := scenarios.LoadAny(p, *sets)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			bad++
			continue
		}
		if sp != nil {
			if _, err := fmt.Fprintf(e.stdout, "%s: ok (%s: a spatial scenario, %s, %s)\n", p, sp.ID,
				count(len(sp.Actors), "actor"), count(len(sp.Dimensions), "dimension")); err != nil {
				return fmt.Errorf("validate: cannot write the report: %w", err)
			}
			continue
		}
		_, fp, err := e.engineRoom(sc, 1)
		if err != nil {
			var tl tooLarge
			if !errors.As(err, &tl) {
				return err
			}
			fmt.Fprintf(e.stderr, "%s: valid, but %v; 'parley analyze' takes it\n", p, err)
			bad++
			large++
			continue
		}
		// A large scenario says what it needs, for a cluster job's request.
		need := ""
		if fp.Kept < fp.Packages {
			need = fmt.Sprintf("; %s packages, played on the %s its searches can choose, about %s on one worker",
				thousands(fp.Packages), thousands(fp.Kept), sim.FormatBytes(fp.Bytes(1)))
		} else if fp.Bytes(1) >= 64<<20 {
			need = fmt.Sprintf("; %s packages, about %s on one worker", thousands(fp.Packages), sim.FormatBytes(fp.Bytes(1)))
		}
		if _, err := fmt.Fprintf(e.stdout, "%s: ok (%s: %s, %s, %s%s)\n", p, sc.ID,
			count(len(sc.Actors), "actor"), count(len(sc.Issues), "issue"), count(sc.Horizon, "turn"), need); err != nil {
			return fmt.Errorf("validate: cannot write the report: %w", err)
		}
	}
	if bad > 0 {
		return invalidFiles{bad, large, len(pos)}
	}
	return nil
}

// invalidFiles reports how many files failed validation (large of them
// valid but too large to run); their problems were printed already. It is
// an invalid-input error (exit status 2).
type invalidFiles struct{ bad, large, total int }

func (e invalidFiles) Error() string {
	switch {
	case e.total == 1 && e.large == 1:
		return "the scenario is valid but too large to run"
	case e.total == 1:
		return "the scenario is invalid"
	case e.bad == 1:
		return fmt.Sprintf("1 of %d scenarios is invalid", e.total)
	}
	return fmt.Sprintf("%d of %d scenarios are invalid", e.bad, e.total)
}

func (e invalidFiles) Is(target error) bool { return target == scenarios.ErrInvalid }

// count is n and noun, plural unless n is 1: "1 issue", "4 actors".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
