package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// ReadFile names what is wrong with a path that is not a scenario file,
// reads a FIFO (a shell's process substitution), and bounds what it reads.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	src, err := BuiltinSource("trade-deal")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.toml")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxSourceBytes+1); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.Write(src)
			f.Close()
		}
	}()
	for _, tc := range []struct {
		path  string
		found bool
		want  string // the error, or "" to read src
	}{
		{file, true, ""},
		{fifo, true, ""},
		{filepath.Join(dir, "missing.toml"), false, ""},
		{filepath.Join(file, "below"), false, ""}, // a file used as a directory
		{dir, true, dir + ": a directory, not a scenario file"},
		{huge, true, huge + ": more than 16 MiB: too large for a scenario file"},
	} {
		data, found, err := ReadFile(tc.path, "scenario file")
		switch {
		case found != tc.found:
			t.Errorf("%s: found %v, want %v", tc.path, found, tc.found)
		case tc.want != "":
			if err == nil || err.Error() != tc.want || !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: %v; want %q (an invalid-scenario error)", tc.path, err, tc.want)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.path, err)
		case found && string(data) != string(src):
			t.Errorf("%s: read %d bytes, want the %d of the source", tc.path, len(data), len(src))
		}
	}
	// Load says the same of a directory, not "no file".
	if _, err := Load(dir, nil); err == nil || !strings.Contains(err.Error(), "a directory, not a scenario file") {
		t.Errorf("Load(dir): %v", err)
	}
}
