// draw.mjs: the live panels' figures as plain SVG (no WebGL, no plotly), in the book's style.
//
// A live panel redraws on every slider move; plotly needs 15–40 ms of JavaScript per figure and a
// software-WebGL frame for a 3-D scene, so four figures cost ~150 ms on a machine without a GPU.
// These functions return SVG markup (strings: pure, testable under Node) for the four kinds of
// figure a panel shows — an annotated heat map, a bar chart, a line chart (linear or log axis)
// and an orthographic 3-D scene with a camera the reader turns by dragging — so that a redraw
// costs a few milliseconds. Colours are the book's (Okabe–Ito palette, the heat maps' diverging
// scale of itemsrel.figures.matrices).
//
// Conventions: matrices row-major, row i = weights into unit i (1-based labels for readers);
// every figure is an <svg> with a viewBox, scaled to its slot's width by CSS; every mark has a
// <title> (its tooltip); `data-*` attributes carry what the browser tests compare.

export const FONT = "Inter, Helvetica, Arial, sans-serif";
export const COLORS = {
  black: "#000000", orange: "#E69F00", sky: "#56B4E9", green: "#009E73", yellow: "#F0E442",
  blue: "#0072B2", vermillion: "#D55E00", purple: "#CC79A7", grey: "#999999",
};
/** The heat maps' diverging scale (blue → white → red), as in itemsrel.figures.matrices. */
export const DIVERGING = [[0, [0x21, 0x66, 0xac]], [0.5, [0xf7, 0xf7, 0xf7]], [1, [0xb2, 0x18, 0x2b]]];
/** Viridis at five stops (for categorical heat maps: equal letters = equal colour). */
export const VIRIDIS = [[0, [0x44, 0x01, 0x54]], [0.25, [0x3b, 0x52, 0x8b]], [0.5, [0x21, 0x90, 0x8d]],
  [0.75, [0x5d, 0xc8, 0x63]], [1, [0xfd, 0xe7, 0x25]]];

const AXIS = "#444", GRID = "#e4e7eb", TEXT = "#222";

/** Text safe inside SVG/HTML markup. */
export function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const r1 = (v) => Math.round(v * 10) / 10; // coordinates to 0.1 px: short markup

/** The colour of t ∈ [0, 1] on a scale of [position, [r, g, b]] stops, as "rgb(…)". */
export function colorAt(scale, t) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  let k = 1;
  while (k < scale.length - 1 && scale[k][0] < x) k++;
  const [p0, c0] = scale[k - 1], [p1, c1] = scale[k];
  const f = p1 > p0 ? (x - p0) / (p1 - p0) : 0;
  const c = c0.map((v, i) => Math.round(v + f * (c1[i] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Relative luminance (0–1) of a colour written "rgb(r,g,b)", "#rrggbb" or "#rgb" (for white or
 *  dark text on a cell). */
export function luminance(color) {
  let c;
  if (color.startsWith("#")) {
    const h = color.length === 4 ? [...color.slice(1)].map((x) => x + x).join("") : color.slice(1, 7);
    c = [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
  } else c = (color.match(/\d+(\.\d+)?/g) || [0, 0, 0]).map(Number);
  return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255;
}

/** About n round tick values covering [lo, hi] (1, 2, 2.5 or 5 × 10^k steps). */
export function niceTicks(lo, hi, n = 5) {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, n), mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * 0.999) ?? 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A tick label: the fewest fixed decimals that write every tick of `ticks` exactly. */
export function tickLabel(v, ticks) {
  if (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-4)) return v.toExponential(1);
  let d = 0;
  while (d < 6 && ticks.some((t) => Math.abs(Number(t.toFixed(d)) - t) > 1e-9 * Math.max(1, Math.abs(t)))) d++;
  return v.toFixed(d);
}

const SUPER = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
/** "10⁻³" for k = −3. */
export const power10 = (k) => "10" + String(k).split("").map((c) => SUPER[c]).join("");

function text(x, y, s, { size = 11, anchor = "middle", weight = 400, fill = TEXT, rotate = 0, baseline = "middle", cls = "" } = {}) {
  const rot = rotate ? ` transform="rotate(${rotate} ${r1(x)} ${r1(y)})"` : "";
  const c = cls ? ` class="${cls}"` : "";
  return `<text x="${r1(x)}" y="${r1(y)}" font-size="${size}" text-anchor="${anchor}" dominant-baseline="${baseline}" font-weight="${weight}" fill="${fill}"${rot}${c}>${esc(s)}</text>`;
}

function svgOpen(width, height, kind, extra = "") {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="il-svg il-svg-${kind}" viewBox="0 0 ${width} ${height}" ` +
    `width="100%" font-family="${FONT}" role="img"${extra}>`;
}

function titleText(title, width) {
  return title ? text(4, 13, title, { size: 13, anchor: "start", weight: 600 }) : "";
}

/**
 * An annotated N×N heat map: `W` (rows = "to unit i", columns = "from unit j", 1-based labels,
 * row 1 on top). Options: `title`, `text` (N×N strings written in the cells; default W to 2
 * decimals), `scale` ("diverging": symmetric on [−zmax, zmax]; "viridis": on [zmin, zmax]) or
 * `fills` (N×N colours, e.g. one per orbit),
 * `zmin`, `zmax`, `hover` ((i, j) → tooltip), `width`, `height`. Returns SVG markup.
 */
export function heatmap(W, opts = {}) {
  const N = W.length, width = opts.width ?? 300, height = opts.height ?? 280;
  const flat = W.flat().filter(Number.isFinite);
  const diverging = (opts.scale ?? "diverging") === "diverging";
  const zmax = opts.zmax ?? Math.max(1e-9, ...flat.map(Math.abs));
  const zmin = opts.zmin ?? (diverging ? -zmax : Math.min(...flat));
  const scale = diverging ? DIVERGING : VIRIDIS;
  const left = 44, top = 26, bottom = 40, right = 8;
  const side = Math.min(width - left - right, height - top - bottom), cell = side / N;
  const x0 = left + (width - left - right - side) / 2, y0 = top;
  const two = (v) => { const s = v.toFixed(2); return s === "-0.00" ? "0.00" : s; }; // no "−0.00"
  const labels = opts.text ?? W.map((r) => r.map((v) => (Number.isFinite(v) ? two(v) : String(v))));
  const fontSize = Math.max(7, Math.min(12, cell * (N <= 4 ? 0.3 : 0.34)));
  const parts = [svgOpen(width, height, "heatmap", ` data-n="${N}"`), titleText(opts.title, width)];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const v = W[i][j], fill = opts.fills ? opts.fills[i][j] : colorAt(scale, (v - zmin) / (zmax - zmin || 1));
      const x = x0 + j * cell, y = y0 + i * cell;
      const tip = opts.hover ? opts.hover(i, j) : `W[${i + 1},${j + 1}] = ${Number.isFinite(v) ? v.toFixed(4) : v}`;
      parts.push(`<rect class="il-cell" x="${r1(x)}" y="${r1(y)}" width="${r1(cell + 0.5)}" height="${r1(cell + 0.5)}" fill="${fill}"><title>${esc(tip)}</title></rect>`);
      if (N <= 8) parts.push(text(x + cell / 2, y + cell / 2, labels[i][j], { size: fontSize, fill: luminance(fill) < 0.5 ? "#fff" : TEXT, cls: "il-cell-text" }));
    }
  }
  for (let k = 0; k < N; k++) {
    parts.push(text(x0 + (k + 0.5) * cell, y0 + side + 10, String(k + 1), { size: 10, fill: AXIS }));
    parts.push(text(x0 - 7, y0 + (k + 0.5) * cell, String(k + 1), { size: 10, anchor: "end", fill: AXIS }));
  }
  parts.push(text(x0 + side / 2, y0 + side + 28, opts.xTitle ?? "from unit j", { size: 11, fill: AXIS }));
  parts.push(text(14, y0 + side / 2, opts.yTitle ?? "to unit i", { size: 11, fill: AXIS, rotate: -90 }));
  parts.push("</svg>");
  return parts.join("");
}

/**
 * Binary patterns as rows of squares (1: blue with a white "1", 0: light grey), in `groups` (a
 * list of lists of patterns: a gap between groups, e.g. the orbits of a training set). Options:
 * `title`, `xTitle` (default "unit"), `yTitle`, `groupName` (k → tooltip prefix), `width`.
 * Returns SVG markup; its height follows the number of rows.
 */
export function patternRows(groups, opts = {}) {
  const N = Math.max(1, ...groups.flat().map((p) => p.length));
  const nRows = groups.reduce((a, g) => a + g.length, 0) + Math.max(0, groups.length - 1) * 0.5;
  const width = opts.width ?? 300, left = 30, top = opts.title ? 26 : 6, bottom = 34;
  const cell = Math.min(34, (width - left - 8) / N), side = cell * N;
  const height = Math.round(top + nRows * cell + bottom);
  const x0 = left + (width - left - 8 - side) / 2;
  const parts = [svgOpen(width, height, "rows", ` data-rows="${groups.flat().length}"`), titleText(opts.title, width)];
  let y = top;
  groups.forEach((g, k) => {
    if (k) y += cell * 0.5;
    for (const p of g) {
      p.forEach((bit, j) => {
        const fill = bit ? COLORS.blue : "#f2f2f2", x = x0 + j * cell;
        const tip = `${opts.groupName ? opts.groupName(k) + ": " : ""}${p.join("")}, unit ${j + 1} = ${bit}`;
        parts.push(`<rect class="il-cell" x="${r1(x + 1)}" y="${r1(y + 1)}" width="${r1(cell - 2)}" height="${r1(cell - 2)}" fill="${fill}"><title>${esc(tip)}</title></rect>`);
        parts.push(text(x + cell / 2, y + cell / 2, String(bit), { size: Math.min(12, cell * 0.4), fill: bit ? "#fff" : "#666", cls: "il-cell-text" }));
      });
      y += cell;
    }
  });
  for (let j = 0; j < N; j++) parts.push(text(x0 + (j + 0.5) * cell, y + 10, String(j + 1), { size: 10, fill: AXIS }));
  parts.push(text(x0 + side / 2, y + 26, opts.xTitle ?? "unit", { size: 11, fill: AXIS }));
  if (opts.yTitle) parts.push(text(12, top + (y - top) / 2, opts.yTitle, { size: 11, fill: AXIS, rotate: -90 }));
  parts.push("</svg>");
  return parts.join("");
}

/** Text with plotly-style markup (`<b>…</b>`, `<br>`) as SVG tspans, one line per <br>. */
function richText(x, y, s, { size = 11, anchor = "middle", valign = "middle", fill = TEXT } = {}) {
  const lines = String(s).split(/<br\s*\/?>/i);
  const lh = size * 1.25, y0 = valign === "top" ? y + size * 0.85 : y - ((lines.length - 1) * lh) / 2;
  const spans = lines.map((line, k) => {
    const bold = /<b>/i.test(line), plain = line.replace(/<\/?b>/gi, "");
    return `<tspan x="${r1(x)}" y="${r1(y0 + k * lh)}"${bold ? ' font-weight="600"' : ""}>${esc(plain)}</tspan>`;
  }).join("");
  return `<text font-size="${size}" text-anchor="${anchor}" dominant-baseline="${valign === "top" ? "alphabetic" : "middle"}" fill="${fill}">${spans}</text>`;
}

/**
 * A 2-D drawing in data units with equal aspect (x right, y up), e.g. binary patterns as
 * polygons: `spec` = {xRange, yRange, lines: [{a: [x, y], b: [x, y], color, width (px), dash}],
 * texts: [{x, y, text (may hold <b>, <br>), size, anchor ("left"/"center"/""), valign ("middle"/
 * "top"), color}], frames: [{x0, y0, x1, y1, color}], legend: [{name, color, width, dash}],
 * title}; `opts.width` (default 640). Returns SVG markup.
 */
export function shapes2d(spec, opts = {}) {
  const width = opts.width ?? 640, [xa, xb] = spec.xRange, [ya, yb] = spec.yRange;
  const top = spec.title ? 24 : 0, legendH = spec.legend && spec.legend.length ? 22 : 0;
  const k = width / (xb - xa), height = Math.round(top + (yb - ya) * k + legendH);
  const X = (x) => (x - xa) * k, Y = (y) => top + (yb - y) * k;
  const parts = [svgOpen(width, height, "shapes", ` data-lines="${(spec.lines || []).length}"`), titleText(spec.title, width)];
  for (const f of spec.frames || []) {
    parts.push(`<rect class="il-frame" x="${r1(X(f.x0))}" y="${r1(Y(f.y1))}" width="${r1((f.x1 - f.x0) * k)}" height="${r1((f.y1 - f.y0) * k)}" rx="6" fill="none" stroke="${f.color}" stroke-width="2.5"/>`);
  }
  for (const l of spec.lines || []) {
    const dash = l.dash === "dash" ? ` stroke-dasharray="${r1(2.2 * l.width)},${r1(1.4 * l.width)}"` : "";
    parts.push(`<line class="il-edge" x1="${r1(X(l.a[0]))}" y1="${r1(Y(l.a[1]))}" x2="${r1(X(l.b[0]))}" y2="${r1(Y(l.b[1]))}" stroke="${l.color}" stroke-width="${l.width}" stroke-linecap="round"${dash}/>`);
  }
  for (const t of spec.texts || []) {
    parts.push(richText(X(t.x), Y(t.y), t.text, { size: t.size ?? 11, anchor: t.anchor === "left" ? "start" : "middle", valign: t.valign ?? "middle", fill: t.color ?? TEXT }));
  }
  let x = 8;
  for (const e of spec.legend || []) {
    const dash = e.dash === "dash" ? ` stroke-dasharray="${r1(2.2 * e.width)},${r1(1.4 * e.width)}"` : "";
    parts.push(`<line x1="${x}" y1="${height - 11}" x2="${x + 26}" y2="${height - 11}" stroke="${e.color}" stroke-width="${e.width}"${dash}/>`);
    parts.push(text(x + 32, height - 11, e.name, { size: 11, anchor: "start", fill: AXIS }));
    x += 40 + 6 * e.name.length + 16;
  }
  parts.push("</svg>");
  return parts.join("");
}

/** A frame of a 2-D chart: plot area, y grid and labels, axis titles. Returns {parts, sx, sy}. */
function frame({ width, height, left, right, top, bottom, ylo, yhi, yticks, ylabels, yTitle, xTitle, title, kind, extra }) {
  const pw = width - left - right, ph = height - top - bottom;
  const sy = (v) => top + ph - ((v - ylo) / (yhi - ylo || 1)) * ph;
  const parts = [svgOpen(width, height, kind, extra), titleText(title, width)];
  yticks.forEach((t, k) => {
    const y = sy(t);
    parts.push(`<line x1="${left}" x2="${left + pw}" y1="${r1(y)}" y2="${r1(y)}" stroke="${GRID}" stroke-width="1"/>`);
    parts.push(text(left - 5, y, ylabels[k], { size: 10, anchor: "end", fill: AXIS }));
  });
  parts.push(`<line x1="${left}" x2="${left + pw}" y1="${top + ph}" y2="${top + ph}" stroke="${AXIS}" stroke-width="1"/>`);
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + ph}" stroke="${AXIS}" stroke-width="1"/>`);
  if (yTitle) parts.push(text(12, top + ph / 2, yTitle, { size: 11, fill: AXIS, rotate: -90 }));
  if (xTitle) parts.push(text(left + pw / 2, height - 8, xTitle, { size: 11, fill: AXIS }));
  return { parts, sy, pw, ph };
}

/**
 * Bars over categories: `labels` (strings), `values`, `colors` (one per bar), options `title`,
 * `yTitle`, `xTitle`, `hover` (k → tooltip), `legend` ([[colour, name], …], drawn top right),
 * `width`, `height`. The y axis starts at 0. Returns SVG markup.
 */
export function bars(labels, values, colors, opts = {}) {
  const width = opts.width ?? 300, height = opts.height ?? 280;
  const finite = values.filter(Number.isFinite);
  const yhi0 = Math.max(1e-12, ...finite);
  const yticks = niceTicks(0, yhi0, 4);
  const step = yticks.length > 1 ? yticks[1] - yticks[0] : yhi0;
  if (yticks[yticks.length - 1] < yhi0 * (1 - 1e-9)) yticks.push(yticks[yticks.length - 1] + step); // the top tick covers the tallest bar
  const yhi = yticks[yticks.length - 1];
  const ylabels = yticks.map((t) => tickLabel(t, yticks));
  const rotate = labels.length > 4;
  const bottom = rotate ? 34 + 5 * Math.max(...labels.map((s) => s.length)) : 40;
  const f = frame({ width, height, left: 46, right: 6, top: opts.legend ? 38 : 24, bottom, ylo: 0, yhi, yticks, ylabels,
    yTitle: opts.yTitle, xTitle: opts.xTitle, title: opts.title, kind: "bars", extra: ` data-bars="${values.length}"` });
  const n = labels.length, slot = f.pw / Math.max(1, n), bw = slot * 0.72;
  labels.forEach((lab, k) => {
    const v = Number.isFinite(values[k]) ? values[k] : 0, x = 46 + k * slot + (slot - bw) / 2, y = f.sy(v);
    const tip = opts.hover ? opts.hover(k) : `${lab}: ${values[k]}`;
    f.parts.push(`<rect class="il-bar" x="${r1(x)}" y="${r1(y)}" width="${r1(bw)}" height="${r1(f.sy(0) - y)}" fill="${colors[k]}"><title>${esc(tip)}</title></rect>`);
    const lx = 46 + (k + 0.5) * slot, ly = f.sy(0) + 8;
    f.parts.push(rotate ? text(lx + 3, ly, lab, { size: 9.5, anchor: "end", fill: AXIS, rotate: -50 }) : text(lx, ly + 2, lab, { size: 10, fill: AXIS }));
  });
  if (opts.legend) { // one row under the title: swatch, name, swatch, name…
    let x = 46;
    for (const [color, name] of opts.legend) {
      f.parts.push(`<rect x="${x}" y="21" width="10" height="10" fill="${color}"/>`);
      f.parts.push(text(x + 14, 26.5, name, { size: 10, anchor: "start", fill: AXIS }));
      x += 14 + 5.6 * name.length + 14;
    }
  }
  f.parts.push("</svg>");
  return f.parts.join("");
}

/**
 * A line chart of y against x: options `title`, `xTitle`, `yTitle` ("(log scale)" is added on a
 * log axis), `color`, `name` (tooltip),
 * `log` (true: log y axis with a label every decade or every few; false: linear; default: log
 * when the positive values span ≥ 1.5 decades), `width`, `height`. Non-finite and (on a log axis)
 * non-positive values are left out. Returns SVG markup.
 */
export function lineChart(x, y, opts = {}) {
  const width = opts.width ?? 300, height = opts.height ?? 280;
  const pos = y.filter((v) => v > 0 && Number.isFinite(v));
  const decades = pos.length ? Math.log10(Math.max(...pos)) - Math.log10(Math.min(...pos)) : 0;
  const log = opts.log ?? decades >= 1.5;
  const keep = x.map((_, k) => k).filter((k) => Number.isFinite(y[k]) && (!log || y[k] > 0));
  const tv = log ? (v) => Math.log10(v) : (v) => v;
  const vals = keep.map((k) => tv(y[k]));
  let ylo = vals.length ? Math.min(...vals) : 0, yhi = vals.length ? Math.max(...vals) : 1;
  let yticks, ylabels;
  if (log) {
    ylo = Math.floor(ylo); yhi = Math.max(ylo + 1, Math.ceil(yhi));
    const every = Math.max(1, Math.ceil((yhi - ylo) / 6));
    yticks = []; for (let k = ylo; k <= yhi; k += every) yticks.push(k);
    ylabels = yticks.map(power10);
  } else {
    if (yhi === ylo) { ylo -= Math.abs(ylo) * 0.1 || 1; yhi += Math.abs(yhi) * 0.1 || 1; }
    yticks = niceTicks(ylo, yhi, 4);
    ylo = Math.min(ylo, yticks[0]); yhi = Math.max(yhi, yticks[yticks.length - 1]);
    ylabels = yticks.map((t) => tickLabel(t, yticks));
  }
  const left = 50, right = 18, bottom = 40;
  const f = frame({ width, height, left, right, top: 30, bottom, ylo, yhi, yticks, ylabels,
    yTitle: log ? `${opts.yTitle ?? ""} (log scale)`.trim() : opts.yTitle ?? "", xTitle: opts.xTitle, title: opts.title, kind: "line", extra: ` data-points="${keep.length}" data-log="${log}"` });
  const xs = keep.map((k) => x[k]);
  const xlo = xs.length ? Math.min(...xs) : 0, xhi = xs.length ? Math.max(...xs) : 1;
  const sx = (v) => left + ((v - xlo) / (xhi - xlo || 1)) * f.pw;
  const xticks = niceTicks(xlo, xhi, 4).filter((t) => t >= xlo && t <= xhi);
  for (const t of xticks) f.parts.push(text(sx(t), f.sy(ylo) + 10, tickLabel(t, xticks), { size: 10, fill: AXIS }));
  const pts = keep.map((k, n) => `${r1(sx(xs[n]))},${r1(f.sy(vals[n]))}`).join(" ");
  const last = keep.length ? keep[keep.length - 1] : null;
  const tip = last === null ? "" : `${opts.name ?? "value"}: ${y[last].toExponential(3)} at ${x[last]}`;
  f.parts.push(`<polyline class="il-line" points="${pts}" fill="none" stroke="${opts.color ?? COLORS.blue}" stroke-width="2" stroke-linejoin="round"><title>${esc(tip)}</title></polyline>`);
  f.parts.push("</svg>");
  return f.parts.join("");
}

// ---- 3-D: an orthographic view of the cube [lo, hi]³ --------------------------------------------

/** The default camera: the book's 3-D figures look from (1.6, −1.5, 1.0) (plotly's eye). */
export const CAMERA = { azimuth: Math.atan2(-1.5, 1.6), elevation: Math.atan2(1.0, Math.hypot(1.6, 1.5)) };

/** Screen basis of a camera: `d` towards the viewer, `r` to the right, `u` up (orthonormal). */
export function basis(camera) {
  const { azimuth: a, elevation: e } = camera;
  return {
    d: [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)],
    r: [-Math.sin(a), Math.cos(a), 0],
    u: [-Math.sin(e) * Math.cos(a), -Math.sin(e) * Math.sin(a), Math.cos(e)],
  };
}

/** p (x, y, z) → [screen x, screen y (down), depth (larger = nearer the viewer)] for a view of
 *  the cube centred at `c` with `scale` px per unit around the screen point (cx, cy). */
export function project(p, B, c, scale, cx, cy) {
  const q = [p[0] - c, p[1] - c, p[2] - c];
  const dot = (v) => v[0] * q[0] + v[1] * q[1] + v[2] * q[2];
  return [cx + scale * dot(B.r), cy - scale * dot(B.u), dot(B.d)];
}

/** The part of the segment a–b inside the cube [lo, hi]³ ([a′, b′]), or null if none
 *  (Liang–Barsky clipping against the six faces). */
export function clipSegment(a, b, lo, hi) {
  if (![...a, ...b].every(Number.isFinite)) return null;
  let t0 = 0, t1 = 1;
  for (let k = 0; k < 3; k++) {
    const d = b[k] - a[k];
    for (const [p, q] of [[-d, a[k] - lo], [d, hi - a[k]]]) {
      if (p === 0) { if (q < 0) return null; continue; }
      const t = q / p;
      if (p < 0) { if (t > t1) return null; if (t > t0) t0 = t; } else { if (t < t0) return null; if (t < t1) t1 = t; }
    }
  }
  const at = (t) => a.map((v, k) => v + t * (b[k] - v));
  return [at(t0), at(t1)];
}

function marker(x, y, symbol, color, size, tip) {
  const s = size / 2, t = `<title>${esc(tip)}</title>`;
  const open = symbol.endsWith("-open");
  const paint = open ? `fill="none" stroke="${color}" stroke-width="1.8"` : `fill="${color}" stroke="#000" stroke-width="0.8"`;
  const shape = symbol.replace("-open", "");
  if (shape === "diamond") return `<path class="il-mark" d="M${r1(x)} ${r1(y - s * 1.25)}L${r1(x + s)} ${r1(y)}L${r1(x)} ${r1(y + s * 1.25)}L${r1(x - s)} ${r1(y)}Z" ${paint}>${t}</path>`;
  if (shape === "square") return `<rect class="il-mark" x="${r1(x - s)}" y="${r1(y - s)}" width="${r1(2 * s)}" height="${r1(2 * s)}" ${paint}>${t}</rect>`;
  if (shape === "x") return `<path class="il-mark" d="M${r1(x - s)} ${r1(y - s)}L${r1(x + s)} ${r1(y + s)}M${r1(x - s)} ${r1(y + s)}L${r1(x + s)} ${r1(y - s)}" stroke="${color}" stroke-width="2.4" fill="none">${t}</path>`;
  return `<circle class="il-mark" cx="${r1(x)}" cy="${r1(y)}" r="${r1(s)}" ${paint}>${t}</circle>`;
}

/**
 * An orthographic 3-D scene of the cube [lo, hi]³ seen by `camera` ({azimuth, elevation}, radians).
 * `scene`: {title, range: [lo, hi], ticks (axis values), axisTitles ([x, y, z]),
 *   polygons: [{pts: [[x, y, z], …], fill, opacity}] (drawn first),
 *   segments: [{a: [x, y, z], b: [x, y, z], color, width}] and
 *   markers: [{p: [x, y, z], symbol (circle, diamond, square, x; "-open" for outlines), color, size, tip}]
 *   (drawn back to front), legend: [{name, color, symbol | line: true}] (HTML under the scene)}.
 * Everything is clipped to the cube, as plotly's 3-D scenes are: segments are cut at its faces,
 * markers outside it are left out (and counted in a note). Returns markup: an <svg> (back faces
 * with grid lines, then the data) and the legend.
 */
export function scene3d(scene, camera = CAMERA, opts = {}) {
  const width = opts.width ?? 640, height = opts.height ?? 430;
  const [lo, hi] = scene.range ?? [-0.1, 1.1], c = (lo + hi) / 2;
  const B = basis(camera), top = scene.title ? 22 : 4;
  const scale = (Math.min(width, height - top) / 2 - 14) / ((hi - lo) * Math.sqrt(3) / 2);
  const cx = width / 2, cy = top + (height - top) / 2;
  const P = (p) => project(p, B, c, scale, cx, cy);
  const parts = [svgOpen(width, height, "scene", ` data-range="${lo},${hi}" data-azimuth="${camera.azimuth.toFixed(4)}" data-elevation="${camera.elevation.toFixed(4)}"`), titleText(scene.title, width)];
  parts.push(`<rect class="il-drag" x="0" y="0" width="${width}" height="${height}" fill="transparent"/>`);
  const ticks = scene.ticks ?? [0, 0.5, 1];
  // the three faces away from the viewer, with grid lines at the ticks
  for (let k = 0; k < 3; k++) {
    const at = B.d[k] > 0 ? lo : hi, a = (k + 1) % 3, b = (k + 2) % 3;
    const corner = (s, t) => { const p = [0, 0, 0]; p[k] = at; p[a] = s; p[b] = t; return P(p); };
    const quad = [corner(lo, lo), corner(hi, lo), corner(hi, hi), corner(lo, hi)];
    parts.push(`<polygon points="${quad.map((q) => `${r1(q[0])},${r1(q[1])}`).join(" ")}" fill="#f3f5f8" stroke="#c8ced6" stroke-width="1"/>`);
    for (const t of ticks) {
      for (const [p, q] of [[corner(t, lo), corner(t, hi)], [corner(lo, t), corner(hi, t)]]) {
        parts.push(`<line x1="${r1(p[0])}" y1="${r1(p[1])}" x2="${r1(q[0])}" y2="${r1(q[1])}" stroke="#dde2e8" stroke-width="1"/>`);
      }
    }
  }
  // tick labels and titles on one outer edge per axis (the lowest edge on screen for x₁ and x₂,
  // the leftmost for x₃), pushed outwards from the cube's centre
  const titles = scene.axisTitles ?? ["x₁", "x₂", "x₃"];
  const centre = P([c, c, c]);
  for (let k = 0; k < 3; k++) {
    const a = (k + 1) % 3, b = (k + 2) % 3;
    let best = null;
    for (const sa of [lo, hi]) for (const sb of [lo, hi]) {
      const m = [0, 0, 0]; m[k] = c; m[a] = sa; m[b] = sb;
      const q = P(m), score = k === 2 ? -q[0] : q[1];
      if (!best || score > best.score) best = { score, sa, sb };
    }
    const at = (t) => { const p = [0, 0, 0]; p[k] = t; p[a] = best.sa; p[b] = best.sb; return P(p); };
    const mid = at(c), ox = mid[0] - centre[0], oy = mid[1] - centre[1], on = Math.hypot(ox, oy) || 1;
    for (const t of ticks) {
      const q = at(t);
      parts.push(text(q[0] + (ox / on) * 12, q[1] + (oy / on) * 12, tickLabel(t, ticks), { size: 10, fill: AXIS }));
    }
    parts.push(text(mid[0] + (ox / on) * 34, mid[1] + (oy / on) * 34, titles[k], { size: 12, fill: AXIS, weight: 600 }));
  }
  for (const poly of scene.polygons ?? []) {
    const pts = poly.pts.map(P);
    parts.push(`<polygon class="il-plane" points="${pts.map((q) => `${r1(q[0])},${r1(q[1])}`).join(" ")}" fill="${poly.fill}" fill-opacity="${poly.opacity ?? 0.3}" stroke="${poly.fill}" stroke-opacity="0.8"/>`);
  }
  const items = [];
  let hidden = 0;
  for (const s of scene.segments ?? []) {
    const cut = clipSegment(s.a, s.b, lo, hi); // drawn inside the box only, as plotly clips
    if (!cut) continue;
    const a = P(cut[0]), b = P(cut[1]);
    items.push([(a[2] + b[2]) / 2, `<line x1="${r1(a[0])}" y1="${r1(a[1])}" x2="${r1(b[0])}" y2="${r1(b[1])}" stroke="${s.color}" stroke-width="${s.width ?? 2.5}" stroke-linecap="round"/>`]);
  }
  const inside = (p) => p.every((v) => Number.isFinite(v) && v >= lo - 1e-9 && v <= hi + 1e-9);
  for (const m of scene.markers ?? []) {
    if (!inside(m.p)) { hidden += 1; continue; }
    const q = P(m.p);
    items.push([q[2] + 1e-6, marker(q[0], q[1], m.symbol ?? "circle", m.color, m.size ?? 8, m.tip ?? "")]);
  }
  items.sort((x, y) => x[0] - y[0]);
  for (const [, s] of items) parts.push(s);
  if (hidden) parts.push(text(width - 6, height - 8, `${hidden} mark${hidden > 1 ? "s" : ""} outside the box not shown`, { size: 10, anchor: "end", fill: AXIS, cls: "il-hidden-note" }));
  parts.push("</svg>");
  const legend = (scene.legend ?? []).map((e) => {
    const sw = e.line
      ? `<svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="21" y2="5" stroke="${e.color}" stroke-width="3"/></svg>`
      : `<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">${marker(7, 7, e.symbol ?? "circle", e.color, 9, "")}</svg>`;
    return `<span class="il-legend-item">${sw}${esc(e.name)}</span>`;
  }).join("");
  return parts.join("") + (legend ? `<div class="il-legend">${legend}</div>` : "");
}

/**
 * Let the reader turn a scene by dragging (pointer events; a double click goes back to
 * `camera0`). `getCamera()`/`setCamera(c)` hold the camera; `redraw()` draws the scene again.
 * Returns a function that removes the listeners.
 */
export function attachRotation(el, getCamera, setCamera, redraw, camera0 = CAMERA) {
  let drag = null, pending = false;
  const frame = () => { pending = false; redraw(); };
  const down = (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, cam: getCamera() };
    el.setPointerCapture?.(e.pointerId);
    el.classList.add("il-dragging");
    e.preventDefault();
  };
  const move = (e) => {
    if (!drag) return;
    const lim = Math.PI / 2 - 0.02;
    setCamera({
      azimuth: drag.cam.azimuth - (e.clientX - drag.x) * 0.01,
      elevation: Math.max(-lim, Math.min(lim, drag.cam.elevation + (e.clientY - drag.y) * 0.01)),
    });
    if (!pending) { pending = true; requestAnimationFrame(frame); }
  };
  const up = () => { drag = null; el.classList.remove("il-dragging"); };
  const reset = () => { setCamera({ ...camera0 }); redraw(); };
  el.addEventListener("pointerdown", down);
  el.addEventListener("pointermove", move);
  el.addEventListener("pointerup", up);
  el.addEventListener("pointercancel", up);
  el.addEventListener("dblclick", reset);
  return () => {
    for (const [ev, f] of [["pointerdown", down], ["pointermove", move], ["pointerup", up], ["pointercancel", up], ["dblclick", reset]]) el.removeEventListener(ev, f);
  };
}
