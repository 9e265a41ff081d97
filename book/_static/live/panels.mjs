// panels.mjs: the live panels of the static book. Each <div class="itemsrel-live" data-state=…>
// written by itemsrel.live.live_panel becomes controls + figures; every change recomputes with
// itemsrel_live.mjs (float64, in the browser) and redraws persistent plotly divs with
// Plotly.react (one WebGL context per 3-D figure for the life of the page).
//
// Redraws are cheap by construction (profiled in headless Chromium, software WebGL): a change is
// handled at once, latest-wins (inputs that arrive while a redraw runs are merged into one); the
// numbers and the 2-D figures are drawn first ("feedback"), the 3-D scene after the frame that
// shows them, and only if its data changed; a figure whose data and layout are unchanged is not
// redrawn; the 3-D scene renders at the screen's pixel ratio (plotly's default is 2, four times
// the pixels on an ordinary screen) and never has its camera touched (uirevision).
//
// For the browser tests each panel root exposes `root.itemsrelLive` = {state, result, redraws,
// lastMs, feedbackMs, params()}, writes the numbers it shows into `.il-numbers` (plain text) and
// dispatches `itemsrel-feedback` (numbers + 2-D drawn) then `itemsrel-redrawn` (all drawn).

import * as L from "./itemsrel_live.mjs";

const C = {
  black: "#000000", orange: "#E69F00", sky: "#56B4E9", green: "#009E73", blue: "#0072B2",
  vermillion: "#D55E00", purple: "#CC79A7", grey: "#999999",
};
const BLUES = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef"];
const STAB = {
  attracting: ["circle", C.vermillion], saddle: ["diamond-open", C.orange],
  repelling: ["x", C.purple], marginal: ["square-open", C.grey],
};
const FONT = { family: "Inter, Helvetica, Arial, sans-serif", size: 12, color: "#222" };
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud", "toImage"] };
/** 3-D figures: WebGL at the screen's pixel ratio (1 or 2), not plotly's fixed default of 2. */
const CONFIG3D = { ...CONFIG, plotGlPixelRatio: Math.min(2, Math.max(1, Math.round(globalThis.devicePixelRatio || 1))) };

/** True when WebGL runs in software (no GPU: SwiftShader, llvmpipe, …), asked once per page. */
let softwareGL = null;
function isSoftwareGL() {
  if (softwareGL !== null) return softwareGL;
  softwareGL = false;
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    if (gl) {
      let name = String(gl.getParameter(gl.RENDERER));
      if (/webkit/i.test(name)) { // Chromium masks the renderer unless asked through the extension
        const info = gl.getExtension("WEBGL_debug_renderer_info");
        if (info) name = String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
      }
      softwareGL = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(name);
      const lose = gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext(); // give the context back (browsers keep ~16 at most)
    }
  } catch (e) {
    softwareGL = false;
  }
  return softwareGL;
}

/** Plotly.react of a 3-D figure. Its first call creates the scene's WebGL context: in software
 *  WebGL that context is made without multisample antialiasing, which there costs about a third of
 *  every 3-D frame (with a GPU it is nearly free and stays on). */
function react3d(slot, data, layout, config) {
  if (slot._fullLayout || !isSoftwareGL()) return window.Plotly.react(slot, data, layout, config);
  const proto = HTMLCanvasElement.prototype, getContext = proto.getContext;
  proto.getContext = function (type, attrs) {
    return getContext.call(this, type, /webgl/.test(type) ? { ...(attrs || {}), antialias: false } : attrs);
  };
  try {
    return window.Plotly.react(slot, data, layout, config);
  } finally {
    proto.getContext = getContext;
  }
}
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
const pat = (p) => p.join("");
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

// ---- figures -----------------------------------------------------------------------------
function heatmap(W, title, text = null) {
  const N = W.length, names = Array.from({ length: N }, (_, k) => String(k + 1));
  const zmax = Math.max(1e-9, ...W.flat().map(Math.abs));
  return {
    data: [{
      type: "heatmap", z: W, x: names, y: names, zmin: -zmax, zmax, colorscale: "RdBu", reversescale: true,
      showscale: false, text: text ?? W.map((r) => r.map((v) => fmt(v, 2))), texttemplate: "%{text}",
      hovertemplate: "W[%{y},%{x}] = %{z:.4f}<extra></extra>",
    }],
    layout: {
      title: { text: title, x: 0, font: { size: 13 } }, font: FONT, height: 280, margin: { l: 50, r: 10, t: 36, b: 44 },
      xaxis: { type: "category", title: { text: "from unit j" } },
      yaxis: { type: "category", title: { text: "to unit i" }, autorange: "reversed" },
    },
  };
}

function lossBars(N, losses, X) {
  const train = new Set(X.map(pat));
  const P = L.allPatterns(N);
  return {
    data: [{
      type: "bar", x: P.map((p) => p.join("/")), y: losses, name: "loss",
      marker: { color: P.map((p) => (train.has(pat(p)) ? C.green : C.blue)) },
      hovertemplate: "%{x}: loss %{y:.4f}<extra></extra>",
    }],
    layout: {
      title: { text: "loss per pattern (green: training item)", x: 0, font: { size: 13 } }, font: FONT, height: 280,
      margin: { l: 56, r: 10, t: 36, b: 52 }, xaxis: { type: "category", tickangle: -45, tickfont: { size: 11 } },
      yaxis: { title: { text: "loss (eq. 7)" }, rangemode: "tozero" },
    },
  };
}

function trainingCurve(res) {
  const ys = res.lossHistory.filter((v) => v > 0 && Number.isFinite(v));
  const decades = ys.length ? Math.log10(Math.max(...ys)) - Math.log10(Math.min(...ys)) : 0;
  // log axis with a label every decade (every few decades when it spans many: at most ~7 labels,
  // so they never overlap); else a linear axis
  const yaxis = decades >= 1.5
    ? { title: { text: "loss (log scale)" }, type: "log", dtick: Math.max(1, Math.ceil(decades / 6)), exponentformat: "power" }
    : { title: { text: "loss" }, type: "linear", tickformat: ".2e", nticks: 5 };
  return {
    data: [{ type: "scatter", mode: "lines", x: res.historySteps, y: res.lossHistory.map((v) => Math.max(v, 1e-300)), line: { color: C.blue }, name: "training loss", hovertemplate: "step %{x}: %{y:.3e}<extra></extra>" }],
    layout: {
      title: { text: "training loss (eq. 7)", x: 0, font: { size: 13 } }, font: FONT, height: 280,
      margin: { l: 60, r: 10, t: 36, b: 44 }, xaxis: { title: { text: "step" } },
      yaxis,
    },
  };
}

/** The plane span(basis) ∩ [−0.25, 1.25]³ as a convex polygon: a mesh of a few triangles. */
function planeTrace(basis) {
  const u = basis.map((r) => r[0]), v = basis.map((r) => r[1]);
  const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const lo = -0.25, hi = 1.25, corner = (c) => [c & 1 ? hi : lo, c & 2 ? hi : lo, c & 4 ? hi : lo];
  const pts = [];
  const add = (p) => { if (pts.every((q) => Math.abs(q[0] - p[0]) + Math.abs(q[1] - p[1]) + Math.abs(q[2] - p[2]) > 1e-9)) pts.push(p); };
  for (let c = 0; c < 8; c++) {
    for (const bit of [1, 2, 4]) { // the 12 edges of the box: (c, c | bit) with bit not in c
      if (c & bit) continue;
      const P = corner(c), Q = corner(c | bit), fp = dot(n, P), fq = dot(n, Q);
      if (fp === 0) add(P);
      if (fq === 0) add(Q);
      if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) { const t = fp / (fp - fq); add(P.map((x, k) => x + t * (Q[k] - x))); }
    }
  }
  const cs = pts.reduce((a, p) => a + dot(p, u), 0) / (pts.length || 1), ct = pts.reduce((a, p) => a + dot(p, v), 0) / (pts.length || 1);
  pts.sort((p, q) => Math.atan2(dot(p, v) - ct, dot(p, u) - cs) - Math.atan2(dot(q, v) - ct, dot(q, u) - cs));
  const tri = Array.from({ length: Math.max(0, pts.length - 2) }, (_, k) => k + 1); // a fan from vertex 0
  return { type: "mesh3d", x: pts.map((p) => p[0]), y: pts.map((p) => p[1]), z: pts.map((p) => p[2]), i: tri.map(() => 0), j: tri, k: tri.map((k) => k + 1),
    opacity: 0.25, color: C.sky, name: "plane of fixed points", showlegend: true, hoverinfo: "skip" };
}

function flowFigure(W, activation, X, fp, title) {
  const starts = L.mesh(5, 0, 1, 3);
  const traj = L.iterate(W, starts, activation, 25);
  const shownSteps = 6, shown = 18;
  const idx = [...new Set(Array.from({ length: shown }, (_, k) => Math.round((k * (starts.length - 1)) / (shown - 1))))];
  const xs = [], ys = [], zs = [], cs = [];
  for (const p of idx) {
    for (let n = 0; n <= shownSteps; n++) { const q = traj[n][p]; xs.push(q[0]); ys.push(q[1]); zs.push(q[2]); cs.push(n); }
    xs.push(null); ys.push(null); zs.push(null); cs.push(shownSteps);
  }
  // where the starts are after 25 steps: one marker per distinct point (1e-3), with its count
  const endAt = new Map();
  for (const q of traj[25]) {
    if (!q.every(Number.isFinite)) continue;
    const key = q.map((c) => c.toFixed(3)).join(",");
    const e = endAt.get(key);
    if (e) e.n += 1; else endAt.set(key, { q, n: 1 });
  }
  const ends = [...endAt.values()];
  const data = [
    // coloured by step (dark → light); its legend entry is the proxy below (a colour array in a
    // legend entry makes plotly warn on every redraw)
    { type: "scatter3d", mode: "lines", x: xs, y: ys, z: zs, showlegend: false, legendgroup: "traj", hoverinfo: "skip",
      line: { color: cs, colorscale: BLUES.map((c, k) => [k / (BLUES.length - 1), c]), cmin: 0, cmax: shownSteps, width: 4 } },
    { type: "scatter3d", mode: "lines", x: [null], y: [null], z: [null], legendgroup: "traj", hoverinfo: "skip",
      name: `trajectories (n = 0…${shownSteps}, dark → light)`, line: { color: BLUES[2], width: 4 } },
    { type: "scatter3d", mode: "markers", x: ends.map((e) => e.q[0]), y: ends.map((e) => e.q[1]), z: ends.map((e) => e.q[2]),
      text: ends.map((e) => String(e.n)), name: `where the ${starts.length} starts are at n = 25`, marker: { size: 3, color: C.black },
      hovertemplate: `(%{x:.3f}, %{y:.3f}, %{z:.3f}): %{text} of ${starts.length} starts<extra>n = 25</extra>` },
  ];
  if (fp.continuum && fp.continuum.dimension === 2) data.push(planeTrace(fp.continuum.basis));
  data.push({ type: "scatter3d", mode: "markers", x: X.map((x) => x[0]), y: X.map((x) => x[1]), z: X.map((x) => x[2]), name: "training items",
    marker: { size: 8, symbol: "diamond", color: C.green, line: { width: 1, color: "black" } }, hovertemplate: "item (%{x:.0f}, %{y:.0f}, %{z:.0f})<extra></extra>" });
  for (const [kind, [symbol, color]] of Object.entries(STAB)) {
    const pts = fp.points.filter((p) => p.stability === kind);
    // a trace per class, always present (possibly empty): a fixed trace structure
    data.push({ type: "scatter3d", mode: "markers", name: `${kind} fixed point`, showlegend: pts.length > 0,
      x: pts.map((p) => p.x[0]), y: pts.map((p) => p.x[1]), z: pts.map((p) => p.x[2]),
      text: pts.map((p) => p.eigenvalues.map((e) => fmt(Math.hypot(...e))).join(", ")),
      marker: { size: 7, symbol, color }, hovertemplate: `(%{x:.3f}, %{y:.3f}, %{z:.3f})<br>|λ| = %{text}<extra>${kind}</extra>` });
  }
  const axis = { range: [-0.1, 1.1], tickvals: [0, 0.5, 1] };
  return {
    data,
    layout: {
      title: { text: title, x: 0, font: { size: 13 } }, font: FONT, height: 460, margin: { l: 0, r: 0, t: 36, b: 0 },
      uirevision: "keep-camera", legend: { x: 0, y: 1, font: { size: 11 }, bgcolor: "rgba(255,255,255,0.7)" },
      scene: { xaxis: { ...axis, title: { text: "x₁" } }, yaxis: { ...axis, title: { text: "x₂" } }, zaxis: { ...axis, title: { text: "x₃" } },
        aspectmode: "cube", camera: { eye: { x: 1.6, y: -1.5, z: 1.0 } } },
    },
  };
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

/** A redraw of `slot` to `fig` as a function, or null when the figure would not change (same data
 *  and layout as drawn last): unchanged figures are never handed to plotly. */
function redraw(slot, fig, config = CONFIG) {
  const sig = JSON.stringify([fig.data, fig.layout]);
  if (slot.ilSignature === sig) return null;
  return () => {
    slot.ilSignature = sig;
    slot.ilRevision = (slot.ilRevision || 0) + 1;
    const layout = { ...fig.layout, datarevision: slot.ilRevision };
    return config === CONFIG3D ? react3d(slot, fig.data, layout, config) : window.Plotly.react(slot, fig.data, layout, config);
  };
}

/** Resolves after the frame that shows the DOM as it is now: its animation frame, then the task
 *  after it (style, layout, paint and commit, WebGL read-back included, are done by then). */
const afterFrame = () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));

/**
 * Latest-wins redraws of one panel. `compute(source)` recomputes for the newest input, writes the
 * numbers and returns {now: [redraws], later: [redraws]}: `now` (the 2-D figures) run at once,
 * `later` (the 3-D scene) after the frame that shows them. Inputs arriving meanwhile are merged:
 * the loop then computes only the newest. Events: `itemsrel-feedback` once numbers and 2-D figures
 * are drawn, `itemsrel-redrawn` once everything is (detail: {source, ms since the input}).
 */
function scheduler(root, api, compute) {
  let latest = null, busy = false;
  const emit = (name, source, t0) => root.dispatchEvent(new CustomEvent(name, { detail: { source, ms: performance.now() - t0 } }));
  async function loop() {
    busy = true;
    try {
      while (latest !== null) {
        const { source, t0 } = latest;
        latest = null;
        const { now, later } = compute(source);
        await Promise.all(now.filter(Boolean).map((f) => f()));
        api.feedbackMs = performance.now() - t0;
        emit("itemsrel-feedback", source, t0);
        const rest = later.filter(Boolean);
        if (rest.length) {
          await afterFrame();
          await Promise.all(rest.map((f) => f()));
        }
        api.redraws += 1;
        api.lastMs = performance.now() - t0;
        root.dataset.redraws = String(api.redraws);
        emit("itemsrel-redrawn", source, t0);
      }
    } finally {
      busy = false;
    }
  }
  return (source) => {
    latest = { source, t0: latest ? latest.t0 : performance.now() };
    return busy ? Promise.resolve() : loop();
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
        redraw(slots.W, heatmap(res.W, "weights W")),
        redraw(slots.losses, lossBars(N, losses, p.X)),
        redraw(slots.curve, trainingCurve(res)),
      ],
      later: N === 3 ? [redraw(slots.flow, flowFigure(res.W, p.activation, p.X, fp, `flow field x ← φ(Wx), φ = ${p.activation}`), CONFIG3D)] : [],
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
      now: [redraw(slots.W, heatmap(W, `W(${F.names[0]}, ${F.names[1]})`)), redraw(slots.losses, lossBars(N, losses, st.X))],
      later: [redraw(slots.flow, flowFigure(W, "linear", st.X, fp, "flow field x ← W x"), CONFIG3D)],
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
    const fig = heatmap(wo, "Σ_X-invariant W: equal letters = equal weights", wo.map((r) => r.map((k) => letters[k] ?? String(k))));
    fig.data[0].colorscale = "Viridis";
    fig.data[0].reversescale = false;
    fig.data[0].zmin = 0;
    fig.data[0].zmax = Math.max(1, N * N - 1);
    fig.data[0].hovertemplate = "W[%{y},%{x}]: %{text}<extra></extra>";
    fig.data[0].textfont = { color: "white", size: 16 };
    return { now: [redraw(slots.W, fig)], later: [] };
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
  if (!window.Plotly) throw new Error("itemsrel live panels need the page's plotly.js (window.Plotly)");
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
