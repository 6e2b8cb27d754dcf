package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/parley-sim/parley/scenarios"
	"github.com/parley-sim/parley/serve"
)

const serveUsage = `serve SCENARIO [--listen ADDR] [--set key.path=value]... [--transcripts DIR] [--workers W]

Starts a seminar room in the browser for SCENARIO: the instructor's page
runs batches with live outcome shares and their Wilson bands, compares two
settings, and tells one run; students join a class game from their own
laptops and take actors' seats (see docs/teaching.md). It prints the
address, the join code and the instructor's link, and serves until Ctrl-C.

By default it listens on 127.0.0.1:8080, this machine only, where the
instructor needs no code (127.0.0.1:0 picks a free port). --listen
0.0.0.0:8080 opens it to the classroom network: every page but the
student's then needs the join code, new at each start, and the
instructor's page the link printed with its token.`

func cmdServe(e *env, args []string) error {
	fs := newFlags("serve", serveUsage, e.stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "listen on `ADDR` (host:port); a host other than loopback requires the join code")
	transcripts := fs.String("transcripts", "", "write each finished game's transcript to `DIR` (created if missing); 'parley narrate --transcript' tells them")
	workers := fs.Int("workers", 0, "parallel `workers` of a batch (0: all cores); results do not depend on it")
	sets := setFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("serve takes one scenario (a built-in name or a file)")
	}
	if *workers < 0 {
		return usagef("--workers %d: want 0 (all cores) or more", *workers)
	}
	host, port, err := net.SplitHostPort(*listen)
	if err != nil {
		return usagef("--listen %q: want host:port, as in 127.0.0.1:8080 or 0.0.0.0:8080", *listen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return usagef("--listen %q: the port must be a number from 0 to 65535", *listen)
	}
	if *transcripts != "" {
		if fi, err := os.Stat(*transcripts); err == nil && !fi.IsDir() {
			return usagef("--transcripts %s: not a directory", *transcripts)
		}
	}
	sc, err := loadAgent("serve", pos[0], *sets)
	if err != nil {
		return err
	}
	if _, err := e.fitEngine(sc, *workers); err != nil {
		return err
	}
	srv, err := serve.New(serve.Config{
		Scenario: transcriptScenario(pos[0]), Sets: *sets, RequireCode: !isLoopback(host),
		Transcripts: *transcripts, Workers: *workers,
		Fit: func(sc *scenarios.Scenario) error { _, err := e.fitEngine(sc, *workers); return err },
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	base := "http://" + publicAddr(ln.Addr().(*net.TCPAddr))
	srv.SetURL(base)
	fmt.Fprintf(e.stdout, "parley serve: %s\n", sc.Title)
	fmt.Fprintf(e.stdout, "listening on %s\n", base)
	fmt.Fprintf(e.stdout, "instructor:  %s\n", srv.InstructorURL(base))
	fmt.Fprintf(e.stdout, "join code:   %s (students open %s)\n", srv.Code(), srv.JoinURL())
	if *transcripts != "" {
		fmt.Fprintf(e.stdout, "transcripts: %s\n", *transcripts)
	}
	fmt.Fprintln(e.stdout, "Ctrl-C stops the server.")
	if f, ok := e.stdout.(*os.File); ok {
		_ = f.Sync()
	}
	err = srv.Serve(e.ctx, ln)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	fmt.Fprintln(e.stdout, "parley serve: stopped")
	return nil
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// publicAddr is the address students type for a listener: its own, or
// for one on every interface (0.0.0.0, ::) this machine's first address on
// the network.
func publicAddr(a *net.TCPAddr) string {
	if !a.IP.IsUnspecified() {
		return a.String()
	}
	port := strconv.Itoa(a.Port)
	addrs, _ := net.InterfaceAddrs()
	for _, ad := range addrs {
		if ipn, ok := ad.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil && ipn.IP.IsPrivate() {
			return net.JoinHostPort(ipn.IP.String(), port)
		}
	}
	for _, ad := range addrs {
		if ipn, ok := ad.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return net.JoinHostPort(ipn.IP.String(), port)
		}
	}
	return net.JoinHostPort("localhost", port)
}
