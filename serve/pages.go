package serve

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// The pages: two HTML templates (the instructor's and a student's), and the
// scripts and the style sheet they load from /assets/. Charts are drawn by
// the pages' own script (bars as HTML, lines as SVG), not by a vendored
// library: the charts needed are a share with its interval band, a
// difference around zero and two lines over turns, a few dozen lines each,
// where a library such as uPlot (a time-series canvas plotter) would add
// some 50 KB and draw text on a canvas that tests cannot read.
//
//go:embed assets/templates/*.html assets/static
var assetFS embed.FS

var (
	pageTemplates = template.Must(template.ParseFS(assetFS, "assets/templates/*.html"))
	staticFS      = func() fs.FS {
		sub, err := fs.Sub(assetFS, "assets/static")
		if err != nil {
			panic(err) // the directory is embedded above
		}
		return sub
	}()
	staticTags = etags(staticFS)
)

// pageCSP is the pages' content security policy, stricter than the API's:
// scripts, styles, images and connections from this server only, nothing
// inline (the scripts set styles through the CSSOM, which it allows).
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// pageData is what a page template shows before its script runs: the
// scenario's title, question and actors, so the served HTML holds them
// itself (escaped by html/template).
type pageData struct {
	Title    string
	Question string
	Actors   []ActorInfo
}

// registerPages registers the instructor's page (/), a student's page
// (/join) and the embedded assets (/assets/) on mux. The server's guard in
// front of mux decides who may see them.
func registerPages(mux *http.ServeMux, s *Server) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		renderPage(w, "instructor.html", s.scenarioInfo())
	})
	mux.HandleFunc("GET /join", func(w http.ResponseWriter, r *http.Request) {
		renderPage(w, "student.html", s.scenarioInfo())
	})
	mux.HandleFunc("GET /assets/{file...}", serveAsset)
}

// renderPage renders template name into a buffer first, so that a failure
// answers 500 rather than half a page.
func renderPage(w http.ResponseWriter, name string, in ScenarioInfo) {
	var b bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&b, name, pageData{Title: in.Title, Question: in.Question, Actors: in.Actors}); err != nil {
		writeError(w, http.StatusInternalServerError, "page "+name+": "+err.Error())
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	_, _ = w.Write(b.Bytes())
}

// serveAsset serves an embedded script or style sheet, with an ETag of
// its content so that a reload revalidates it cheaply.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	tag, ok := staticTags[name]
	if !ok || strings.Contains(name, "..") {
		http.NotFound(w, r)
		return
	}
	f, err := staticFS.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("ETag", tag)
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", pageCSP)
	// ServeContent sets the type from the name and answers If-None-Match.
	http.ServeContent(w, r, path.Base(name), time.Time{}, f.(io.ReadSeeker))
}

// etags returns a strong ETag for every file of fsys, by path.
func etags(fsys fs.FS) map[string]string {
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = `"` + hex.EncodeToString(sum[:8]) + `"`
		return nil
	})
	if err != nil {
		panic(err) // the files are embedded
	}
	return out
}
