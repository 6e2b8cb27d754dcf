package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

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
	bs := scenarios.Builtins()
	if *format == "json" {
		type item struct {
			Name  string `json:"name"`
			Title string `json:"title"`
		}
		items := make([]item, len(bs))
		for i, b := range bs {
			items[i] = item{b.Name, b.Title}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, b := range bs {
		fmt.Fprintf(tw, "%s\t%s\n", b.Name, b.Title)
	}
	return tw.Flush()
}

func cmdShow(e *env, args []string) error {
	fs := newFlags("show NAME", "show NAME", e.stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("show takes one built-in scenario name (see 'parley list')")
	}
	src, err := scenarios.BuiltinSource(pos[0])
	if err != nil {
		return usageError{err.Error()}
	}
	_, err = e.stdout.Write(src)
	return err
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
	bad := 0
	for _, p := range pos {
		sc, err := scenarios.Load(p, *sets)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			bad++
			continue
		}
		if n, ok := sim.Packages(sc); !ok || n > sim.MaxPackages {
			count := fmt.Sprintf("%d packages", n)
			if !ok {
				count = "more packages than can be counted"
			}
			fmt.Fprintf(e.stderr, "%s: valid, but too large to run: %s (combinations of issue levels), at most %d; 'parley analyze' takes it\n", p, count, sim.MaxPackages)
			bad++
			continue
		}
		if _, err := fmt.Fprintf(e.stdout, "%s: ok (%s: %s, %s, %s)\n", p, sc.ID,
			count(len(sc.Actors), "actor"), count(len(sc.Issues), "issue"), count(sc.Horizon, "turn")); err != nil {
			return fmt.Errorf("validate: cannot write the report: %w", err)
		}
	}
	if bad > 0 {
		return invalidFiles{bad, len(pos)}
	}
	return nil
}

// invalidFiles reports how many files failed validation; their problems
// were printed already. It is an invalid-input error (exit status 2).
type invalidFiles struct{ bad, total int }

func (e invalidFiles) Error() string {
	switch {
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
