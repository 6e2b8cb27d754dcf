// parley serve: a student's page. Take a seat in the class game, decide for
// your actor each time the engine asks within the time limit, and read the
// debrief of your seat at the end.
"use strict";

(() => {
  const { el, fill, show, live, api, Stream, shareBars, countdown, plural } = parley;
  const $ = (id) => document.getElementById(id);

  let scenario = null;
  const actors = {}; // id → {name, role, wants}
  let game = null;

  function problem(err) {
    const p = $("problem");
    let msg = err ? String(err.message || err) : "";
    if (err && err.status === 403) msg = "This join code is not valid here: ask for the code on the projector. (" + msg + ")";
    p.textContent = msg;
    p.hidden = !err;
    if (err) console.warn("parley:", err);
  }

  function name(id) {
    return (actors[id] && actors[id].name) || id;
  }

  function phase(p) {
    document.body.dataset.phase = p;
    for (const id of ["lobby", "pick", "seated", "play", "debrief"]) show(id, false);
    switch (p) {
      case "lobby": show("lobby", true); break;
      case "pick": show("pick", true); break;
      case "seated": show("seated", true); break;
      case "play": show("seated", !!game.you); show("play", true); break;
      case "debrief": show("seated", !!game.you); show("debrief", true); show("play", true); break;
    }
  }

  // ---------------------------------------------------------------- lobby

  function onLobby(type, d) {
    if (type !== "game") return;
    if (game && d.game <= game.id) return;
    // A new game: follow it unless this student sits in one still going.
    if (game && game.you && !game.ended) return;
    loadGame(d.game).catch(problem);
  }

  // ---------------------------------------------------------------- game

  let loading = 0; // the latest loadGame call: an earlier one that ends later gives way

  async function loadGame(id) {
    if (game && game.id === id) return;
    const ticket = ++loading;
    const st = await api("GET", `/api/game/${id}/state`);
    if (ticket !== loading) return;
    if (game) game.stream.close();
    game = {
      id, caps: st.seats || {}, seconds: st.seconds, taken: {}, you: st.you || null,
      started: false, ended: false, pending: new Map(), stopClock: null, answered: new Set(), stream: null,
    };
    fill("log");
    show("verdict", false);
    seatHeader();
    const s = new Stream(`game/${id}`, ["seat", "start", "turn", "decide", "decided", "news", "injected", "end"],
      (type, d) => { if (game.stream === s) onGameEvent(type, d); });
    s.onstatus = live;
    game.stream = s;
    parley.streams.game = s;
    s.replay(st.events);
    if (!game.started) phase(game.you ? "seated" : "pick");
    drawPick();
    drawDecision();
    if (!game.ended) s.open();
  }

  function drawPick() {
    const ul = $("free-seats");
    ul.replaceChildren();
    for (const [actor, cap] of Object.entries(game.caps)) {
      const left = cap - (game.taken[actor] || 0);
      const a = actors[actor] || {};
      ul.append(el("li", {},
        el("button", { type: "button", "data-actor": actor, disabled: left <= 0, onclick: () => takeSeat(actor) },
          name(actor)),
        a.role ? el("span", { class: "role" }, ` ${a.role}`) : "",
        el("span", { class: "free" }, left > 0 ? ` ${plural(left, "seat")} free` : " full")));
    }
  }

  async function takeSeat(actor) {
    problem(null);
    const who = $("name").value.trim();
    if (!who) {
      problem(new Error("Write your name first, so the class knows who plays whom."));
      $("name").focus();
      return;
    }
    try {
      await api("POST", `/api/game/${game.id}/seat`, { actor, name: who });
      game.you = { actor, name: who };
      seatHeader();
      phase(game.started ? "play" : "seated");
    } catch (err) {
      problem(err);
    }
  }

  function seatHeader() {
    const you = game && game.you;
    $("you").textContent = you ? `${you.name} · ${name(you.actor)}` : "";
    if (!you) return;
    const a = actors[you.actor] || {};
    $("seat-title").textContent = `You are ${name(you.actor)}`;
    fill("wants", (a.wants || []).map((w) => el("li", {}, w)));
  }

  function logLine(cls, ...text) {
    const log = $("log");
    log.prepend(el("li", { class: cls }, ...text));
    while (log.children.length > 100) log.lastChild.remove();
  }

  function onGameEvent(type, d) {
    switch (type) {
      case "seat":
        game.taken[d.actor] = d.taken;
        drawPick();
        break;
      case "start":
        game.started = true;
        $("seat-wait").textContent = "The game is on.";
        phase("play");
        if (!game.you) $("turn").textContent = "The game started without you: you can follow it here.";
        break;
      case "turn":
        game.started = true;
        phase("play");
        $("turn").textContent = `Turn ${d.turn}${d.label ? `, ${d.label}` : ""}`;
        drawState(d.state, false);
        break;
      case "decide":
        if (game.you && d.actor === game.you.actor) {
          game.pending.set(d.decision, d);
          drawDecision();
        }
        break;
      case "decided":
        if (game.pending.delete(d.decision)) drawDecision();
        if (game.you && d.actor === game.you.actor) verdict(d);
        break;
      case "news":
        for (const l of d.lines || []) logLine("news", l);
        break;
      case "injected":
        logLine("injected", `The instructor made this happen: ${d.name || d.event}`);
        break;
      case "end":
        game.ended = true;
        game.stream.close();
        game.pending.clear();
        drawDecision();
        $("outcome").textContent = `The game is over: ${d.text || d.outcome}`;
        $("seat-wait").textContent = "The game is over.";
        $("live").textContent = "finished";
        $("live").classList.remove("on");
        phase("debrief");
        loadDebrief(game.id);
        break;
    }
  }

  // drawState shows the state of the talks; with a decision about a deal
  // pending (seat true), also what the seat asks and what no deal is worth
  // to it.
  function drawState(s, seat) {
    if (!s || s.tension === undefined) return;
    game.state = s;
    const rows = [["tension", s.tension], ["trust", s.trust]];
    if (seat && s.aspiration !== undefined) rows.push(["you ask", s.aspiration], ["no deal is worth", s.no_deal]);
    fill("state", rows.map(([label, v]) => el("div", { class: "meter", "data-name": label },
      el("span", { class: "meter-label" }, label),
      el("span", { class: "meter-track" }, el("span", { class: "meter-fill", style: `width:${Math.min(1, Math.max(0, v)) * 100}%` })),
      el("span", { class: "meter-num" }, Number(v).toFixed(2)))));
  }

  function verdict(d) {
    const v = $("verdict");
    v.hidden = false;
    v.classList.toggle("by-model", d.by === "model");
    let text;
    if (d.by === "model") text = `The model decided for you: ${d.text || d.choice}.`;
    else if (d.name && d.name !== game.you.name) text = `${d.name} decided for ${name(d.actor)}: ${d.text || d.choice}.`;
    else text = `You chose: ${d.text || d.choice}.`;
    v.replaceChildren(el("b", {}, text), d.by === "model" && d.why ? el("span", { class: "why" }, ` (${d.why})`) : "");
    logLine("decided" + (d.by === "model" ? " by-model" : ""), text);
  }

  // drawDecision shows the earliest decision this seat has yet to take.
  function drawDecision() {
    if (game.stopClock) game.stopClock();
    game.stopClock = null;
    const box = $("decision");
    box.dataset.decision = "";
    if (!game.pending.size) {
      box.hidden = true;
      if (game.state) drawState({ tension: game.state.tension, trust: game.state.trust }, false);
      for (const id of ["decision-title", "clock", "offer", "stakes", "choices"]) fill(id);
      return;
    }
    const d = game.pending.get(Math.min(...game.pending.keys()));
    box.hidden = false;
    box.dataset.decision = d.decision;
    box.dataset.kind = d.kind;
    $("decision-title").textContent = `Your move: ${d.title || d.kind}`;
    $("offer").textContent = d.offer ? `On the table: ${d.offer}` : "";
    if (d.state) drawState(d.state, ["respond", "propose", "mediate"].includes(d.kind));
    fill("stakes",
      (d.lines || []).map((l) => el("li", {}, l)),
      (d.recent || []).length ? el("li", { class: "recent" }, "since your last move: ", el("ul", {}, d.recent.map((l) => el("li", {}, l)))) : "");
    const answered = game.answered.has(d.decision);
    const buttons = (d.choices || []).map((c) => el("button", {
      type: "button", "data-choice": c.value, disabled: answered,
      onclick: () => answer(d, c),
    }, c.label || c.value));
    fill("choices", buttons);
    show("verdict", false);
    const clock = $("clock");
    game.stopClock = countdown(clock, d.deadline, () => {
      for (const b of buttons) b.disabled = true;
      if (!game.answered.has(d.decision)) clock.textContent = "Time is up: the model decides for you.";
    });
  }

  async function answer(d, c) {
    problem(null);
    game.answered.add(d.decision);
    for (const b of $("choices").querySelectorAll("button")) b.disabled = true;
    try {
      await api("POST", `/api/game/${game.id}/answer`, { decision: d.decision, choice: c.value });
      $("clock").textContent = `You chose: ${c.label || c.value}. Waiting for the table…`;
    } catch (err) {
      if (err.status !== 409) {
        game.answered.delete(d.decision);
        for (const b of $("choices").querySelectorAll("button")) b.disabled = false;
      }
      problem(err);
    }
  }

  async function loadDebrief(id) {
    try {
      const r = await api("GET", `/api/game/${id}/debrief`);
      const mine = game.you && (r.seats || []).find((s) => s.actor === game.you.actor);
      if (!mine) {
        $("debrief-text").textContent = "";
        return;
      }
      fill("debrief-chart",
        parley.payoff(mine),
        el("p", {}, `How the model's runs end with the model in the seats (your game: ${mine.as_played}):`),
        shareBars(mine.model, { mark: mine.as_played }));
      $("debrief-text").textContent = mine.text || "";
    } catch (err) {
      problem(err);
    }
  }

  // ---------------------------------------------------------------- start

  async function main() {
    phase("lobby");
    try {
      scenario = await api("GET", "/api/scenario");
    } catch (err) {
      problem(err);
      return;
    }
    for (const a of scenario.actors) actors[a.id] = a;
    const lobby = new Stream("lobby", ["game"], onLobby);
    parley.streams.lobby = lobby;
    if (scenario.game) {
      try {
        await loadGame(scenario.game);
      } catch (err) {
        problem(err);
      }
    }
    lobby.open();
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", main);
})();
