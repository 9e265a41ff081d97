// widget.mjs: the JupyterLab side of the Python explorers' SVG figures (anywidget entry point).
//
// itemsrel.widgets.svg.SvgFigures sends `spec` (what the kernel computed) and this module draws it
// with the same figure code as the static book's live panels (figures.mjs, draw.mjs): a change
// replaces only the figures whose markup changed, in one animation frame, and the 3-D scene keeps
// the camera the reader dragged it to. No plotly and no WebGL, so no context is ever lost.
//
// spec = {kind: "network", W (N×N), X (K×N), patternLosses (2^N, in itemsrel_live's pattern
//   order), flow: null | {paths, ends, nStarts, endStep}, fixed: {points, continuum},
//   flowTitle} — see itemsrel.widgets.svg.network_spec; {kind: "symmetry", labels (N×N pair-orbit
//   numbers), letters, fills, patternTitle, groups (the items by orbit), itemsTitle} — see
//   itemsrel.widgets.svg.symmetry_spec; {kind: "polygons", …} (patterns as polygons, chapter 5) —
//   see itemsrel.widgets.svg.polygons_spec and draw.mjs's shapes2d.

import * as D from "./draw.mjs";
import * as F from "./figures.mjs";

const KINDS = {
  network: {
    slots: ["W", "losses", "flow"],
    draw(spec, slots, drawFlow) {
      const N = spec.W.length;
      slots.flow.hidden = !spec.flow; // no 3-D flow field beyond N = 3
      return [
        F.paint(slots.W, F.heatmap(spec.W, "weights W")),
        F.paint(slots.losses, F.lossBars(N, spec.patternLosses, spec.X)),
        spec.flow ? drawFlow(F.flowSceneOf(spec.flow, spec.X, spec.fixed, spec.flowTitle)) : F.paint(slots.flow, ""),
      ];
    },
  },
  symmetry: {
    slots: ["pattern", "items"],
    draw(spec, slots) {
      return [
        F.paint(slots.pattern, D.heatmap(spec.labels, {
          title: spec.patternTitle, text: spec.letters, fills: spec.fills,
          hover: (i, j) => `W[${i + 1},${j + 1}]: parameter ${spec.letters[i][j]}`,
        })),
        F.paint(slots.items, D.patternRows(spec.groups, {
          title: spec.itemsTitle, groupName: (k) => `orbit ${k + 1}`, // rows: the items, a gap between orbits
        })),
      ];
    },
  },
  polygons: {
    slots: ["polygons"],
    draw(spec, slots) {
      return [F.paint(slots.polygons, D.shapes2d(spec))];
    },
  },
};

function render({ model, el }) {
  el.classList.add("itemsrel-live", "il-mounted", "il-lab");
  let kind = null, slots = null, drawFlow = null, frame = 0;
  const draw = () => {
    frame = 0;
    const spec = model.get("spec") || {};
    const K = KINDS[spec.kind];
    if (!K) { el.textContent = spec.kind ? `unknown figure kind ${spec.kind}` : ""; kind = null; return; }
    if (kind !== spec.kind) { // build the slots once per kind
      el.textContent = "";
      const grid = document.createElement("div");
      grid.className = "il-figures";
      slots = {};
      for (const n of K.slots) { slots[n] = document.createElement("div"); slots[n].className = `il-fig il-fig-${n}`; grid.append(slots[n]); }
      el.append(grid);
      drawFlow = slots.flow ? F.sceneSlot(slots.flow) : null;
      kind = spec.kind;
    }
    for (const f of K.draw(spec, slots, drawFlow)) if (f) f();
    el.dataset.redraws = String(Number(el.dataset.redraws || 0) + 1);
    el.dataset.gen = String(spec.gen ?? "");
    // confirm the drawing: the kernel replaces a widget whose drawings go unconfirmed
    if (Number.isInteger(spec.gen)) model.send({ drawn: spec.gen });
  };
  // latest wins: changes that arrive before the next frame are drawn once
  const schedule = () => { if (!frame) frame = requestAnimationFrame(draw); };
  model.on("change:spec", schedule);
  draw();
  return () => { model.off("change:spec", schedule); if (frame) cancelAnimationFrame(frame); };
}

export default { render };
