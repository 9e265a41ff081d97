// itemsrel_live.mjs: the maths of the itemsrel package for the auto-associator y = φ(W x), in
// plain float64 JavaScript (an ES module with no dependencies; runs in the browser and in Node 20).
//
// It mirrors, function by function:
//   activations   src/itemsrel/activations.py   (names, shift c and gain g: φ(g (z − c)))
//   train         src/itemsrel/training.py      (eq.-7 loss, closed-form gradient 2/(K N),
//                                                penalties l1/l2/rate/level, torch.optim SGD/Adam
//                                                update rules, history every max(1, steps//500))
//   iterate, fixedPoints, fixedSubspace, classify   src/itemsrel/dynamics.py
//   patternLosses src/itemsrel/training.py pattern_loss over all 2^N patterns (lexicographic)
//   sigmaX, itemOrbits, indexOrbits, spanPatterns, symmetryConsistentPatterns
//                 src/itemsrel/symmetry.py      ((s·x)_i = x_{s(i)}, 0-based; cycles 1-based)
//
// Conventions: W and X are nested arrays; row i of W holds the weights INTO unit i; X is K×N with
// one item per row. Two things cannot be bit-identical to the Python side and are documented:
//   * random initial weights use a seeded JS PRNG (mulberry32 + Box–Muller), not numpy's PCG64;
//     pass W0 explicitly to reproduce a Python run;
//   * fixed points are found by damped Newton from a grid, the iteration's end points and seeded
//     random starts (Python: scipy's hybrid Powell from the same kinds of starts); both polish with
//     Newton steps and de-duplicate at 1e-6, so the isolated fixed points found agree.

export const ACTIVATIONS = ["linear", "tanh", "sigmoid", "relu", "shifted_tanh", "clip"];
export const INITS = ["zeros", "ones", "uniform", "normal"];
export const OPTIMIZERS = ["sgd", "adam"];
export const PENALTIES = ["l1", "l2", "rate", "level"];

// ---------------------------------------------------------------------------------------------
// activations
// ---------------------------------------------------------------------------------------------

/** Activation by the package's name: {name, shift, gain, f, d, fTorch, label}. */
export function getActivation(spec, opts = {}) {
  if (spec && typeof spec === "object" && spec.f) return spec;
  let name = spec, shift = opts.shift, gain = opts.gain ?? 1.0;
  if (spec && typeof spec === "object") ({ name, shift, gain = 1.0 } = spec);
  let key = String(name).toLowerCase();
  if (key === "identity" || key === "id") key = "linear";
  if (!ACTIVATIONS.includes(key)) {
    throw new Error(`unknown activation ${JSON.stringify(name)}; choose one of ${ACTIVATIONS.join(", ")}`);
  }
  if (key === "shifted_tanh") {
    key = "tanh";
    shift = shift ?? 0.5;
  }
  shift = Number(shift ?? 0.0);
  gain = Number(gain);
  if (!Number.isFinite(gain) || gain <= 0) throw new Error(`gain must be a positive finite number, got ${gain}`);
  const plain = !(shift !== 0 || gain !== 1.0);
  const arg = plain ? (z) => z : (z) => gain * (z - shift);
  let f, fTorch, d;
  switch (key) {
    case "linear":
      f = fTorch = arg;
      d = () => gain;
      break;
    case "tanh":
      f = fTorch = (z) => Math.tanh(arg(z));
      d = (z) => { const t = Math.tanh(arg(z)); return gain * (1.0 - t * t); };
      break;
    case "sigmoid":
      f = (z) => 0.5 * (1.0 + Math.tanh(0.5 * arg(z))); // numpy side: overflow-free logistic
      fTorch = (z) => 1.0 / (1.0 + Math.exp(-arg(z))); // torch.sigmoid
      d = (z) => { const s = 0.5 * (1.0 + Math.tanh(0.5 * arg(z))); return gain * s * (1.0 - s); };
      break;
    case "clip":
      f = fTorch = (z) => Math.min(Math.max(arg(z), 0.0), 1.0);
      d = (z) => { const a = arg(z); return a > 0 && a < 1 ? gain : 0.0; };
      break;
    default: // relu
      f = fTorch = (z) => Math.max(arg(z), 0.0);
      d = (z) => (arg(z) > 0 ? gain : 0.0);
  }
  return { name: key, shift, gain, f, fTorch, d, label: activationLabel(key, shift, gain) };
}

function fmtG(v) {
  return Number(v.toPrecision(6)).toString();
}

function activationLabel(name, shift, gain) {
  let inner = !shift ? "z" : shift > 0 ? `z − ${fmtG(shift)}` : `z + ${fmtG(-shift)}`;
  if (gain !== 1.0) inner = shift ? `${fmtG(gain)}·(${inner})` : `${fmtG(gain)}·z`;
  if (name === "linear") return inner !== "z" ? inner : "z (linear)";
  return { sigmoid: `σ(${inner})`, relu: `max(0, ${inner})`, clip: `min(max(0, ${inner}), 1)` }[name] ?? `${name}(${inner})`;
}

// ---------------------------------------------------------------------------------------------
// small linear algebra (row-major nested arrays)
// ---------------------------------------------------------------------------------------------

const zerosM = (r, c) => Array.from({ length: r }, () => new Array(c).fill(0.0));
const copyM = (A) => A.map((row) => row.slice());
const matvec = (W, x) => W.map((row) => { let s = 0.0; for (let j = 0; j < row.length; j++) s += row[j] * x[j]; return s; });
const maxAbs = (v) => v.reduce((m, t) => Math.max(m, Math.abs(t)), 0);

function checkW(W) {
  if (!Array.isArray(W) || W.length === 0 || W.some((r) => !Array.isArray(r) || r.length !== W.length)) {
    throw new Error("W must be a square N×N matrix (nested arrays)");
  }
  if (W.some((r) => r.some((v) => !Number.isFinite(v)))) throw new Error("W has non-finite entries (a diverged network?)");
  return W.map((r) => r.map(Number));
}

function checkX(X) {
  if (!Array.isArray(X) || X.length === 0 || !Array.isArray(X[0])) throw new Error("X must be a non-empty K×N array of 0/1 items");
  const N = X[0].length;
  for (const row of X) {
    if (row.length !== N) throw new Error("all items of X must have the same length");
    if (row.some((v) => v !== 0 && v !== 1)) throw new Error("X must hold only 0 and 1");
  }
  const seen = new Set(X.map((r) => r.join("")));
  if (seen.size !== X.length) throw new Error("X has duplicate items");
  return X;
}

/** Solve A x = b (Gaussian elimination, partial pivoting); null if singular. */
export function solve(A, b) {
  const n = A.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    if (M[p][k] === 0) return null;
    [M[k], M[p]] = [M[p], M[k]];
    for (let i = k + 1; i < n; i++) {
      const f = M[i][k] / M[k][k];
      if (f === 0) continue;
      for (let j = k; j <= n; j++) M[i][j] -= f * M[k][j];
    }
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let j = i + 1; j < n; j++) s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
  return x.every(Number.isFinite) ? x : null;
}

/** Eigenvalues of a real square matrix as [re, im] pairs (Hessenberg + complex shifted QR). */
export function eigvals(A) {
  const n = A.length;
  const re = copyM(A), im = zerosM(n, n);
  // Householder reduction to upper Hessenberg form (real, a similarity transform)
  for (let k = 0; k < n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i < n; i++) alpha += re[i][k] * re[i][k];
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    if (re[k + 1][k] > 0) alpha = -alpha;
    const v = new Array(n).fill(0);
    for (let i = k + 1; i < n; i++) v[i] = re[i][k];
    v[k + 1] -= alpha;
    let vn = 0;
    for (let i = k + 1; i < n; i++) vn += v[i] * v[i];
    if (vn === 0) continue;
    for (let j = 0; j < n; j++) { // H ← (I − 2vvᵀ/vᵀv) H
      let s = 0;
      for (let i = k + 1; i < n; i++) s += v[i] * re[i][j];
      s = (2 * s) / vn;
      for (let i = k + 1; i < n; i++) re[i][j] -= s * v[i];
    }
    for (let i = 0; i < n; i++) { // H ← H (I − 2vvᵀ/vᵀv)
      let s = 0;
      for (let j = k + 1; j < n; j++) s += re[i][j] * v[j];
      s = (2 * s) / vn;
      for (let j = k + 1; j < n; j++) re[i][j] -= s * v[j];
    }
    for (let i = k + 2; i < n; i++) re[i][k] = 0;
  }
  const out = [];
  let hi = n - 1, iter = 0;
  const EPS = 2.220446049250313e-16;
  while (hi >= 0) {
    if (hi === 0) { out.push([re[0][0], im[0][0]]); break; }
    let l = hi;
    while (l > 0) {
      const sub = Math.hypot(re[l][l - 1], im[l][l - 1]);
      const diag = Math.hypot(re[l - 1][l - 1], im[l - 1][l - 1]) + Math.hypot(re[l][l], im[l][l]);
      if (sub <= EPS * (diag || 1e-300)) { re[l][l - 1] = 0; im[l][l - 1] = 0; break; }
      l--;
    }
    if (l === hi) { out.push([re[hi][hi], im[hi][hi]]); hi--; iter = 0; continue; }
    if (iter > 1000) throw new Error("eigvals: QR iteration did not converge");
    // Wilkinson shift: the eigenvalue of the trailing 2×2 block closer to its last entry
    const a = [re[hi - 1][hi - 1], im[hi - 1][hi - 1]], b = [re[hi - 1][hi], im[hi - 1][hi]];
    const c = [re[hi][hi - 1], im[hi][hi - 1]], d = [re[hi][hi], im[hi][hi]];
    const half = [(a[0] - d[0]) / 2, (a[1] - d[1]) / 2];
    const disc = csqrt(cadd(cmul(half, half), cmul(b, c)));
    const m = [(a[0] + d[0]) / 2, (a[1] + d[1]) / 2];
    const m1 = cadd(m, disc), m2 = [m[0] - disc[0], m[1] - disc[1]];
    let mu = Math.hypot(m1[0] - d[0], m1[1] - d[1]) < Math.hypot(m2[0] - d[0], m2[1] - d[1]) ? m1 : m2;
    if (iter > 0 && iter % 10 === 0) mu = [d[0] + Math.abs(c[0]) * 0.75, d[1] + Math.abs(c[0]) * 0.43]; // exceptional shift
    iter++;
    for (let k = l; k <= hi; k++) { re[k][k] -= mu[0]; im[k][k] -= mu[1]; }
    const rots = [];
    for (let k = l; k < hi; k++) { // rows: zero the subdiagonal with complex Givens rotations
      const x = [re[k][k], im[k][k]], y = [re[k + 1][k], im[k + 1][k]];
      const r = Math.hypot(x[0], x[1], y[0], y[1]);
      const cc = r === 0 ? [1, 0] : [x[0] / r, x[1] / r], ss = r === 0 ? [0, 0] : [y[0] / r, y[1] / r];
      rots.push([cc, ss]);
      for (let j = k; j <= hi; j++) {
        const u = [re[k][j], im[k][j]], v = [re[k + 1][j], im[k + 1][j]];
        const nu = cadd(cmul(conj(cc), u), cmul(conj(ss), v));
        const nv = cadd(cmul([-ss[0], -ss[1]], u), cmul(cc, v));
        re[k][j] = nu[0]; im[k][j] = nu[1]; re[k + 1][j] = nv[0]; im[k + 1][j] = nv[1];
      }
    }
    for (let k = l; k < hi; k++) { // columns: R Gᴴ
      const [cc, ss] = rots[k - l];
      for (let i = l; i <= Math.min(k + 2, hi); i++) {
        const u = [re[i][k], im[i][k]], v = [re[i][k + 1], im[i][k + 1]];
        const nu = cadd(cmul(u, cc), cmul(v, ss));
        const nv = cadd(cmul(u, [-ss[0], ss[1]]), cmul(v, conj(cc)));
        re[i][k] = nu[0]; im[i][k] = nu[1]; re[i][k + 1] = nv[0]; im[i][k + 1] = nv[1];
      }
    }
    for (let k = l; k <= hi; k++) { re[k][k] += mu[0]; im[k][k] += mu[1]; }
  }
  return out;
}
const cadd = (a, b) => [a[0] + b[0], a[1] + b[1]];
const cmul = (a, b) => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const conj = (a) => [a[0], -a[1]];
function csqrt(z) {
  const r = Math.hypot(z[0], z[1]);
  if (r === 0) return [0, 0];
  const s = Math.sqrt((r + Math.abs(z[0])) / 2);
  return z[0] >= 0 ? [s, z[1] / (2 * s)] : [Math.abs(z[1]) / (2 * s), z[1] >= 0 ? s : -s];
}

/** Symmetric eigen-decomposition (cyclic Jacobi): {values, vectors (columns)}. */
export function symEig(S) {
  const n = S.length;
  const A = copyM(S), V = zerosM(n, n);
  for (let i = 0; i < n; i++) V[i][i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p][q] * A[p][q];
    if (off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (A[p][q] === 0) continue;
        const theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k][p], akq = A[k][q];
          A[k][p] = c * akp - s * akq; A[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p][k], aqk = A[q][k];
          A[p][k] = c * apk - s * aqk; A[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k][p], vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq; V[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: A.map((r, i) => r[i]), vectors: V };
}

// ---------------------------------------------------------------------------------------------
// patterns, initial weights, PRNG
// ---------------------------------------------------------------------------------------------

/** All 2^n binary patterns, lexicographic (row k = k in binary, most significant bit first). */
export function allPatterns(n) {
  if (n < 1 || n > 12) throw new Error(`pattern length must be in 1..12, got ${n}`);
  return Array.from({ length: 2 ** n }, (_, k) => Array.from({ length: n }, (_, i) => (k >> (n - 1 - i)) & 1));
}

/** Seeded PRNG (mulberry32): returns () => uniform [0, 1). Not numpy's generator. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Initial weights N×N: zeros, ones, uniform U(0,1), normal N(0, σ) (Box–Muller on mulberry32). */
export function initialWeights(init, N, seed = 0, sigma = 0.05) {
  if (!INITS.includes(init)) throw new Error(`unknown init ${JSON.stringify(init)}; choose one of ${INITS.join(", ")}`);
  if (init === "zeros") return zerosM(N, N);
  if (init === "ones") return zerosM(N, N).map((r) => r.fill(1.0));
  if (init === "normal" && !(Number.isFinite(sigma) && sigma > 0)) throw new Error(`sigma must be a positive number, got ${sigma}`);
  const rnd = mulberry32(seed);
  const W = zerosM(N, N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (init === "uniform") W[i][j] = rnd();
      else {
        const u1 = 1 - rnd(), u2 = rnd();
        W[i][j] = sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      }
    }
  }
  return W;
}

// ---------------------------------------------------------------------------------------------
// training (training.py)
// ---------------------------------------------------------------------------------------------

/**
 * Full-batch training of one network y = φ(W x) on X (K×N): the eq.-7 loss plus an optional
 * penalty, minimised by torch's SGD (momentum) or Adam update rules.
 * Returns {W, lossHistory, historySteps, finalLoss, gradMax, converged, diverged, stepsRun}.
 */
export function train({
  X, activation = "linear", W0 = null, init = "zeros", seed = 0, sigma = 0.05,
  optimizer = "sgd", lr = 0.1, steps = 5000, momentum = 0.0, betas = [0.9, 0.999], eps = 1e-8,
  penalty = null, strength = 0.0, levelTarget = 0.5, targets = null,
  gradTol = 1e-7, stopWhenConverged = false, checkEvery = 100, recordEvery = null,
} = {}) {
  checkX(X);
  const K = X.length, N = X[0].length;
  const phi = getActivation(activation);
  if (!OPTIMIZERS.includes(optimizer)) throw new Error(`unknown optimizer ${JSON.stringify(optimizer)}; choose one of ${OPTIMIZERS.join(", ")}`);
  if (!(Number.isFinite(lr) && lr > 0)) throw new Error(`learning rate must be a positive number, got ${lr}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`momentum must lie in [0, 1), got ${momentum}`);
  if (penalty === "none") penalty = null;
  if (penalty !== null && !PENALTIES.includes(penalty)) throw new Error(`unknown penalty ${JSON.stringify(penalty)}; choose from ${PENALTIES.join(", ")}`);
  if (!(Number.isFinite(strength) && strength >= 0)) throw new Error(`strength must be finite and >= 0, got ${strength}`);
  if (penalty !== null && strength === 0) penalty = null;
  const W = W0 ? checkW(W0) : initialWeights(init, N, seed, sigma);
  if (W.length !== N) throw new Error(`W0 is ${W.length}×${W.length} but the items have length ${N}`);
  const T = targets ?? X;
  const scale = 2.0 / (K * N);
  const Xs = X.map((row) => row.map((v) => v * scale)); // (K, N): the factor folded into the inputs
  const l1 = penalty === "l1" ? strength / (N * N) : null;
  const l2 = penalty === "l2" ? strength * (2.0 / (N * N)) : null;
  const lamRate = penalty === "rate" ? strength : null;
  const lamLevel = penalty === "level" ? strength : null;
  const identity = phi.name === "linear" && phi.gain === 1.0 && phi.shift === 0.0;
  const every = recordEvery || Math.max(1, Math.floor(steps / 500));

  const G = zerosM(N, N), E = zerosM(N, K), S = zerosM(N, K);
  function gradient() {
    let loss = 0.0;
    for (let i = 0; i < N; i++) {
      const Wi = W[i];
      for (let k = 0; k < K; k++) {
        const xk = X[k];
        let z = 0.0;
        for (let j = 0; j < N; j++) z += Wi[j] * xk[j];
        let y, dy = null;
        if (identity) y = z;
        else {
          y = phi.fTorch(z);
          if (phi.name === "tanh") dy = phi.gain * (1.0 - y * y);
          else if (phi.name === "sigmoid") dy = phi.gain * y * (1.0 - y);
          else dy = phi.d(z);
        }
        const e = y - T[k][i];
        E[i][k] = e;
        loss += e * e;
        let s = e;
        if (lamRate !== null) s = s + lamRate * y;
        if (lamLevel !== null) s = s + lamLevel * (y - levelTarget);
        if (dy !== null) s = s * dy;
        S[i][k] = s;
      }
      for (let j = 0; j < N; j++) {
        let g = 0.0;
        for (let k = 0; k < K; k++) g += S[i][k] * Xs[k][j];
        if (l1 !== null) g = g + l1 * Math.sign(Wi[j]);
        if (l2 !== null) g = g + l2 * Wi[j];
        G[i][j] = g;
      }
    }
    return loss / (N * K);
  }

  // optimiser state, kept as torch.optim.SGD / Adam keep it
  let buf = null;
  const m = zerosM(N, N), v = zerosM(N, N);
  let stepCount = 0;
  const [beta1, beta2] = betas;
  function update() {
    if (optimizer === "sgd") {
      let g = G;
      if (momentum !== 0) {
        if (buf === null) buf = copyM(G);
        else for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) buf[i][j] = buf[i][j] * momentum + G[i][j];
        g = buf;
      }
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) W[i][j] = W[i][j] + -lr * g[i][j];
      return;
    }
    stepCount += 1;
    const bc1 = 1 - beta1 ** stepCount, bc2 = 1 - beta2 ** stepCount;
    const stepSize = lr / bc1, bc2sqrt = bc2 ** 0.5, w1 = 1 - beta1, w2 = 1 - beta2;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const g = G[i][j];
        m[i][j] = w1 < 0.5 ? m[i][j] + w1 * (g - m[i][j]) : g - (g - m[i][j]) * (1 - w1); // torch.lerp
        v[i][j] = v[i][j] * beta2 + w2 * g * g;
        const denom = Math.sqrt(v[i][j]) / bc2sqrt + eps;
        W[i][j] = W[i][j] + -stepSize * (m[i][j] / denom);
      }
    }
  }

  const lossHistory = [], historySteps = [];
  let stepsRun = 0;
  for (let step = 0; step < steps; step++) {
    const loss = gradient();
    if (step % every === 0) { historySteps.push(step); lossHistory.push(loss); }
    update();
    stepsRun = step + 1;
    if (stopWhenConverged && stepsRun % checkEvery === 0) {
      gradient();
      if (G.every((r) => r.every((g) => Math.abs(g) <= gradTol))) break;
    }
  }
  const finalLoss = gradient();
  historySteps.push(stepsRun);
  lossHistory.push(finalLoss);
  const gradMax = Math.max(...G.map(maxAbs));
  const finite = Number.isFinite(finalLoss) && Number.isFinite(gradMax) && W.every((r) => r.every(Number.isFinite));
  return {
    W: finite ? W : W.map((r) => r.map(() => NaN)),
    lossHistory, historySteps,
    finalLoss: finite ? finalLoss : NaN,
    gradMax: finite ? gradMax : NaN,
    converged: finite && gradMax <= gradTol,
    diverged: !finite,
    stepsRun,
  };
}

/** Objective (data loss + penalty) of one network, as training.objective. */
export function objective(W, X, activation = "linear", penalty = null, strength = 0, levelTarget = 0.5) {
  const phi = getActivation(activation);
  const N = W.length, K = X.length;
  let data = 0, rate = 0, level = 0;
  for (const x of X) {
    const y = matvec(W, x).map(phi.f);
    for (let i = 0; i < N; i++) {
      data += (y[i] - x[i]) ** 2; rate += y[i] ** 2; level += (y[i] - levelTarget) ** 2;
    }
  }
  let total = data / (K * N);
  const flat = W.flat();
  if (penalty === "l1") total += (strength * flat.reduce((s, w) => s + Math.abs(w), 0)) / (N * N);
  if (penalty === "l2") total += (strength * flat.reduce((s, w) => s + w * w, 0)) / (N * N);
  if (penalty === "rate") total += (strength * rate) / (K * N);
  if (penalty === "level") total += (strength * level) / (K * N);
  return total;
}

/** Eq. 7 for every pattern p (default all 2^N, lexicographic): mean_i (φ(W p)_i − p_i)². */
export function patternLosses(W, activation = "linear", patterns = null) {
  W = checkW(W);
  const phi = getActivation(activation);
  const P = patterns ?? allPatterns(W.length);
  return P.map((p) => {
    const y = matvec(W, p).map(phi.f);
    let s = 0;
    for (let i = 0; i < p.length; i++) s += (y[i] - p[i]) ** 2;
    return s / p.length;
  });
}

// ---------------------------------------------------------------------------------------------
// dynamics (dynamics.py)
// ---------------------------------------------------------------------------------------------

/** Trajectories of x ← φ(W x) from each start: array (steps + 1) × P × N; index 0 is x0s. */
export function iterate(W, x0s, activation = "linear", steps = 25) {
  W = checkW(W);
  const phi = getActivation(activation);
  const starts = Array.isArray(x0s[0]) ? x0s : [x0s];
  if (starts.some((x) => x.length !== W.length)) throw new Error(`starts must have length ${W.length}`);
  const out = [starts.map((x) => x.map(Number))];
  for (let n = 0; n < steps; n++) out.push(out[n].map((x) => matvec(W, x).map(phi.f)));
  return out;
}

/** Jacobian of x ↦ φ(W x) at x: diag(φ'(W x)) W. */
export function jacobian(W, activation, x) {
  const phi = getActivation(activation);
  const z = matvec(W, x);
  return W.map((row, i) => row.map((w) => phi.d(z[i]) * w));
}

/** Stability class from eigenvalues [re, im] (tolerance on |λ| − 1). */
export function classify(eigenvalues, tol = 1e-6) {
  const mod = eigenvalues.map(([r, i]) => Math.hypot(r, i));
  if (mod.some((m) => Math.abs(m - 1.0) <= tol)) return "marginal";
  if (mod.every((m) => m < 1.0)) return "attracting";
  if (mod.every((m) => m > 1.0)) return "repelling";
  return "saddle";
}

/** Eigenvalues sorted as dynamics._sorted_eig: decreasing modulus, then decreasing real part. */
export function sortedEig(eig) {
  const e = eig.map(([r, i]) => [r, Math.abs(i) < 1e-12 ? 0 : i]);
  return e
    .map((v, k) => [v, k])
    .sort((A, B) => {
      const da = Math.hypot(...B[0]) - Math.hypot(...A[0]);
      if (da !== 0) return da;
      const dr = B[0][0] - A[0][0];
      return dr !== 0 ? dr : A[1] - B[1];
    })
    .map(([v]) => v);
}

/** The fixed subspace of a linear map (eigenspace of W for eigenvalue 1), as fixed_subspace. */
export function fixedSubspace(W, tol = 1e-6) {
  W = checkW(W);
  const N = W.length;
  const A = W.map((r, i) => r.map((w, j) => w - (i === j ? 1 : 0)));
  const AtA = zerosM(N, N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) { let s = 0; for (let k = 0; k < N; k++) s += A[k][i] * A[k][j]; AtA[i][j] = s; }
  const { values, vectors } = symEig(AtA);
  const sv = values.map((v) => Math.sqrt(Math.max(v, 0)));
  const smax = Math.max(0, ...sv);
  const idx = sv.map((s, k) => [s, k]).filter(([s]) => s <= tol * Math.max(1.0, smax)).map(([, k]) => k);
  const basis = vectors.map((row) => idx.map((k) => row[k])); // N × d
  const d = idx.length;
  const eig = eigvals(W);
  const order = eig.map((e, k) => [Math.hypot(e[0] - 1, e[1]), k]).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
  const others = order.slice(d).map((k) => eig[k]).sort((a, b) => (b[0] - a[0]) || (b[1] - a[1]));
  return { dimension: d, basis, otherEigenvalues: others, attracting: others.every(([r, i]) => Math.hypot(r, i) < 1.0 - 1e-12) };
}

/** Regular grid with n points per axis on [low, high]^N (N ≤ 3), row-major ('ij'). */
export function mesh(n = 5, low = 0.0, high = 1.0, N = 3, seed = 0) {
  if (N > 3) {
    const rnd = mulberry32(seed + 7919);
    return Array.from({ length: n ** 3 }, () => Array.from({ length: N }, () => low + (high - low) * rnd()));
  }
  const axis = Array.from({ length: n }, (_, k) => (n === 1 ? low : low + ((high - low) * k) / (n - 1)));
  const out = [];
  const rec = (prefix) => {
    if (prefix.length === N) { out.push(prefix); return; }
    for (const a of axis) rec([...prefix, a]);
  };
  rec([]);
  return out;
}

/** Starts for fixedPoints: grid on [−1.5, 1.5]^N, end points of 200 iterations, seeded randoms. */
export function defaultStarts(W, activation, { nGrid = 5, nRandom = 64, seed = 0 } = {}) {
  const N = W.length;
  const grid = mesh(nGrid, -1.5, 1.5, N, seed);
  const ends = iterate(W, mesh(3, 0.0, 1.0, N, seed), activation, 200)[200]
    .filter((x) => x.every(Number.isFinite))
    .map((x) => x.map((v) => Math.round(v * 1e9) / 1e9));
  const uniq = [...new Map(ends.map((x) => [x.join(","), x])).values()];
  const rnd = mulberry32(seed);
  const rand = Array.from({ length: nRandom }, () => Array.from({ length: N }, () => -1.5 + 3 * rnd()));
  return [...grid, ...uniq, ...rand];
}

// Damped Newton on F(x) = φ(W x) − x with flat arrays (no allocation per iteration).
function makeNewton(W, phi) {
  const N = W.length, Wf = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) Wf[i * N + j] = W[i][j];
  const z = new Float64Array(N), f = new Float64Array(N), fn = new Float64Array(N), xn = new Float64Array(N);
  const M = new Float64Array(N * (N + 1)), dx = new Float64Array(N);
  const evalF = (x, out) => { // returns max |F|
    let m = 0;
    for (let i = 0; i < N; i++) {
      let s = 0.0;
      for (let j = 0; j < N; j++) s += Wf[i * N + j] * x[j];
      z[i] = s;
      const v = phi.f(s) - x[i];
      out[i] = v;
      const a = Math.abs(v);
      if (!(a <= m)) m = a; // NaN propagates
    }
    return m;
  };
  const step = (x) => { // dx = J(x)⁻¹ F(x) with J = diag(φ'(z)) W − I; uses z, f from evalF(x, f)
    const R = N + 1;
    for (let i = 0; i < N; i++) {
      const d = phi.d(z[i]);
      for (let j = 0; j < N; j++) M[i * R + j] = d * Wf[i * N + j] - (i === j ? 1 : 0);
      M[i * R + N] = f[i];
    }
    for (let k = 0; k < N; k++) {
      let p = k;
      for (let i = k + 1; i < N; i++) if (Math.abs(M[i * R + k]) > Math.abs(M[p * R + k])) p = i;
      if (M[p * R + k] === 0) return false;
      if (p !== k) for (let j = k; j <= N; j++) { const t = M[k * R + j]; M[k * R + j] = M[p * R + j]; M[p * R + j] = t; }
      for (let i = k + 1; i < N; i++) {
        const c = M[i * R + k] / M[k * R + k];
        if (c !== 0) for (let j = k; j <= N; j++) M[i * R + j] -= c * M[k * R + j];
      }
    }
    for (let i = N - 1; i >= 0; i--) {
      let s = M[i * R + N];
      for (let j = i + 1; j < N; j++) s -= M[i * R + j] * dx[j];
      dx[i] = s / M[i * R + i];
      if (!Number.isFinite(dx[i])) return false;
    }
    return true;
  };
  return function newton(x0, tol) {
    const x = Float64Array.from(x0);
    let nf = evalF(x, f);
    for (let it = 0; it < 60 && nf > tol * 1e-2; it++) {
      if (!step(x)) break;
      let t = 1.0, accepted = false;
      for (let ls = 0; ls < 20; ls++) {
        for (let i = 0; i < N; i++) xn[i] = x[i] - t * dx[i];
        const nfn = evalF(xn, fn);
        if (nfn < nf) { x.set(xn); f.set(fn); nf = nfn; accepted = true; break; }
        t *= 0.5;
      }
      if (!accepted) break;
    }
    evalF(x, f);
    return nf <= tol ? Array.from(x) : null;
  };
}

/**
 * Fixed points of x ↦ φ(W x). Linear networks (shift 0) with a fixed subspace return
 * {continuum: fixedSubspace(W), points: []}; otherwise {continuum: null, points: [{x,
 * eigenvalues: [[re, im], …] sorted, stability}]} sorted lexicographically by x (rounded to 1e-6).
 * For relu/clip a point whose Jacobian has eigenvalue 1 is marked `onContinuum: true` (it lies on a
 * segment of fixed points in a linear region; Newton returns one point of it).
 */
export function fixedPoints(W, activation, { starts = null, tol = 1e-10, dedupeAtol = 1e-6, stabilityTol = 1e-6, seed = 0 } = {}) {
  W = checkW(W);
  const phi = getActivation(activation);
  const N = W.length;
  const I = (i, j) => (i === j ? 1 : 0);
  if (phi.name === "linear" && phi.shift === 0) {
    const sub = fixedSubspace(W);
    if (sub.dimension > 0) return { continuum: sub, points: [] };
    const x = new Array(N).fill(0);
    const eig = sortedEig(eigvals(jacobian(W, phi, x)));
    return { continuum: null, points: [{ x, eigenvalues: eig, stability: classify(eig, stabilityTol) }] };
  }
  const S = starts ?? defaultStarts(W, phi, { seed });
  const F = (x) => matvec(W, x).map((z, i) => phi.f(z) - x[i]);
  const J = (x) => jacobian(W, phi, x).map((r, i) => r.map((v, j) => v - I(i, j)));
  const newton = makeNewton(W, phi);
  const found = [];
  for (const x0 of S) {
    let x = newton(x0, tol);
    if (!x) continue;
    const best = x, fBest = maxAbs(F(best));
    for (let k = 0; k < 3; k++) { // polish, as dynamics.fixed_points does
      const dx = solve(J(x), F(x));
      if (!dx) break;
      x = x.map((v, i) => v - dx[i]);
    }
    found.push(x.every(Number.isFinite) && maxAbs(F(x)) <= fBest ? x : best);
  }
  const kept = [];
  for (const p of found) if (kept.every((q) => maxAbs(p.map((v, k) => v - q[k])) > dedupeAtol)) kept.push(p);
  const key = (p) => p.map((v) => Math.round(v * 1e6) / 1e6);
  kept.sort((a, b) => { const ka = key(a), kb = key(b); for (let k = 0; k < N; k++) if (ka[k] !== kb[k]) return ka[k] - kb[k]; return 0; });
  const points = kept.map((x) => {
    const eig = sortedEig(eigvals(jacobian(W, phi, x)));
    const pt = { x, eigenvalues: eig, stability: classify(eig, stabilityTol) };
    if ((phi.name === "relu" || phi.name === "clip") && eig.some(([r, i]) => Math.abs(r - 1) <= stabilityTol && Math.abs(i) <= stabilityTol)) pt.onContinuum = true;
    return pt;
  });
  return { continuum: null, points };
}

// ---------------------------------------------------------------------------------------------
// symmetry (symmetry.py), brute force over all N! permutations (fine for N ≤ 7)
// ---------------------------------------------------------------------------------------------

function permutations(n) {
  const out = [];
  const rec = (prefix, rest) => {
    if (!rest.length) { out.push(prefix); return; }
    rest.forEach((v, k) => rec([...prefix, v], [...rest.slice(0, k), ...rest.slice(k + 1)]));
  };
  rec([], Array.from({ length: n }, (_, k) => k));
  return out;
}

/** (s·x)_i = x_{s(i)} */
export const act = (s, x) => s.map((si) => x[si]);

/** 1-based cycle notation of a 0-based image list: "(2 3)", "e" for the identity. */
export function cycleNotation(s) {
  const seen = new Set(), cycles = [];
  for (let start = 0; start < s.length; start++) {
    if (seen.has(start)) continue;
    const cyc = [];
    let k = start;
    while (!seen.has(k)) { seen.add(k); cyc.push(k + 1); k = s[k]; }
    if (cyc.length > 1) cycles.push(`(${cyc.join(" ")})`);
  }
  return cycles.length ? cycles.join("") : "e";
}

/** Σ_X: every permutation s with {s·x : x ∈ X} = X, as 0-based image lists (identity first). */
export function sigmaX(X) {
  checkX(X);
  const N = X[0].length;
  if (N > 7) throw new Error(`sigmaX enumerates N! permutations; N = ${N} is too large (≤ 7)`);
  const items = new Set(X.map((x) => x.join("")));
  return permutations(N).filter((s) => X.every((x) => items.has(act(s, x).join(""))));
}

function unionFind(n) {
  const parent = Array.from({ length: n }, (_, k) => k);
  const find = (k) => { while (parent[k] !== k) { parent[k] = parent[parent[k]]; k = parent[k]; } return k; };
  return { find, union: (a, b) => { a = find(a); b = find(b); if (a !== b) parent[a] = b; } };
}

/** Orbits of the items of X under Σ_X: lists of items, each sorted, ordered by first item. */
export function itemOrbits(X, group = null) {
  const G = group ?? sigmaX(X);
  const index = new Map(X.map((x, k) => [x.join(""), k]));
  const uf = unionFind(X.length);
  for (const s of G) X.forEach((x, k) => uf.union(k, index.get(act(s, x).join(""))));
  const classes = new Map();
  X.forEach((x, k) => { const r = uf.find(k); if (!classes.has(r)) classes.set(r, []); classes.get(r).push(x.slice()); });
  const cmp = (a, b) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]; return 0; };
  return [...classes.values()].map((c) => c.sort(cmp)).sort((a, b) => cmp(a[0], b[0]));
}

/** Orbits of the unit indices 0..N−1 under Σ_X. */
export function indexOrbits(X, group = null) {
  const G = group ?? sigmaX(X);
  const N = X[0].length;
  const uf = unionFind(N);
  for (const s of G) for (let i = 0; i < N; i++) uf.union(i, s[i]);
  const classes = new Map();
  for (let i = 0; i < N; i++) { const r = uf.find(i); if (!classes.has(r)) classes.set(r, []); classes.get(r).push(i); }
  return [...classes.values()].sort((a, b) => a[0] - b[0]);
}

/** Orbit label of each weight (i, j) under (i, j) ↦ (s(i), s(j)): N×N integer matrix, 0-based
 *  in order of each orbit's first pair (row-major) — invariant_basis's order. */
export function weightOrbits(X, group = null) {
  const G = group ?? sigmaX(X);
  const N = X[0].length;
  const uf = unionFind(N * N);
  for (const s of G) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) uf.union(i * N + j, s[i] * N + s[j]);
  const label = new Map();
  return Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => {
    const r = uf.find(i * N + j);
    if (!label.has(r)) label.set(r, label.size);
    return label.get(r);
  }));
}

/** Binary patterns in the real span of X (training items excluded unless asked), lexicographic. */
export function spanPatterns(X, { includeTraining = false, atol = 1e-9 } = {}) {
  checkX(X);
  const N = X[0].length;
  const basis = [];
  for (const x of X) { // modified Gram–Schmidt with a rank tolerance
    let v = x.map(Number);
    for (const q of basis) { const c = v.reduce((s, t, k) => s + t * q[k], 0); v = v.map((t, k) => t - c * q[k]); }
    const nv = Math.hypot(...v);
    if (nv > 1e-10) basis.push(v.map((t) => t / nv));
  }
  const train = new Set(X.map((x) => x.join("")));
  return allPatterns(N).filter((p) => {
    let r = p.slice();
    for (const q of basis) { const c = p.reduce((s, t, k) => s + t * q[k], 0); r = r.map((t, k) => t - c * q[k]); }
    return maxAbs(r) <= atol && (includeTraining || !train.has(p.join("")));
  });
}

/** Binary patterns not in X that every element of Σ_X fixes (constant on each index orbit). */
export function symmetryConsistentPatterns(X) {
  const G = sigmaX(X);
  const train = new Set(X.map((x) => x.join("")));
  return allPatterns(X[0].length).filter((p) => G.every((s) => act(s, p).join("") === p.join("")) && !train.has(p.join("")));
}
