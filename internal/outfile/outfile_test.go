package outfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func put(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// leftovers fails the test if dir holds a temporary file.
func leftovers(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode()
}

// Each kind of output target, and what writing it must do.
func TestWriteTargets(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the path to write
		check func(t *testing.T, dir, path string)
		fails string // the error's text, if writing must fail
	}{
		{
			name:  "new file gets 0666 less the umask",
			setup: func(t *testing.T, dir string) string { return filepath.Join(dir, "out.csv") },
			check: func(t *testing.T, dir, path string) {
				if got := read(t, path); got != "new" {
					t.Errorf("holds %q", got)
				}
				if m := mode(t, path); m != 0o640 {
					t.Errorf("mode %v, want -rw-r----- (0666 less umask 027)", m)
				}
			},
		},
		{
			name: "existing file keeps its mode 0600",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "secret.csv")
				if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			},
			check: func(t *testing.T, dir, path string) {
				if got := read(t, path); got != "new" {
					t.Errorf("holds %q", got)
				}
				if m := mode(t, path); m != 0o600 {
					t.Errorf("mode %v, want -rw-------", m)
				}
			},
		},
		{
			name: "existing file keeps a mode wider than the umask",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "shared.csv")
				if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, 0o666); err != nil {
					t.Fatal(err)
				}
				return p
			},
			check: func(t *testing.T, dir, path string) {
				if m := mode(t, path); m != 0o666 {
					t.Errorf("mode %v, want -rw-rw-rw-", m)
				}
			},
		},
		{
			name: "symbolic link stays a link and its target is written",
			setup: func(t *testing.T, dir string) string {
				if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "real", "x.csv"), []byte("old"), 0o644); err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, "link.csv")
				if err := os.Symlink("real/x.csv", p); err != nil {
					t.Fatal(err)
				}
				return p
			},
			check: func(t *testing.T, dir, path string) {
				if mode(t, path)&fs.ModeSymlink == 0 {
					t.Errorf("the link was replaced by a file")
				}
				if got := read(t, filepath.Join(dir, "real", "x.csv")); got != "new" {
					t.Errorf("the link's target holds %q", got)
				}
				leftovers(t, filepath.Join(dir, "real"))
			},
		},
		{
			name: "dangling link creates its target",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "dangling.csv")
				if err := os.Symlink(filepath.Join(dir, "made.csv"), p); err != nil {
					t.Fatal(err)
				}
				return p
			},
			check: func(t *testing.T, dir, path string) {
				if mode(t, path)&fs.ModeSymlink == 0 {
					t.Errorf("the link was replaced by a file")
				}
				if got := read(t, filepath.Join(dir, "made.csv")); got != "new" {
					t.Errorf("the target holds %q", got)
				}
			},
		},
		{
			name: "FIFO is written in place",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "pipe")
				if err := syscall.Mkfifo(p, 0o600); err != nil {
					t.Skip("no FIFOs here:", err)
				}
				got := make(chan string, 1)
				go func() {
					f, err := os.Open(p)
					if err != nil {
						got <- err.Error()
						return
					}
					b, _ := io.ReadAll(f)
					f.Close()
					got <- string(b)
				}()
				t.Cleanup(func() {
					if s := <-got; s != "new" {
						t.Errorf("the FIFO's reader got %q", s)
					}
				})
				return p
			},
			check: func(t *testing.T, dir, path string) {
				if mode(t, path)&fs.ModeNamedPipe == 0 {
					t.Errorf("the FIFO was replaced: mode %v", mode(t, path))
				}
			},
		},
		{
			// A test double for /dev/null: a character device with its
			// numbers (1, 3), made where the process may make one.
			name: "device is written in place, never replaced",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "null")
				if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
					t.Skip("cannot make a device node here:", err)
				}
				if f, err := os.OpenFile(p, os.O_WRONLY, 0); err != nil {
					t.Skip("cannot open a device node here:", err)
				} else {
					f.Close()
				}
				return p
			},
			check: func(t *testing.T, dir, path string) {
				if mode(t, path)&fs.ModeCharDevice == 0 {
					t.Errorf("the device was replaced: mode %v", mode(t, path))
				}
			},
		},
		{
			name:  "directory is refused",
			setup: func(t *testing.T, dir string) string { return dir },
			fails: "is a directory",
		},
		{
			name:  "missing directory is refused",
			setup: func(t *testing.T, dir string) string { return filepath.Join(dir, "no", "out.csv") },
			fails: "does not exist",
		},
		{
			name: "a file as the directory is refused",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "file")
				if err := os.WriteFile(p, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				return filepath.Join(p, "out.csv")
			},
			fails: "is not a directory",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := c.setup(t, dir)
			for _, check := range []func() error{
				func() error { return Check([]Output{{Name: "-o", Path: path}}) },
				func() error { return Write(path, put("new")) },
			} {
				err := check()
				if c.fails == "" && err != nil {
					t.Fatal(err)
				}
				if c.fails != "" {
					var oe *Error
					if !errors.As(err, &oe) || !strings.Contains(err.Error(), c.fails) || !strings.HasPrefix(err.Error(), path+": ") {
						t.Fatalf("error %v, want one that names %s and says %q", err, path, c.fails)
					}
				}
			}
			if c.check != nil {
				c.check(t, dir, path)
			}
			leftovers(t, dir)
		})
	}
}

// A failed or panicking fill leaves the old file and no temporary file.
func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := Write(path, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	func() {
		defer func() { _ = recover() }()
		_ = Write(path, func(w io.Writer) error { io.WriteString(w, "half"); panic("bug") })
	}()
	if got := read(t, path); got != "old" {
		t.Fatalf("after failed writes the file holds %q", got)
	}
	leftovers(t, dir)
}

// /dev/fd/N writes to the process's own descriptor: a file opened for
// appending is appended to, not replaced.
func TestWriteOwnDescriptor(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log")
	if err := os.WriteFile(path, []byte("first\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := os.Stat(path)
	if err := Write("/dev/fd/"+strconv.Itoa(int(f.Fd())), put("second\n")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); got != "first\nsecond\n" {
		t.Fatalf("log holds %q, want both lines", got)
	}
	if fi2, _ := os.Stat(path); !os.SameFile(fi, fi2) {
		t.Fatalf("the file was replaced")
	}
	if _, err := f.WriteString("third\n"); err != nil {
		t.Fatalf("the descriptor was closed: %v", err)
	}
}

// Two outputs, or an output and an input, that are one file are refused
// before any work; distinct files pass.
func TestCheckSameFile(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.csv")
	if err := os.WriteFile(a, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(a, filepath.Join(dir, "hard.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.csv", filepath.Join(dir, "sym.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(dir, "here")); err != nil {
		t.Fatal(err)
	}
	same := [][2]string{
		{a, a},
		{a, filepath.Join(dir, "sub", "..", "a.csv")},
		{a, filepath.Join(dir, "hard.csv")},
		{a, filepath.Join(dir, "sym.csv")},
		// not there yet: compared by resolved path
		{filepath.Join(dir, "new.csv"), filepath.Join(dir, "here", "new.csv")},
		{"-", "/dev/stdout"},
	}
	for _, p := range same {
		err := Check([]Output{{Name: "-o", Path: p[0]}, {Name: "--runs-out", Path: p[1]}})
		if err == nil || !strings.Contains(err.Error(), "-o and --runs-out name the same file") {
			t.Errorf("%s and %s: error %v, want the same file refused", p[0], p[1], err)
		}
		err = Check([]Output{{Name: "OUT", Path: p[0]}}, "other", p[1])
		if err == nil || !strings.Contains(err.Error(), "is also an input") {
			t.Errorf("output %s, input %s: error %v, want refused", p[0], p[1], err)
		}
	}
	if err := Check([]Output{{Name: "-o", Path: a}, {Name: "--runs-out", Path: filepath.Join(dir, "b.csv")}, {Name: "--transcript", Path: ""}}, filepath.Join(dir, "c.csv")); err != nil {
		t.Errorf("distinct files: %v", err)
	}
	leftovers(t, dir)
	if _, err := os.Stat(filepath.Join(dir, "b.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Check created the output it checked")
	}
}
