// parley serve: helpers shared by the instructor's and the students' pages.
//
// Every piece of text that comes from the scenario or the server reaches the
// page through textContent (el and its children), never through innerHTML,
// so a name or a title holding markup stays text.
"use strict";

const parley = (() => {
  // el builds an element: el("p", {class: "x"}, "text", child, ...).
  // Attributes starting with "on" are listeners; strings become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else if (k === "style") e.style.cssText = v;
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    append(e, children);
    return e;
  }

  function append(e, children) {
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // fill replaces the children of the element with id (or the element).
  function fill(target, ...children) {
    const e = typeof target === "string" ? document.getElementById(target) : target;
    e.replaceChildren();
    return append(e, children);
  }

  function show(id, on) {
    document.getElementById(id).hidden = !on;
  }

  // live marks the page's event stream as connected or reconnecting.
  function live(on) {
    const l = document.getElementById("live");
    l.textContent = on ? "live" : "reconnecting…";
    l.classList.toggle("on", on);
  }

  // api calls the server and returns its JSON answer; a refusal throws an
  // Error holding the server's message and its status.
  async function api(method, path, body) {
    const opts = { method, headers: {}, credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    const type = r.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await r.json().catch(() => null) : await r.text();
    if (!r.ok) {
      const msg = data && data.error ? data.error : `${method} ${path}: ${r.status} ${r.statusText}`;
      const err = new Error(msg);
      err.status = r.status;
      throw err;
    }
    return data;
  }

  // Stream follows one server-sent event stream. On start it may take the
  // events a state endpoint returned (a reload), then opens the stream
  // after the last of them; EventSource resumes with Last-Event-ID by
  // itself when the connection drops. Every event reaches handle(type,
  // data, id) once and in order: an id at or below the last one handled is
  // dropped (and counted in duplicates). received lists every id as it
  // arrived, for tests.
  class Stream {
    constructor(name, types, handle) {
      this.name = name;
      this.types = types;
      this.handle = handle;
      this.last = 0;
      this.received = [];
      this.duplicates = 0;
      this.opens = 0; // connections made: more than one after a reconnect
      this.source = null;
      this.onstatus = null;
    }

    // replay feeds events from a state answer ([{id, type, data}]).
    replay(events) {
      for (const e of events || []) this.deliver(e.type, e.data, Number(e.id));
    }

    deliver(type, data, id) {
      this.received.push(id);
      if (id <= this.last) {
        this.duplicates++;
        return;
      }
      this.last = id;
      try {
        this.handle(type, data, id);
      } catch (err) {
        console.error(`parley: handling ${type} event ${id}:`, err);
      }
    }

    open() {
      this.close();
      const url = `/events?stream=${encodeURIComponent(this.name)}&after=${this.last}`;
      const src = new EventSource(url);
      this.source = src;
      for (const t of this.types) {
        src.addEventListener(t, (ev) => {
          let data = null;
          try {
            data = JSON.parse(ev.data);
          } catch (err) {
            console.error(`parley: event ${t} ${ev.lastEventId}: not JSON`, err);
            return;
          }
          this.deliver(t, data, Number(ev.lastEventId));
        });
      }
      src.addEventListener("open", () => {
        this.opens++;
        this.status(true);
      });
      src.addEventListener("error", () => this.status(src.readyState === EventSource.OPEN));
      return this;
    }

    status(live) {
      if (this.onstatus) this.onstatus(live);
    }

    close() {
      if (this.source) this.source.close();
      this.source = null;
    }
  }

  // ---------------------------------------------------------------- words

  const outcomeWords = {
    agreement: "agreement",
    stalemate: "stalemate",
    breakdown: "breakdown",
    conflict: "conflict",
  };

  function pct(x, digits = 0) {
    return `${(100 * x).toFixed(digits)}%`;
  }

  // points formats a difference of shares in percentage points, signed.
  function points(x) {
    const v = 100 * x;
    const s = Math.abs(v) < 0.05 ? "0" : `${v > 0 ? "+" : "−"}${Math.abs(v).toFixed(1)}`;
    return s;
  }

  function plural(n, one, many) {
    return `${n.toLocaleString("en")} ${n === 1 ? one : many || one + "s"}`;
  }

  // ---------------------------------------------------------------- charts
  //
  // Charts are plain HTML (bars as percentage widths) and SVG (lines), so
  // they scale from a phone to a projector and their numbers stay text.

  function outcomeClass(o) {
    return "o-" + String(o).replace(/[^a-z_]/gi, "");
  }

  // shareBars draws each outcome's share as a bar with its 95% Wilson
  // interval as a band, and the numbers beside it. mark names an outcome
  // to highlight (the outcome a game had).
  function shareBars(shares, opts = {}) {
    const box = el("div", { class: "bars" + (opts.small ? " small" : "") });
    for (const s of shares || []) {
      const row = el("div", {
        class: "bar-row " + outcomeClass(s.outcome) + (opts.mark === s.outcome ? " marked" : ""),
        "data-outcome": s.outcome,
        "data-share": s.share,
      });
      const track = el("div", { class: "track" },
        el("div", { class: "bar", style: `width:${clamp(s.share) * 100}%` }),
        el("div", { class: "band", style: `left:${clamp(s.lo) * 100}%;width:${(clamp(s.hi) - clamp(s.lo)) * 100}%` }));
      append(row, [
        el("span", { class: "bar-label" }, outcomeWords[s.outcome] || s.outcome, opts.mark === s.outcome ? " ◀" : ""),
        track,
        el("span", { class: "bar-num" }, pct(s.share), el("small", {}, ` ${pct(s.lo)}–${pct(s.hi)}`)),
      ]);
      box.append(row);
    }
    return box;
  }

  // pairBars draws A's and B's share of each outcome one above the other,
  // each with its interval band.
  function pairBars(a, b) {
    const box = el("div", { class: "bars pairs" });
    const bOf = new Map((b || []).map((s) => [s.outcome, s]));
    for (const sa of a || []) {
      const sb = bOf.get(sa.outcome) || { share: 0, lo: 0, hi: 0 };
      const line = (tag, s) => el("div", { class: "pair", "data-set": tag, "data-share": s.share },
        el("span", { class: "tag" }, tag),
        el("div", { class: "track" },
          el("div", { class: "bar", style: `width:${clamp(s.share) * 100}%` }),
          el("div", { class: "band", style: `left:${clamp(s.lo) * 100}%;width:${(clamp(s.hi) - clamp(s.lo)) * 100}%` })),
        el("span", { class: "bar-num" }, pct(s.share), el("small", {}, ` ${pct(s.lo)}–${pct(s.hi)}`)));
      box.append(el("div", { class: "bar-row " + outcomeClass(sa.outcome), "data-outcome": sa.outcome },
        el("span", { class: "bar-label" }, outcomeWords[sa.outcome] || sa.outcome),
        el("div", { class: "pair-lines" }, line("A", sa), line("B", sb))));
    }
    return box;
  }

  // diffBars draws each outcome's difference (B − A) with its interval on
  // an axis centred on zero.
  function diffBars(diffs) {
    let span = 0.05;
    for (const d of diffs || []) span = Math.max(span, Math.abs(d.lo), Math.abs(d.hi), Math.abs(d.diff));
    const at = (x) => 50 + (50 * x) / span;
    const box = el("div", { class: "bars diff" });
    for (const d of diffs || []) {
      const sure = d.lo > 0 || d.hi < 0;
      const row = el("div", { class: "bar-row " + outcomeClass(d.outcome) + (sure ? " sure" : ""), "data-outcome": d.outcome });
      append(row, [
        el("span", { class: "bar-label" }, outcomeWords[d.outcome] || d.outcome),
        el("div", { class: "track" },
          el("div", { class: "zero" }),
          el("div", { class: "band", style: `left:${at(d.lo)}%;width:${at(d.hi) - at(d.lo)}%` }),
          el("div", { class: "dot", style: `left:${at(d.diff)}%` })),
        el("span", { class: "bar-num" }, points(d.diff), el("small", {}, ` (${points(d.lo)}, ${points(d.hi)})`)),
      ]);
      box.append(row);
    }
    return box;
  }

  function clamp(x) {
    return Math.min(1, Math.max(0, Number(x) || 0));
  }

  // payoff tells a seat's payoff against the model's runs in that seat:
  // a sentence and a 0–1 track with both marked.
  function payoff(seat) {
    const pay = Number(seat.payoff), mean = Number(seat.model_mean);
    const pctile = Math.round(Number(seat.percentile));
    const cmp = pay > mean + 0.005 ? "above" : pay < mean - 0.005 ? "below" : "level with";
    return el("div", { class: "payoff", "data-actor": seat.actor },
      el("p", {}, `Payoff ${pay.toFixed(2)}, ${cmp} the model's mean of ${mean.toFixed(2)} in this seat: `,
        `percentile ${pctile} of the model's runs.`),
      el("div", { class: "track", "aria-hidden": "true" },
        el("div", { class: "mark model", style: `left:${clamp(mean) * 100}%`, title: "the model's mean" }),
        el("div", { class: "mark played", style: `left:${clamp(pay) * 100}%`, title: "as played" })),
      el("div", { class: "legend" },
        el("span", { class: "key played" }, "as played"), el("span", { class: "key model" }, "the model's mean")));
  }

  const svgNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const e = document.createElementNS(svgNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // lineChart draws series [{name, key, cls}] of points (objects with
  // turn and the key) on a 0–1 scale against the turn.
  function lineChart(points, series, opts = {}) {
    const W = 800, H = 300, L = 48, R = 12, T = 16, B = 40;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "line-chart", role: "img" });
    root.append(svg("title", {}, opts.title || series.map((s) => s.name).join(" and ") + " by turn"));
    const turns = points.map((p) => p.turn);
    const t0 = Math.min(...turns, 1), t1 = Math.max(...turns, t0 + 1);
    const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
    const y = (v) => T + (1 - clamp(v)) * (H - T - B);
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      root.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }));
      root.append(svg("text", { x: L - 6, y: y(v) + 5, class: "tick", "text-anchor": "end" }, v.toFixed(2)));
    }
    const every = Math.max(1, Math.ceil((t1 - t0 + 1) / 12));
    for (let t = t0; t <= t1; t += every) {
      root.append(svg("text", { x: x(t), y: H - B + 22, class: "tick", "text-anchor": "middle" }, String(t)));
    }
    root.append(svg("text", { x: (L + W - R) / 2, y: H - 4, class: "axis", "text-anchor": "middle" }, "turn"));
    for (const s of series) {
      const d = points.map((p, i) => `${i ? "L" : "M"}${x(p.turn).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join("");
      root.append(svg("path", { d, class: "series " + s.cls, "data-series": s.key }));
    }
    const legend = el("div", { class: "legend" },
      series.map((s) => el("span", { class: "key " + s.cls }, s.name)));
    return el("figure", { class: "chart" }, root, legend);
  }

  // ---------------------------------------------------------------- time

  // countdown writes the seconds left until deadline (unix ms) into node
  // every quarter second, and calls done once when it reaches zero. It
  // returns a function that stops it.
  function countdown(node, deadline, done) {
    let fired = false;
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      node.textContent = left > 0 ? `${left} s left` : "time is up";
      node.classList.toggle("urgent", left <= 5);
      if (left === 0 && !fired) {
        fired = true;
        if (done) done();
      }
    };
    tick();
    const h = setInterval(tick, 250);
    return () => clearInterval(h);
  }

  return {
    el, append, fill, show, live, api, Stream, shareBars, pairBars, diffBars, lineChart, countdown, payoff,
    pct, points, plural, outcomeWords, streams: {},
  };
})();
