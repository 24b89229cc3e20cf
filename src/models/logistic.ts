// L2-regularised logistic regression by Newton's method (IRLS): the features are few (WOE columns), so
// the (p+1)² Hessian solve is cheap and convergence takes a handful of iterations. Penalty 0.5·λ·|β|²
// leaves the intercept unpenalised.

export interface LogisticOptions {
  /** L2 strength per row-sum of loss (λ in 0.5·λ·|β|²). Default 1e-4 × rows. */
  l2?: number;
  maxIter?: number;
  tol?: number;
}

export interface LogisticFit {
  intercept: number;
  coefficients: number[];
  iterations: number;
  converged: boolean;
  /** Max |gradient| at the end (on the penalised loss). */
  gradientNorm: number;
  /** -2·log-likelihood + 2·(p+1), for stepwise selection. */
  aic: number;
  logLikelihood: number;
}

/** Solves A x = b in place for a symmetric positive-definite A (Cholesky); returns null if singular. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (s <= 1e-12) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j]!;
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * z[k]!;
    z[i] = s / L[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Fits on column-major features `cols` (each length n) and labels y. */
export function fitLogistic(cols: Float64Array[], y: ArrayLike<number>, options: LogisticOptions = {}): LogisticFit {
  const n = y.length;
  const p = cols.length;
  const d = p + 1;
  const l2 = options.l2 ?? 1e-4 * n;
  const maxIter = options.maxIter ?? 50;
  const tol = options.tol ?? 1e-8;
  const beta = new Float64Array(d);
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i]!;
  ybar /= n;
  beta[0] = Math.log(Math.max(ybar, 1e-9) / Math.max(1 - ybar, 1e-9));
  const eta = new Float64Array(n);
  const H = new Float64Array(d * d);
  const g = new Float64Array(d);
  let iterations = 0;
  let converged = false;
  let gradNorm = Infinity;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    for (let i = 0; i < n; i++) {
      let e = beta[0]!;
      for (let j = 0; j < p; j++) e += beta[j + 1]! * cols[j]![i]!;
      eta[i] = e;
    }
    H.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const pr = 1 / (1 + Math.exp(-eta[i]!));
      const r = pr - y[i]!;
      const w = pr * (1 - pr);
      g[0] = g[0]! + r;
      H[0] = H[0]! + w;
      for (let j = 0; j < p; j++) {
        const xj = cols[j]![i]!;
        g[j + 1] = g[j + 1]! + r * xj;
        H[j + 1] = H[j + 1]! + w * xj;
        const row = (j + 1) * d;
        for (let k = 0; k <= j; k++) H[row + k + 1] = H[row + k + 1]! + w * xj * cols[k]![i]!;
      }
    }
    for (let j = 1; j < d; j++) {
      g[j] = g[j]! + l2 * beta[j]!;
      H[j * d + j] = H[j * d + j]! + l2;
      H[j * d] = H[j]!;
      for (let k = 1; k < j; k++) H[k * d + j] = H[j * d + k]!;
    }
    gradNorm = 0;
    for (let j = 0; j < d; j++) gradNorm = Math.max(gradNorm, Math.abs(g[j]!) / n);
    if (gradNorm < tol) {
      converged = true;
      break;
    }
    const step = solveSpd(H, g, d);
    if (!step) break;
    let maxStep = 0;
    for (let j = 0; j < d; j++) {
      beta[j] = beta[j]! - step[j]!;
      maxStep = Math.max(maxStep, Math.abs(step[j]!));
    }
    if (maxStep < tol) {
      converged = true;
      break;
    }
  }
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let e = beta[0]!;
    for (let j = 0; j < p; j++) e += beta[j + 1]! * cols[j]![i]!;
    // log(1+exp(e)) computed stably
    const lse = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    ll += y[i]! * e - lse;
  }
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), iterations, converged, gradientNorm: gradNorm, aic: -2 * ll + 2 * d, logLikelihood: ll };
}
