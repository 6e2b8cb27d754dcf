// parley serve: the instructor's page. Explore the scenario (batches with
// their Wilson bands, an A/B comparison), tell one run, and run a class game.
"use strict";

(() => {
  const { el, fill, show, live, api, Stream, shareBars, diffBars, lineChart, countdown, plural } = parley;
  const $ = (id) => document.getElementById(id);

  let scenario = null;
  const actorName = {};
  const eventName = {};
  const controls = []; // {key, def, a, b}

  function problem(err) {
    const p = $("problem");
    p.textContent = err ? String(err.message || err) : "";
    p.hidden = !err;
    if (err) console.warn("parley:", err);
  }

  // ---------------------------------------------------------------- tabs

  function showTab() {
    const want = (location.hash || "#explore").slice(1);
    let found = false;
    for (const s of document.querySelectorAll("section.tab")) {
      s.hidden = s.id !== want;
      found = found || s.id === want;
    }
    if (!found) $("explore").hidden = false;
    for (const a of document.querySelectorAll("#tabs a")) {
      a.classList.toggle("current", a.dataset.tab === (found ? want : "explore"));
    }
  }

  // ---------------------------------------------------------------- settings

  function valueText(v) {
    return v === undefined || v === null ? "" : String(v);
  }

  // control builds the input of one setting: a slider with its value
  // beside it, or a select.
  function control(c, id) {
    if (c.kind === "select") {
      const s = el("select", { id, "data-key": c.key, "aria-label": c.label || c.key });
      for (const o of c.options || []) {
        const value = typeof o === "object" ? valueText(o.value) : valueText(o);
        const label = typeof o === "object" ? valueText(o.label || o.value) : valueText(o);
        s.append(el("option", { value }, label));
      }
      s.value = valueText(c.value);
      return s;
    }
    const out = el("output", { for: id }, valueText(c.value));
    const input = el("input", {
      id, type: "range", "data-key": c.key, "aria-label": c.label || c.key,
      min: c.min, max: c.max, step: c.step || "any", value: c.value,
      oninput: () => { out.textContent = input.value; },
    });
    return el("span", { class: "slider" }, input, out);
  }

  function buildControls() {
    $("controls").tBodies[0].replaceChildren();
    (scenario.controls || []).forEach(addRow);
    fill("all-keys", (scenario.keys || []).map((k) => el("option", { value: k })));
  }

  // addRow adds the row of control c: its A and B inputs.
  function addRow(c) {
    const i = controls.length;
    const a = control(c, `a-${i}`), b = control(c, `b-${i}`);
    // The default is the value the input shows: a slider may have moved
    // the scenario's value to its nearest position, and an untouched
    // control must set nothing.
    const ia = inputOf(a);
    controls.push({ key: c.key, def: ia.value, a: ia, b: inputOf(b) });
    $("controls").tBodies[0].append(el("tr", {},
      el("th", { scope: "row" }, c.label || c.key, el("small", { class: "key" }, c.key)),
      el("td", {}, a), el("td", { class: "b-col" }, b)));
  }

  // addSetting adds a control for any key --set takes, as the instructor
  // names it; the server checks the key.
  async function addSetting() {
    const key = $("add-key").value.trim();
    if (!key) return;
    problem(null);
    if (controls.some((c) => c.key === key)) {
      $("add-key").value = "";
      return;
    }
    try {
      addRow(await api("GET", `/api/control?key=${encodeURIComponent(key)}`));
      $("add-key").value = "";
    } catch (err) {
      problem(err);
    }
  }

  function inputOf(node) {
    return node.matches("input,select") ? node : node.querySelector("input,select");
  }

  // sets returns the settings of column which ("a" or "b") that differ
  // from the scenario's own values, as --set would give them.
  function sets(which) {
    const out = {};
    for (const c of controls) {
      const v = c[which].value;
      if (v !== c.def) out[c.key] = v;
    }
    return out;
  }

  function resetControls() {
    for (const c of controls) {
      for (const w of ["a", "b"]) {
        c[w].value = c.def;
        c[w].dispatchEvent(new Event("input"));
      }
    }
  }

  function num(id) {
    return Number($(id).value);
  }

  // ---------------------------------------------------------------- batches

  // latest is the newest batch or comparison asked for or seen; shown the
  // one drawn. A fast batch's events can come before the answer that
  // names it.
  let latest = 0;
  let shown = 0;

  async function runBatch() {
    problem(null);
    try {
      const r = await api("POST", "/api/batch", { sets: sets("a"), runs: num("runs"), seed: num("seed") });
      latest = Math.max(latest, r.batch);
      if (shown === r.batch) return;
      show("batch-view", true);
      show("compare-view", false);
      $("batch-title").textContent = "How the talks end (setting A)";
      $("batch-progress").textContent = "Running…";
      fill("batch-chart");
    } catch (err) {
      problem(err);
    }
  }

  async function runCompare() {
    problem(null);
    try {
      const r = await api("POST", "/api/compare", {
        a: { sets: sets("a") }, b: { sets: sets("b") }, runs: num("runs"), seed: num("seed"),
      });
      latest = Math.max(latest, r.batch);
      if (shown === r.batch) return;
      show("batch-view", false);
      show("compare-view", true);
      $("compare-progress").textContent = "Running…";
      fill("compare-ab");
      fill("compare-diff");
    } catch (err) {
      problem(err);
    }
  }

  function progress(d) {
    const done = d.done === d.runs;
    return `${plural(d.done, "run")} of ${d.runs.toLocaleString("en")}${done ? ", finished" : "…"}; bands are 95% Wilson intervals`;
  }

  function onBatch(d) {
    if (d.batch < latest) return;
    latest = shown = d.batch;
    show("batch-view", true);
    show("compare-view", false);
    if (d.error) {
      $("batch-progress").textContent = `The batch failed: ${d.error}`;
      fill("batch-chart");
      return;
    }
    $("batch-progress").textContent = progress(d);
    fill("batch-chart", shareBars(d.shares));
  }

  function onCompare(d) {
    if (d.batch < latest) return;
    latest = shown = d.batch;
    show("batch-view", false);
    show("compare-view", true);
    if (d.error) {
      $("compare-progress").textContent = `The comparison failed: ${d.error}`;
      fill("compare-ab");
      fill("compare-diff");
      return;
    }
    $("compare-progress").textContent = progress(d) + " (the same seeds for A and B)";
    fill("compare-ab", parley.pairBars(d.a, d.b));
    fill("compare-diff", diffBars(d.diff));
  }

  // ---------------------------------------------------------------- one run

  async function tell() {
    problem(null);
    try {
      const r = await api("POST", "/api/told", { sets: sets("a"), seed: num("told-seed"), run: num("told-run") });
      $("digest").textContent = r.digest;
      fill("told-chart", lineChart(r.turns || [], [
        { name: "tension", key: "tension", cls: "s-tension" },
        { name: "trust", key: "trust", cls: "s-trust" },
      ]));
    } catch (err) {
      problem(err);
    }
  }

  // ---------------------------------------------------------------- game

  let game = null; // {id, seats, stream, ...}

  function buildCaps() {
    const body = $("caps").tBodies[0];
    for (const a of scenario.actors) {
      body.append(el("tr", {},
        el("th", { scope: "row" }, a.name),
        el("td", {}, el("input", { type: "number", min: 0, max: 60, step: 1, value: 1, "data-actor": a.id, "aria-label": `seats for ${a.name}` }))));
    }
    const sel = $("inject-event");
    for (const e of scenario.events || []) sel.append(el("option", { value: e.id }, e.name || e.id));
    sel.disabled = !(scenario.events || []).length;
  }

  async function openGame() {
    problem(null);
    const seats = {};
    for (const i of $("caps").querySelectorAll("input[data-actor]")) {
      const n = Number(i.value);
      if (n > 0) seats[i.dataset.actor] = n;
    }
    try {
      const r = await api("POST", "/api/game", {
        seats, seconds: num("seconds"), seed: num("game-seed"), run: num("game-run"), sets: sets("a"),
      });
      if (!game || game.id < r.game) await loadGame(r.game);
    } catch (err) {
      problem(err);
    }
  }

  let loading = 0; // the latest loadGame call: an earlier one that ends later gives way

  async function loadGame(id) {
    const ticket = ++loading;
    const st = await api("GET", `/api/game/${id}/state`);
    if (ticket !== loading) return;
    if (game) game.stream.close();
    game = {
      id, caps: st.seats || {}, seconds: st.seconds, taken: {}, names: {}, waiting: new Map(),
      started: false, ended: false, stream: null,
    };
    $("game-id").textContent = String(id);
    const join = scenario.join || "";
    const link = $("join-url");
    link.textContent = join;
    if (join) link.href = join;
    const code = join ? new URL(join, location.href).searchParams.get("code") : "";
    $("join-code").textContent = code || "(none needed on this machine)";
    $("qr").src = `/api/qr.png?game=${encodeURIComponent(id)}`;
    show("game-join", true);
    $("game-setup").open = false;
    show("results", false);
    fill("game-log");
    fill("waiting");
    $("game-state").textContent = "";
    $("game-status").textContent = "Waiting for students to take their seats";
    $("start").disabled = false;
    $("inject").disabled = true;
    drawSeats();
    const s = new Stream(`game/${id}`, ["seat", "start", "turn", "decide", "decided", "news", "injected", "end"],
      (type, d) => { if (game.stream === s) onGameEvent(type, d); });
    game.stream = s;
    parley.streams.game = s;
    s.replay(st.events);
    if (!game.ended) s.open();
  }

  function drawSeats() {
    const ul = $("seats");
    ul.replaceChildren();
    for (const [actor, cap] of Object.entries(game.caps)) {
      const names = game.names[actor] || [];
      ul.append(el("li", { "data-actor": actor },
        el("b", {}, actorName[actor] || actor), ` ${game.taken[actor] || 0} of ${cap}`,
        names.length ? el("span", { class: "names" }, ": " + names.join(", ")) : ""));
    }
  }

  function logLine(cls, ...text) {
    const li = el("li", { class: cls }, ...text);
    const log = $("game-log");
    log.prepend(li);
    while (log.children.length > 200) log.lastChild.remove();
  }

  function onGameEvent(type, d) {
    switch (type) {
      case "seat":
        game.taken[d.actor] = d.taken;
        (game.names[d.actor] = game.names[d.actor] || []).push(d.name);
        drawSeats();
        logLine("seat", `${d.name} took a seat as ${actorName[d.actor] || d.actor}`);
        break;
      case "start":
        game.started = true;
        $("start").disabled = true;
        $("inject").disabled = $("inject-event").disabled;
        $("game-status").textContent = "The game has started";
        break;
      case "turn":
        game.started = true;
        $("start").disabled = true;
        $("inject").disabled = $("inject-event").disabled;
        $("game-status").textContent = `Turn ${d.turn}${d.label ? ` (${d.label})` : ""}`;
        if (stateText(d.state)) $("game-state").textContent = stateText(d.state);
        logLine("turn", `Turn ${d.turn}${d.label ? `, ${d.label}` : ""}`);
        break;
      case "decide": {
        const li = el("li", { "data-decision": d.decision },
          el("b", {}, actorName[d.actor] || d.actor), `: ${d.title || d.kind} `, el("span", { class: "clock" }));
        const stop = countdown(li.querySelector(".clock"), d.deadline);
        game.waiting.set(d.decision, { li, stop });
        $("waiting").append(li);
        break;
      }
      case "decided": {
        const w = game.waiting.get(d.decision);
        if (w) {
          w.stop();
          w.li.remove();
          game.waiting.delete(d.decision);
        }
        const who = d.by === "model"
          ? `${actorName[d.actor] || d.actor} (the model, as no one answered in time)`
          : `${actorName[d.actor] || d.actor}${d.name ? ` (${d.name})` : ""}`;
        logLine("decided " + (d.by === "model" ? "by-model" : "by-student"), `${who}: ${d.text || d.choice}`);
        break;
      }
      case "news":
        for (const l of d.lines || []) logLine("news", l);
        break;
      case "injected":
        logLine("injected", `Injected: ${d.name || eventName[d.event] || d.event}`);
        break;
      case "end":
        game.ended = true;
        game.stream.close();
        for (const w of game.waiting.values()) w.stop();
        game.waiting.clear();
        fill("waiting");
        $("start").disabled = true;
        $("inject").disabled = true;
        $("game-status").textContent = `The game is over: ${d.text || d.outcome}`;
        logLine("end", `The game is over: ${d.text || d.outcome}`);
        loadResults(game.id);
        break;
    }
  }

  function stateText(s) {
    if (!s || s.tension === undefined) return "";
    return `tension ${Number(s.tension).toFixed(2)} · trust ${Number(s.trust).toFixed(2)}`;
  }

  async function loadResults(id) {
    try {
      const r = await api("GET", `/api/game/${id}/debrief`);
      $("results-outcome").textContent = `The class's game ended in ${r.outcome}. How the model's runs end with the model in every seat (95% intervals):`;
      const box = fill("results-seats", shareBars(r.model, { mark: r.outcome }));
      for (const s of r.seats || []) {
        box.append(el("div", { class: "seat-result", "data-actor": s.actor },
          el("h3", {}, s.name || actorName[s.actor] || s.actor, s.seat ? el("span", { class: "names" }, `, played by ${s.seat}`) : ""),
          parley.payoff(s)));
      }
      show("results", true);
    } catch (err) {
      problem(err);
    }
  }

  async function post(path, body) {
    problem(null);
    try {
      await api("POST", path, body || {});
    } catch (err) {
      problem(err);
    }
  }

  // ---------------------------------------------------------------- start

  async function main() {
    showTab();
    window.addEventListener("hashchange", showTab);
    try {
      scenario = await api("GET", "/api/scenario");
    } catch (err) {
      problem(err);
      return;
    }
    for (const a of scenario.actors) actorName[a.id] = a.name;
    for (const e of scenario.events || []) eventName[e.id] = e.name;
    buildControls();
    buildCaps();
    $("run").addEventListener("click", runBatch);
    $("add").addEventListener("click", addSetting);
    $("add-key").addEventListener("keydown", (e) => { if (e.key === "Enter") addSetting(); });
    $("compare").addEventListener("click", runCompare);
    $("reset").addEventListener("click", resetControls);
    $("tell").addEventListener("click", tell);
    $("open-game").addEventListener("click", openGame);
    $("start").addEventListener("click", () => post(`/api/game/${game.id}/start`));
    $("inject").addEventListener("click", async () => {
      problem(null);
      try {
        await api("POST", `/api/game/${game.id}/inject`, { event: $("inject-event").value });
      } catch (err) {
        if (err.status === 501) {
          // This build's engine cannot inject: say so once, and grey the control.
          $("inject-event").disabled = true;
          $("inject").title = err.message;
        }
        problem(err);
      }
    });

    const inst = new Stream("instructor", ["batch", "compare", "game"], (type, d) => {
      if (type === "batch") onBatch(d);
      else if (type === "compare") onCompare(d);
      else if (type === "game" && (!game || d.game > game.id)) {
        // A game opened here or from the instructor's other window.
        loadGame(d.game).catch(problem);
      }
    });
    inst.onstatus = live;
    parley.streams.instructor = inst;
    if (scenario.game) {
      try {
        await loadGame(scenario.game);
      } catch (err) {
        problem(err);
      }
    }
    inst.open();
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", main);
})();
