package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/sim"
)

// availableMemory returns the bytes parley may use, or 0 when it cannot
// tell: PARLEY_MEMORY when set (bytes, or with a K, M, G or T suffix: a
// job's share of a cluster node, which the node's own figures do not
// know), else the least of the kernel's estimate of available memory and
// the room left under the process's cgroup limit. A bad PARLEY_MEMORY is a
// usage error.
func availableMemory() (int64, error) {
	if s := os.Getenv("PARLEY_MEMORY"); s != "" {
		b, err := parseBytes(s)
		if err != nil {
			return 0, usagef("PARLEY_MEMORY=%q: %v", s, err)
		}
		return b, nil
	}
	avail := meminfoAvailable()
	if c := cgroupRoom(); c > 0 && (avail <= 0 || c < avail) {
		avail = c
	}
	return avail, nil
}

// parseBytes reads a size such as 8000000000, 512M or 8G (powers of 1024).
func parseBytes(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := int64(1)
	if t != "" {
		if k := strings.IndexByte("KMGT", t[len(t)-1]); k >= 0 {
			mult = 1 << (10 * (k + 1))
			t = t[:len(t)-1]
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 || v*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("want a size in bytes, such as 8G, 512M or 8000000000")
	}
	return int64(v * float64(mult)), nil
}

// meminfoAvailable returns MemAvailable from /proc/meminfo, or 0.
func meminfoAvailable() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// cgroupRoom returns the room left under the cgroup (v2) memory limit, or
// 0 when there is no limit or it cannot be read.
func cgroupRoom() int64 {
	limit, err := readInt("/sys/fs/cgroup/memory.max")
	if err != nil || limit <= 0 {
		return 0
	}
	used, _ := readInt("/sys/fs/cgroup/memory.current")
	return max(limit-used, 1)
}

func readInt(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
}

// fitEngine checks, before anything is allocated, that sc can be played on
// workers workers (0: all cores) in the memory there is. It returns the
// workers to use: fewer than asked, said on stderr, when not all fit (the
// results do not depend on their number). A scenario that does not fit
// even on one is a usage error that says what it needs.
func (e *env) fitEngine(sc *scenarios.Scenario, workers int) (int, error) {
	fit, _, err := e.engineRoom(sc, workers)
	var large tooLarge
	if errors.As(err, &large) {
		return 0, usagef("%s: valid, but %v; 'parley analyze' takes it", sc.ID, err)
	}
	return fit, err
}

// tooLarge says why a scenario cannot be played: more packages than the
// engine numbers, or more memory than there is.
type tooLarge struct{ msg string }

func (t tooLarge) Error() string { return t.msg }

// engineRoom is fitEngine, with a tooLarge error that does not name the
// scenario; it also returns the scenario's footprint (sim.FootprintOf,
// which compiles a large scenario: computed once).
func (e *env) engineRoom(sc *scenarios.Scenario, workers int) (int, sim.Footprint, error) {
	fp, ok := sim.FootprintOf(sc)
	if !ok {
		what := thousands(fp.Packages) + " packages"
		if _, counted := sim.Packages(sc); !counted {
			what = "more packages than can be counted"
		}
		return 0, fp, tooLarge{fmt.Sprintf("too large to run: %s (combinations of issue levels), at most %s (the engine numbers packages in 32 bits)",
			what, thousands(sim.MaxPackages))}
	}
	asked := workers
	if asked <= 0 {
		asked = runtime.GOMAXPROCS(0)
	}
	avail, err := availableMemory()
	if err != nil {
		return 0, fp, err
	}
	fit := fp.Fit(asked, avail)
	if fit == 0 {
		return 0, fp, tooLarge{fmt.Sprintf("too large to run on this machine: %s packages need about %s, and %s is available (PARLEY_MEMORY sets what parley may use)",
			thousands(fp.Packages), sim.FormatBytes(fp.Bytes(1)), sim.FormatBytes(avail))}
	}
	if fit < asked {
		fmt.Fprintf(e.stderr, "parley: %s needs about %s a worker: running %s of the %d asked for, to fit in the %s available\n",
			sc.ID, sim.FormatBytes(fp.PerWorker), count(fit, "worker"), asked, sim.FormatBytes(avail))
		return fit, fp, nil
	}
	return workers, fp, nil
}
