// figures.mjs: what the live panels draw, composed from the drawing primitives of draw.mjs.
//
// Shared by the static book's panels (panels.mjs: the numbers computed in the browser by
// itemsrel_live.mjs) and the JupyterLab explorer (widget.mjs: the numbers sent by the Python
// kernel), so that a figure looks the same in both. Every function returns SVG markup or the
// spec of a scene; `paint` and `sceneSlot` put them into a page.

import * as L from "./itemsrel_live.mjs";
import * as D from "./draw.mjs";

export const C = D.COLORS;
export const BLUES = ["#08306b", "#08519c", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef"];
/** Marker of each fixed-point stability class: [symbol, colour]. */
export const STAB = {
  attracting: ["circle", C.vermillion], saddle: ["diamond-open", C.orange],
  repelling: ["x", C.purple], marginal: ["square-open", C.grey],
};
export const pat = (p) => p.join("");
const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

export function heatmap(W, title, text = null) {
  return D.heatmap(W, { title, text: text ?? undefined });
}

export function lossBars(N, losses, X) {
  const train = new Set(X.map(pat));
  const P = L.allPatterns(N);
  return D.bars(P.map(pat), losses, P.map((p) => (train.has(pat(p)) ? C.green : C.blue)), {
    title: "loss per pattern", yTitle: "loss (eq. 7)", legend: [[C.green, "training item"], [C.blue, "other"]],
    hover: (k) => `${pat(P[k])}: loss ${fmt(losses[k], 4)}${train.has(pat(P[k])) ? " (training item)" : ""}`,
  });
}

export function trainingCurve(res) {
  return D.lineChart(res.historySteps, res.lossHistory, {
    title: "training loss (eq. 7)", xTitle: "step", yTitle: "loss", name: "training loss",
  });
}

/** The plane span(basis) ∩ [−0.1, 1.1]³ (the drawn cube) as a convex polygon, vertices in order. */
export function planePolygon(basis) {
  const u = basis.map((r) => r[0]), v = basis.map((r) => r[1]);
  const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const lo = -0.1, hi = 1.1, corner = (c) => [c & 1 ? hi : lo, c & 2 ? hi : lo, c & 4 ? hi : lo];
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
  return pts;
}

/** The flow field x ← φ(Wx) as data for {@link flowSceneOf}: 18 of the trajectories from the
 *  5×5×5 grid of starts on [0, 1]³ (steps 0–6) and where all 125 starts are after 25 steps (one
 *  entry per distinct point to 1e-3, with its count). Computed here for the static book; the
 *  JupyterLab explorer sends the same from Python. */
export function flowData(W, activation) {
  const starts = L.mesh(5, 0, 1, 3);
  const traj = L.iterate(W, starts, activation, 25);
  const shownSteps = 6, shown = 18;
  const idx = [...new Set(Array.from({ length: shown }, (_, k) => Math.round((k * (starts.length - 1)) / (shown - 1))))];
  const paths = idx.map((p) => Array.from({ length: shownSteps + 1 }, (_, n) => traj[n][p]));
  const endAt = new Map();
  for (const q of traj[25]) {
    if (!q.every(Number.isFinite)) continue;
    const key = q.map((c) => c.toFixed(3)).join(",");
    const e = endAt.get(key);
    if (e) e.n += 1; else endAt.set(key, { q, n: 1 });
  }
  return { paths, ends: [...endAt.values()], nStarts: starts.length, endStep: 25 };
}

/** The flow field as a scene for D.scene3d: trajectories (dark → light by step), where the starts
 *  end up, the training items, the fixed points by stability and the plane (or line) of fixed
 *  points when there is one. `flow`: {paths, ends, nStarts, endStep} (see {@link flowData});
 *  `fp`: {points: [{x, stability, eigenvalues: [[re, im], …]}], continuum: null | {dimension, basis}}. */
export function flowSceneOf(flow, X, fp, title) {
  const inView = (q) => q.every((c) => Number.isFinite(c)); // (scene3d clips to the box)
  const segments = [];
  for (const path of flow.paths) {
    for (let n = 0; n + 1 < path.length; n++) {
      const a = path[n], b = path[n + 1];
      if (inView(a) && inView(b)) segments.push({ a, b, color: BLUES[Math.min(BLUES.length - 1, n)], width: 2.5 });
    }
  }
  const xyz = (q) => `(${q.map((v) => fmt(v)).join(", ")})`;
  const markers = flow.ends.filter((e) => inView(e.q)).map((e) => ({ p: e.q, symbol: "circle", color: C.black, size: 4, tip: `${xyz(e.q)}: ${e.n} of ${flow.nStarts} starts at n = ${flow.endStep}` }));
  for (const x of X) markers.push({ p: x, symbol: "diamond", color: C.green, size: 12, tip: `training item ${pat(x)}` });
  const steps = Math.max(0, ...flow.paths.map((p) => p.length - 1));
  const legend = [
    { name: `trajectories (n = 0…${steps}, dark → light)`, color: BLUES[2], line: true },
    { name: `where the ${flow.nStarts} starts are at n = ${flow.endStep}`, color: C.black, symbol: "circle" },
    { name: "training items", color: C.green, symbol: "diamond" },
  ];
  const polygons = [];
  const c = fp.continuum;
  if (c && c.dimension === 2) {
    polygons.push({ pts: planePolygon(c.basis), fill: C.sky, opacity: 0.25 });
    legend.push({ name: "plane of fixed points", color: C.sky, symbol: "square" });
  } else if (c && c.dimension === 1) {
    const u = c.basis.map((r) => r[0]), t = 2;
    segments.push({ a: u.map((v) => -t * v), b: u.map((v) => t * v), color: C.sky, width: 4 });
    legend.push({ name: "line of fixed points", color: C.sky, line: true });
  }
  for (const [kind, [symbol, color]] of Object.entries(STAB)) {
    const pts = (fp.points || []).filter((p) => p.stability === kind);
    for (const p of pts) markers.push({ p: p.x, symbol, color, size: 10, tip: `${kind} fixed point ${xyz(p.x)}, |λ| = ${p.eigenvalues.map((e) => fmt(Math.hypot(...e))).join(", ")}` });
    if (pts.length) legend.push({ name: `${kind} fixed point`, color, symbol });
  }
  return { title, range: [-0.1, 1.1], ticks: [0, 0.5, 1], axisTitles: ["x₁", "x₂", "x₃"], segments, markers, polygons, legend };
}

/** {@link flowSceneOf} of the flow computed in the browser. */
export function flowScene(W, activation, X, fp, title) {
  return flowSceneOf(flowData(W, activation), X, fp, title);
}

/** A redraw of `slot` to the SVG `markup` as a function, or null when the slot shows exactly that
 *  already (an unchanged figure is not touched). */
export function paint(slot, markup) {
  if (slot.ilMarkup === markup) return null;
  return () => {
    slot.innerHTML = markup;
    slot.ilMarkup = markup;
    slot.ilRevision = (slot.ilRevision || 0) + 1;
  };
}

/** A 3-D slot: draws `scene` with the camera the reader turned it to (drag to turn, double click
 *  to go back); the camera survives redraws. */
export function sceneSlot(slot) {
  slot.ilCamera = { ...D.CAMERA };
  slot.classList.add("il-rotatable");
  slot.title = "drag to turn the view; double click to reset it";
  D.attachRotation(slot, () => slot.ilCamera, (c) => { slot.ilCamera = c; },
    () => { if (slot.ilScene) { slot.innerHTML = D.scene3d(slot.ilScene, slot.ilCamera); slot.ilMarkup = slot.innerHTML; } });
  return (scene) => {
    slot.ilScene = scene;
    return paint(slot, D.scene3d(scene, slot.ilCamera));
  };
}

