// panels.mjs: the live panels of the static book. Each <div class="itemsrel-live" data-state=…>
// written by itemsrel.live.live_panel becomes controls + figures; every change recomputes with
// itemsrel_live.mjs (float64, in the browser) and redraws the panel's figures as SVG with
// draw.mjs (no plotly, no WebGL: a redraw costs milliseconds, and a page never runs out of WebGL
// contexts however often the reader turns a knob).
//
// Redraws are latest-wins: an input asks for the next animation frame, and that frame recomputes
// once for the newest values (inputs that arrived meanwhile are merged) and replaces only the
// figures whose markup changed. The 3-D flow field keeps the camera the reader dragged it to.
//
// For the browser tests each panel root exposes `root.itemsrelLive` = {state, result, redraws,
// lastMs, feedbackMs, params()}, writes the numbers it shows into `.il-numbers` (plain text) and
// dispatches `itemsrel-feedback` (numbers + 2-D drawn) then `itemsrel-redrawn` (all drawn); each
// figure slot keeps the markup it shows in `slot.ilMarkup`.

import * as L from "./itemsrel_live.mjs";
import * as D from "./draw.mjs";
import * as F from "./figures.mjs";

const { heatmap, lossBars, trainingCurve, flowScene, paint, sceneSlot } = F;

const PENALTY_LABEL = { none: "none", l1: "L1 (mean |W|)", l2: "L2 (mean W²)", rate: "rate (mean y²)", level: "level (mean (y − ½)²)" };

const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
};
const pat = F.pat;
const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const fmtE = (v) => (Number.isFinite(v) ? v.toExponential(2) : String(v));
const letters = "abcdefghijklmnopqrstuvwxyz";
/** Fixed-point starts of the training panels: the Python explorer's (n_grid=3, n_random=16). */
const LIVE_STARTS = { nGrid: 3, nRandom: 16 };
// slider positions (index sliders over these values; the chapter's own value is added if missing)
const LR_VALUES = [0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2];
const STEP_VALUES = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000];
const STRENGTH_VALUES = [1e-4, 2e-4, 5e-4, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];
const withValue = (values, v) => (values.includes(v) ? values : [...values, v].sort((a, b) => a - b));

function control(root, label, input, help) {
  const id = `${root.id}-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")}`;
  input.id = id;
  const wrap = el("div", { class: "il-control" }, el("label", { for: id, text: label }), input);
  if (help) wrap.append(help);
  return wrap;
}

function select(options, value, labels = {}) {
  const s = el("select");
  for (const o of options) s.append(el("option", { value: o, text: labels[o] ?? o }));
  s.value = value;
  return s;
}

function slider(min, max, step, value) {
  return el("input", { type: "range", min, max, step, value });
}

// ---- pattern toggles (the training set) ----------------------------------------------------
function patternPicker(N, X, onChange) {
  const chosen = new Set(X.map(pat));
  const box = el("div", { class: "il-patterns", role: "group", "aria-label": "training set" });
  for (const p of L.allPatterns(N)) {
    const b = el("button", { type: "button", class: "il-pattern", "data-pattern": pat(p), title: `item ${pat(p)}: click to add or remove` });
    for (const bit of p) b.append(el("span", { class: bit ? "il-bit il-on" : "il-bit", text: String(bit) }));
    const sync = () => { b.classList.toggle("il-chosen", chosen.has(pat(p))); b.setAttribute("aria-pressed", chosen.has(pat(p))); };
    sync();
    b.addEventListener("click", () => {
      const key = pat(p);
      if (chosen.has(key)) { if (chosen.size === 1) return; chosen.delete(key); } else chosen.add(key);
      sync();
      onChange();
    });
    box.append(b);
  }
  return { box, items: () => L.allPatterns(N).filter((p) => chosen.has(pat(p))) };
}

function fixedPointLines(fp) {
  if (fp.continuum) {
    const c = fp.continuum;
    const ev = c.otherEigenvalues.map(([r, i]) => (Math.abs(i) > 1e-12 ? `${fmt(r)}${i >= 0 ? "+" : "−"}${fmt(Math.abs(i))}i` : fmt(r))).join(", ");
    return [`fixed points: a ${c.dimension}-dimensional subspace (${c.attracting ? "attracting" : "not attracting"}; other eigenvalues ${ev || "none"})`];
  }
  return fp.points.map((p) => `fixed point (${p.x.map((v) => fmt(v)).join(", ")}): ${p.stability}${p.onContinuum ? " (on a segment of fixed points)" : ""} (|λ| = ${p.eigenvalues.map((e) => fmt(Math.hypot(...e))).join(", ")})`);
}

// ---- panel kinds ---------------------------------------------------------------------------
function figureSlots(root, names) {
  const grid = el("div", { class: "il-figures" });
  const slots = {};
  for (const n of names) { slots[n] = el("div", { class: `il-fig il-fig-${n}` }); grid.append(slots[n]); }
  root.append(grid);
  return slots;
}

/**
 * Latest-wins redraws of one panel. An input marks the panel dirty and asks for an animation
 * frame; in that frame `compute(source)` recomputes once, for the newest values (inputs that
 * arrived since are merged), writes the numbers and returns {now: [redraws], later: [redraws]}
 * (the 2-D figures; the 3-D scene), which all run in the same frame: SVG markup costs a few
 * milliseconds, so the browser paints the result in the frame after the input. Events:
 * `itemsrel-feedback` once numbers and 2-D figures are drawn, `itemsrel-redrawn` once everything
 * is (detail: {source, ms since the input}).
 */
function scheduler(root, api, compute) {
  let latest = null, pending = null;
  const emit = (name, source, t0) => root.dispatchEvent(new CustomEvent(name, { detail: { source, ms: performance.now() - t0 } }));
  function run() {
    const { source, t0 } = latest;
    latest = null;
    const { now, later } = compute(source);
    for (const f of now) if (f) f();
    api.feedbackMs = performance.now() - t0;
    emit("itemsrel-feedback", source, t0);
    for (const f of later) if (f) f();
    api.redraws += 1;
    api.lastMs = performance.now() - t0;
    root.dataset.redraws = String(api.redraws);
    emit("itemsrel-redrawn", source, t0);
  }
  return (source) => {
    latest = { source, t0: latest ? latest.t0 : performance.now() };
    if (!pending) {
      pending = new Promise((res) => requestAnimationFrame(() => {
        pending = null;
        try { run(); } finally { res(); }
      }));
    }
    return pending;
  };
}

function mountTrain(root, st) {
  const N = st.X[0].length;
  const ctl = el("div", { class: "il-controls" });
  const picker = patternPicker(N, st.X, () => schedule("training set"));
  const act = select(L.ACTIVATIONS, st.activation);
  const init = select(L.INITS, st.init, { uniform: "uniform U(0,1)", normal: "normal N(0,σ)" });
  const seed = el("input", { type: "number", min: 0, max: 9999, step: 1, value: st.seed });
  const sigmaValues = withValue([0.01, 0.05, 0.1, 0.2, 0.5, 1], st.sigma);
  const sigma = select(sigmaValues.map(String), String(st.sigma));
  const opt = select(L.OPTIMIZERS, st.optimizer, { sgd: "SGD", adam: "Adam" });
  const lrValues = withValue(LR_VALUES, st.lr), stepValues = withValue(STEP_VALUES, st.steps);
  const lamValues = withValue(STRENGTH_VALUES, st.strength);
  const lr = slider(0, lrValues.length - 1, 1, lrValues.indexOf(st.lr));
  const lrOut = el("output");
  const steps = slider(0, stepValues.length - 1, 1, stepValues.indexOf(st.steps));
  const stepsOut = el("output");
  const pen = select(["none", ...L.PENALTIES], st.penalty, PENALTY_LABEL);
  const lam = slider(0, lamValues.length - 1, 1, lamValues.indexOf(st.strength));
  const lamOut = el("output");
  ctl.append(
    el("div", { class: "il-control il-wide" }, el("span", { class: "il-label", text: "training set (click a pattern to add or remove it)" }), picker.box),
    control(root, "activation φ", act), control(root, "initialisation", init), control(root, "seed", seed), control(root, "σ of N(0,σ)", sigma),
    control(root, "optimiser", opt), control(root, "learning rate", lr, lrOut), control(root, "max steps (stops once converged)", steps, stepsOut),
    control(root, "penalty", pen), control(root, "strength λ", lam, lamOut),
  );
  root.append(ctl);
  const note = el("p", { class: "il-note" });
  const slots = figureSlots(root, ["W", "losses", "curve", "text", "flow"]);
  const numbers = el("pre", { class: "il-numbers" });
  slots.text.append(note, numbers); // beside the training curve
  const drawFlow = sceneSlot(slots.flow);

  const params = () => {
    const X = picker.items();
    const lrV = lrValues[Number(lr.value)];
    const stepsV = stepValues[Number(steps.value)];
    const lamV = lamValues[Number(lam.value)];
    const seedV = Math.max(0, Math.floor(Number(seed.value) || 0));
    // the chapter's numpy draw when the initialisation is the chapter's; else the JS generator
    const sigmaV = Number(sigma.value);
    const same = init.value === st.init && seedV === st.seed && sigmaV === st.sigma && N === st.W0.length;
    const W0 = same ? st.W0 : L.initialWeights(init.value, N, seedV, sigmaV);
    return { X, activation: act.value, init: init.value, seed: seedV, sigma: sigmaV, W0, w0Source: same ? "numpy (the chapter's draw)" : "mulberry32 (this page's generator)",
      optimizer: opt.value, lr: lrV, steps: stepsV, penalty: pen.value === "none" ? null : pen.value, strength: lamV, stopWhenConverged: true };
  };
  const api = { state: st, redraws: 0, lastMs: NaN, feedbackMs: NaN, params, result: null };
  root.itemsrelLive = api;

  function compute() {
    const p = params();
    lrOut.textContent = String(p.lr);
    stepsOut.textContent = String(p.steps);
    lamOut.textContent = String(p.strength);
    lam.disabled = p.penalty === null;
    const random = p.init === "uniform" || p.init === "normal";
    seed.disabled = !random;
    sigma.disabled = p.init !== "normal";
    const res = L.train(p);
    let fp = null, losses = null;
    if (!res.diverged) {
      losses = L.patternLosses(res.W, p.activation);
      // fewer starts than the chapters' default, as the Python explorer (network_view) uses
      fp = N === 3 ? L.fixedPoints(res.W, p.activation, { starts: L.defaultStarts(res.W, p.activation, LIVE_STARTS) }) : null;
    }
    api.result = { ...res, patternLosses: losses, fixed: fp, params: p };
    note.textContent = res.diverged
      ? `Training diverged with learning rate ${p.lr}: choose a smaller one.`
      : `${random ? `Initial weights: ${p.w0Source}, seed ${p.seed}${p.init === "normal" ? `, σ = ${p.sigma}` : ""}. ` : ""}Recomputed in this browser (float64 JavaScript, no kernel).`;
    note.classList.toggle("il-warn", res.diverged);
    const lines = [];
    if (res.diverged) lines.push("diverged: no weights to show");
    else {
      lines.push(`trained ${res.stepsRun} steps; training loss ${fmtE(res.finalLoss)}; ${res.converged ? "converged" : "not converged"} (max |gradient| ${res.gradMax.toExponential(1)})`);
      lines.push("W = " + res.W.map((r) => "[" + r.map((v) => fmt(v)).join(", ") + "]").join(" "));
      if (fp) lines.push(...fixedPointLines(fp));
    }
    numbers.textContent = lines.join("\n");
    if (res.diverged) return { now: [], later: [] }; // the figures keep the last trained network
    return {
      now: [
        paint(slots.W, heatmap(res.W, "weights W")),
        paint(slots.losses, lossBars(N, losses, p.X)),
        paint(slots.curve, trainingCurve(res)),
      ],
      later: N === 3 ? [drawFlow(flowScene(res.W, p.activation, p.X, fp, `flow field x ← φ(Wx), φ = ${p.activation}`))] : [],
    };
  }
  const schedule = scheduler(root, api, compute);
  for (const [input, ev] of [[act, "change"], [init, "change"], [seed, "change"], [sigma, "change"], [opt, "change"], [pen, "change"], [lr, "input"], [steps, "input"], [lam, "input"]]) {
    input.addEventListener(ev, () => schedule(input.id));
  }
  return schedule("initial");
}

function mountFamily(root, st) {
  const F = st.family;
  const ctl = el("div", { class: "il-controls" });
  const a = slider(-2, 2, 0.01, st.a), b = slider(-2, 2, 0.01, st.b);
  const aOut = el("output"), bOut = el("output");
  ctl.append(control(root, `parameter ${F.names[0]}`, a, aOut), control(root, `parameter ${F.names[1]}`, b, bOut));
  root.append(ctl);
  const slots = figureSlots(root, ["W", "losses", "flow"]);
  const numbers = el("pre", { class: "il-numbers" });
  root.append(numbers);
  const drawFlow = sceneSlot(slots.flow);
  const N = st.X[0].length;
  const params = () => ({ a: Number(a.value), b: Number(b.value) });
  const api = { state: st, redraws: 0, lastMs: NaN, feedbackMs: NaN, params, result: null };
  root.itemsrelLive = api;
  function compute() {
    const { a: av, b: bv } = params();
    aOut.textContent = av.toFixed(2);
    bOut.textContent = bv.toFixed(2);
    const W = F.W0.map((r, i) => r.map((w, j) => w + av * F.A[i][j] + bv * F.B[i][j]));
    const losses = L.patternLosses(W, "linear");
    const fp = L.fixedPoints(W, "linear");
    const eig = L.sortedEig(L.eigvals(W));
    api.result = { W, patternLosses: losses, fixed: fp, eigenvalues: eig };
    numbers.textContent = [
      `${F.names[0]} = ${av.toFixed(2)}, ${F.names[1]} = ${bv.toFixed(2)}`,
      "W = " + W.map((r) => "[" + r.map((v) => fmt(v)).join(", ") + "]").join(" "),
      "eigenvalues of W: " + eig.map(([r, i]) => (Math.abs(i) > 1e-12 ? `${fmt(r)}${i >= 0 ? "+" : "−"}${fmt(Math.abs(i))}i` : fmt(r))).join(", "),
      ...fixedPointLines(fp),
    ].join("\n");
    return {
      now: [paint(slots.W, heatmap(W, `W(${F.names[0]}, ${F.names[1]})`)), paint(slots.losses, lossBars(N, losses, st.X))],
      later: [drawFlow(flowScene(W, "linear", st.X, fp, "flow field x ← W x"))],
    };
  }
  const schedule = scheduler(root, api, compute);
  a.addEventListener("input", () => schedule(a.id));
  b.addEventListener("input", () => schedule(b.id));
  return schedule("initial");
}

function mountSymmetry(root, st) {
  const N = st.X[0].length;
  const ctl = el("div", { class: "il-controls" });
  const picker = patternPicker(N, st.X, () => schedule("training set"));
  ctl.append(el("div", { class: "il-control il-wide" }, el("span", { class: "il-label", text: "training set (click a pattern to add or remove it)" }), picker.box));
  root.append(ctl);
  const slots = figureSlots(root, ["W"]);
  const numbers = el("pre", { class: "il-numbers" });
  root.append(numbers);
  const api = { state: st, redraws: 0, lastMs: NaN, feedbackMs: NaN, params: () => ({ X: picker.items() }), result: null };
  root.itemsrelLive = api;
  const word = (P) => P.map(pat).join(", ") || "none";
  function compute() {
    const X = picker.items();
    const G = L.sigmaX(X);
    const orb = L.itemOrbits(X, G), idx = L.indexOrbits(X, G), wo = L.weightOrbits(X, G);
    const span = L.spanPatterns(X), cons = L.symmetryConsistentPatterns(X);
    const names = G.map(L.cycleNotation);
    api.result = { group: names, orbits: orb, indexOrbits: idx, weightOrbits: wo, span, consistent: cons };
    const nfree = new Set(wo.flat()).size;
    numbers.textContent = [
      `X = {${word(X)}}`,
      `Σ_X = {${names.join(", ")}} (order ${G.length})`,
      `orbits of items: ${orb.map((o) => "{" + word(o) + "}").join(" ")}`,
      `orbits of units: ${idx.map((o) => "{" + o.map((i) => i + 1).join(", ") + "}").join(" ")}`,
      `free parameters of a Σ_X-invariant W: ${nfree}`,
      `symmetry-consistent unseen patterns: ${word(cons)}`,
      `unseen patterns in span(X): ${word(span)}`,
    ].join("\n");
    const name = (k) => letters[k] ?? String(k);
    const fig = D.heatmap(wo, {
      title: "Σ_X-invariant W: equal letters = equal weights", text: wo.map((r) => r.map(name)),
      scale: "viridis", zmin: 0, zmax: Math.max(1, N * N - 1), hover: (i, j) => `W[${i + 1},${j + 1}] = ${name(wo[i][j])}`,
    });
    return { now: [paint(slots.W, fig)], later: [] };
  }
  const schedule = scheduler(root, api, compute);
  return schedule("initial");
}

const KINDS = { train: mountTrain, family: mountFamily, symmetry: mountSymmetry };

/** Turn one placeholder into a live panel (idempotent). */
export function mount(root) {
  if (root.itemsrelLive) return Promise.resolve();
  const st = JSON.parse(root.dataset.state);
  root.textContent = "";
  root.classList.add("il-mounted");
  if (st.title) root.append(el("p", { class: "il-title", text: st.title }));
  return KINDS[st.kind](root, st);
}

export async function mountAll() {
  for (const root of document.querySelectorAll("div.itemsrel-live")) {
    await mount(root);
    await new Promise((res) => setTimeout(res, 0)); // let the page breathe between panels
  }
}

export { L as live };

// mount after the page (and its static figures) has loaded, so the panels never delay it
const start = () => setTimeout(() => mountAll().then(() => { document.documentElement.dataset.itemsrelLive = "ready"; }), 0);
if (document.readyState === "complete") start();
else window.addEventListener("load", start);
