//! Small unconstrained minimisers for the model fits (a handful of parameters, smooth
//! objectives): BFGS with a backtracking (Armijo) line search, Nelder–Mead as a fallback,
//! and [`minimize`] which runs BFGS from several starts, falls back to Nelder–Mead when no
//! start converges, and always returns its best point with a diagnostic.
//!
//! Algorithms as described in Nocedal & Wright, *Numerical Optimization* (2nd ed.):
//! BFGS inverse-Hessian update (eq. 6.17) with the initial scaling of eq. 6.20; Nelder–Mead
//! with the standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½).

use crate::stats::dot;

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub x: Vec<f64>,
    pub f: f64,
    /// Largest absolute gradient component at `x`.
    pub grad_norm: f64,
    /// Iterations over all stages (BFGS iterations and Nelder–Mead steps).
    pub iterations: usize,
    /// Objective evaluations over all stages.
    pub evaluations: usize,
    pub converged: bool,
    /// How the result was reached, and why it is not converged if it is not.
    pub message: String,
    /// BFGS's last inverse-Hessian approximation (row-major n × n; empty for Nelder–Mead).
    pub inverse_hessian: Vec<f64>,
    /// Stopped because coordinates of [`Settings::bounded`] ran off past [`RUNAWAY`].
    pub at_bound: bool,
}

/// Stopping rules.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Converged when every gradient component is at most this.
    pub gtol: f64,
    pub max_iter: usize,
    /// Largest change of any coordinate in one step (the coordinates are log-parameters).
    pub max_step: f64,
    /// Bit k set: coordinate k (a log-parameter) is watched for a run-off. A likelihood with no
    /// interior maximum (data the model cannot identify) keeps rising as parameters run to 0
    /// or ∞, ever more slowly: BFGS then spends hundreds of evaluations, and Nelder–Mead
    /// thousands, on the way. BFGS stops ([`Outcome::at_bound`]) after two steps in a row that
    /// move a watched coordinate further out past ±[`RUNAWAY`] and improve the objective by
    /// less than 1e-6 of it, and the fallbacks are skipped.
    pub bounded: u32,
}

/// |log-parameter| past which a watched coordinate counts as running off: e^13.8 ≈ 10^6, past
/// the limits at which `validity` calls a fit degenerate (10^4, α 10^5), so a fit stopped
/// there is flagged `FIT_AT_BOUND`.
pub const RUNAWAY: f64 = 13.8;

impl Default for Settings {
    fn default() -> Self {
        Settings { gtol: 1e-9, max_iter: 500, max_step: 3.0, bounded: 0 }
    }
}

fn inf_norm(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

fn identity(n: usize) -> Vec<f64> {
    (0..n * n).map(|k| if k / n == k % n { 1.0 } else { 0.0 }).collect()
}

/// BFGS from `x0`. `f(x, grad)` returns the objective and writes its gradient; a non-finite
/// value means "outside the domain" and makes the line search step back.
pub fn bfgs<F: FnMut(&[f64], &mut [f64]) -> f64>(f: F, x0: &[f64], s: Settings) -> Outcome {
    bfgs_from(f, x0, None, s)
}

/// [`bfgs`] starting from a given inverse-Hessian approximation `h0` (row-major n × n, e.g.
/// the one a fit of a similar objective ended with) instead of a scaled identity.
pub fn bfgs_from<F: FnMut(&[f64], &mut [f64]) -> f64>(
    mut f: F,
    x0: &[f64],
    h0: Option<&[f64]>,
    s: Settings,
) -> Outcome {
    bfgs_dyn(&mut f, x0, h0, s)
}

/// The objective behind a `dyn` pointer: one copy of each optimiser in the wasm, whatever
/// the model (the call through the pointer costs nothing next to an evaluation).
type Objective<'a> = dyn FnMut(&[f64], &mut [f64]) -> f64 + 'a;

fn bfgs_dyn(f: &mut Objective, x0: &[f64], h0: Option<&[f64]>, s: Settings) -> Outcome {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut evals = 1;
    let out =
        |x: Vec<f64>, f: f64, g: &[f64], it: usize, evaluations: usize, converged: bool, msg: String, h: &[f64]| {
            Outcome {
                x,
                f,
                grad_norm: inf_norm(g),
                iterations: it,
                evaluations,
                converged,
                message: msg,
                inverse_hessian: h.to_vec(),
                at_bound: false,
            }
        };
    if !fx.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return out(x, fx, &g, 0, evals, false, "BFGS: objective not finite at the start".into(), &[]);
    }
    let given = h0.filter(|h| h.len() == n * n && h.iter().all(|v| v.is_finite()));
    let mut h = given.map(<[f64]>::to_vec).unwrap_or_else(|| identity(n));
    // H is the identity (start, or reset): scale it at the next update (N&W eq. 6.20).
    let mut fresh = given.is_none();
    // g·H·g with the last quasi-Newton H: twice the decrease a Newton step would still give.
    let mut decrement = f64::INFINITY;
    let (mut xn, mut gn, mut p) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    // Steps in a row that ran off (see `Settings::bounded`).
    let mut off = 0;
    for it in 0..s.max_iter {
        if inf_norm(&g) <= s.gtol {
            return out(x, fx, &g, it, evals, true, format!("BFGS converged in {it} iterations"), &h);
        }
        for i in 0..n {
            p[i] = -(0..n).map(|j| h[i * n + j] * g[j]).sum::<f64>();
        }
        let mut slope = dot(&g, &p);
        if slope >= 0.0 || !slope.is_finite() {
            (h, fresh) = (identity(n), true);
            p.iter_mut().zip(&g).for_each(|(pi, gi)| *pi = -gi);
            slope = dot(&g, &p);
        } else if !fresh {
            decrement = -slope;
        }
        let mut step = (s.max_step / inf_norm(&p)).min(1.0);
        let mut accepted = None;
        for _ in 0..40 {
            xn.iter_mut().zip(x.iter().zip(&p)).for_each(|(xi, (x0, pi))| *xi = x0 + step * pi);
            let fnew = f(&xn, &mut gn);
            evals += 1;
            if fnew.is_finite() && gn.iter().all(|v| v.is_finite()) {
                // Armijo's sufficient decrease (a strict decrease: below the rounding error of
                // f the test is void); or, once decreases are lost in rounding, no significant
                // increase and a smaller directional derivative (the approximate Wolfe
                // condition of Hager & Zhang 2005), so the gradient can still be driven to 0.
                let armijo = fnew < fx && fnew <= fx + 1e-4 * step * slope;
                let flat = fnew <= fx + 1e-14 * (1.0 + fx.abs()) && dot(&gn, &p).abs() <= 0.9 * slope.abs();
                if armijo || flat {
                    accepted = Some(fnew);
                    break;
                }
            }
            step *= 0.5;
            if step * inf_norm(&p) < 1e-13 * (1.0 + inf_norm(&x)) {
                break; // x would not change beyond rounding
            }
        }
        let Some(fnew) = accepted else {
            // No step helps. Retry once along the steepest descent; then stop, converged if
            // what a Newton step could still gain is below the rounding error of f.
            if !fresh {
                (h, fresh) = (identity(n), true);
                continue;
            }
            let floor = 1e-12 * (1.0 + fx.abs());
            let converged = inf_norm(&g) <= 1e-6 && decrement <= floor;
            let msg = if converged {
                format!(
                    "BFGS converged in {it} iterations to the rounding-error floor (gradient {:.1e}, remaining \
                     decrease about {:.1e})",
                    inf_norm(&g),
                    decrement / 2.0
                )
            } else {
                format!("BFGS stopped after {it} iterations: the line search found no decrease")
            };
            return out(x, fx, &g, it, evals, converged, msg, &h);
        };
        let out_past = (0..n).any(|k| s.bounded >> k & 1 == 1 && xn[k].abs() > RUNAWAY && xn[k].abs() > x[k].abs());
        off = if out_past && fx - fnew <= 1e-6 * (1.0 + fx.abs()) { off + 1 } else { 0 };
        if off == 2 {
            let msg = format!("BFGS stopped after {} iterations: the parameters run off to a bound", it + 1);
            return Outcome { at_bound: true, ..out(xn, fnew, &gn, it + 1, evals, false, msg, &h) };
        }
        let sv: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&sv, &yv);
        if sy > 1e-12 * dot(&sv, &sv).sqrt() * dot(&yv, &yv).sqrt() {
            if fresh {
                let scale = sy / dot(&yv, &yv);
                h.iter_mut().for_each(|v| *v *= scale);
                fresh = false;
            }
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n).map(|i| (0..n).map(|j| h[i * n + j] * yv[j]).sum()).collect();
            let yhy = dot(&yv, &hy);
            for i in 0..n {
                for j in 0..n {
                    h[i * n + j] += -rho * (hy[i] * sv[j] + sv[i] * hy[j]) + (rho * rho * yhy + rho) * sv[i] * sv[j];
                }
            }
        }
        std::mem::swap(&mut x, &mut xn);
        std::mem::swap(&mut g, &mut gn);
        fx = fnew;
    }
    let msg = format!("BFGS reached the iteration limit ({})", s.max_iter);
    out(x, fx, &g, s.max_iter, evals, false, msg, &h)
}

/// Nelder–Mead from `x0` with an initial simplex of side `side`; a non-finite value counts as
/// +∞. Stops when the values at the simplex vertices agree to `ftol` (relative) or after
/// `max_iter` steps. Returns the best vertex (the gradient is left for the caller).
pub fn nelder_mead<F: FnMut(&[f64]) -> f64>(mut f: F, x0: &[f64], side: f64, ftol: f64, max_iter: usize) -> Outcome {
    nelder_mead_dyn(&mut f, x0, side, ftol, max_iter)
}

fn nelder_mead_dyn(f: &mut dyn FnMut(&[f64]) -> f64, x0: &[f64], side: f64, ftol: f64, max_iter: usize) -> Outcome {
    let n = x0.len();
    if n == 0 {
        let (f0, message) = (f(x0), "Nelder-Mead: nothing to optimise".to_string());
        return Outcome {
            x: Vec::new(),
            f: f0,
            grad_norm: 0.0,
            iterations: 0,
            evaluations: 1,
            converged: true,
            message,
            inverse_hessian: Vec::new(),
            at_bound: false,
        };
    }
    let mut eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut pts: Vec<Vec<f64>> = vec![x0.to_vec()];
    for i in 0..n {
        let mut p = x0.to_vec();
        p[i] += side;
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| eval(p)).collect();
    let mut evals = n + 1;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter {
        let order = crate::sort::permutation(n + 1, &|i, j| vals[i].total_cmp(&vals[j]));
        pts = order.iter().map(|&i| pts[i as usize].clone()).collect();
        vals = order.iter().map(|&i| vals[i as usize]).collect();
        if vals[0].is_finite() && (vals[n] - vals[0]).abs() <= ftol * (1.0 + vals[0].abs()) {
            converged = true;
            break;
        }
        iterations += 1;
        let centroid: Vec<f64> = (0..n).map(|k| pts[..n].iter().map(|p| p[k]).sum::<f64>() / n as f64).collect();
        let along = |t: f64| -> Vec<f64> { (0..n).map(|k| centroid[k] + t * (pts[n][k] - centroid[k])).collect() };
        let xr = along(-1.0);
        let fr = eval(&xr);
        evals += 1;
        if fr < vals[0] {
            let xe = along(-2.0);
            let fe = eval(&xe);
            evals += 1;
            (pts[n], vals[n]) = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < vals[n - 1] {
            (pts[n], vals[n]) = (xr, fr);
        } else {
            let t = if fr < vals[n] { -0.5 } else { 0.5 };
            let xc = along(t);
            let fc = eval(&xc);
            evals += 1;
            if fc < vals[n].min(fr) {
                (pts[n], vals[n]) = (xc, fc);
            } else {
                for i in 1..=n {
                    pts[i] = (0..n).map(|k| pts[0][k] + 0.5 * (pts[i][k] - pts[0][k])).collect();
                    vals[i] = eval(&pts[i]);
                }
                evals += n;
            }
        }
    }
    let best = (0..=n).min_by(|&i, &j| vals[i].total_cmp(&vals[j])).unwrap_or(0);
    let message = if converged {
        format!("Nelder-Mead converged in {iterations} steps")
    } else {
        format!("Nelder-Mead reached the step limit ({max_iter})")
    };
    Outcome {
        x: pts[best].clone(),
        f: vals[best],
        grad_norm: f64::NAN,
        iterations,
        evaluations: evals,
        converged,
        message,
        inverse_hessian: Vec::new(),
        at_bound: false,
    }
}

/// BFGS from every start; the best result wins. If none converged, Nelder–Mead from the best
/// point, then BFGS again from where it ended. The outcome is the lowest objective seen, with
/// `converged` true only if its gradient meets `gtol`.
pub fn minimize<F: FnMut(&[f64], &mut [f64]) -> f64>(mut f: F, starts: &[Vec<f64>], s: Settings) -> Outcome {
    minimize_dyn(&mut f, starts, s)
}

fn minimize_dyn(f: &mut Objective, starts: &[Vec<f64>], s: Settings) -> Outcome {
    let mut best: Option<Outcome> = None;
    let (mut iterations, mut evaluations) = (0, 0);
    fn keep(o: Outcome, best: &mut Option<Outcome>) {
        let better = match best {
            None => true,
            Some(b) if o.f.is_finite() && (!b.f.is_finite() || o.f < b.f) => true,
            Some(b) => o.converged && !b.converged && o.f <= b.f,
        };
        if better {
            *best = Some(o);
        }
    }
    for x0 in starts {
        let o = bfgs_dyn(f, x0, None, s);
        iterations += o.iterations;
        evaluations += o.evaluations;
        keep(o, &mut best);
    }
    let mut note = String::new();
    // No fallback for a run-off: Nelder–Mead would follow it for thousands of steps.
    if !best.as_ref().is_some_and(|b| b.converged || b.at_bound) {
        let from = best.as_ref().filter(|b| b.f.is_finite()).map(|b| b.x.clone()).or_else(|| starts.first().cloned());
        if let Some(x0) = from {
            let mut scratch = vec![0.0; x0.len()];
            let nm = nelder_mead(|x| f(x, &mut scratch), &x0, 0.5, 1e-14, 4000);
            iterations += nm.iterations;
            evaluations += nm.evaluations;
            note = format!("; fallback: {}", nm.message);
            let polished = bfgs_dyn(f, &nm.x, None, s);
            iterations += polished.iterations;
            evaluations += polished.evaluations;
            keep(polished, &mut best);
        }
    }
    match best {
        Some(mut b) => {
            b.iterations = iterations;
            b.evaluations = evaluations;
            if starts.len() > 1 {
                b.message.push_str(&format!(" (best of {} starts)", starts.len()));
            }
            b.message.push_str(&note);
            b
        }
        None => Outcome {
            x: Vec::new(),
            f: f64::NAN,
            grad_norm: f64::NAN,
            iterations,
            evaluations,
            converged: false,
            message: "no starting point given".into(),
            inverse_hessian: Vec::new(),
            at_bound: false,
        },
    }
}

/// BFGS iterations every start gets on the sample before all but the best are dropped.
const SCREEN_ITERATIONS: usize = 6;
/// Gradient tolerance on the sample: its optimum is itself off the full one by the sampling
/// error, far above this, so converging it further only costs evaluations (the refinement on
/// the full objective keeps the caller's tolerance).
const SCREEN_GTOL: f64 = 1e-6;

/// The sample phase of [`minimize_screened`]: every start runs [`SCREEN_ITERATIONS`] BFGS
/// iterations, the one with the lowest objective carries on (with its inverse Hessian) to
/// convergence. If it does not converge, every start runs to the end ([`minimize_dyn`]).
fn screen(sample: &mut Objective, starts: &[Vec<f64>], s: Settings) -> Outcome {
    let s = Settings { gtol: s.gtol.max(SCREEN_GTOL), ..s };
    let short = Settings { max_iter: SCREEN_ITERATIONS, ..s };
    let (mut iterations, mut evaluations) = (0, 0);
    let mut lead: Option<Outcome> = None;
    for x0 in starts {
        let o = bfgs_dyn(sample, x0, None, short);
        iterations += o.iterations;
        evaluations += o.evaluations;
        if o.f.is_finite() && lead.as_ref().is_none_or(|b| o.f < b.f) {
            lead = Some(o);
        }
    }
    let mut o = match lead {
        // Its iterations are counted above already.
        Some(l) if l.converged => Outcome { iterations: 0, evaluations: 0, ..l },
        Some(l) => {
            let carried = bfgs_dyn(sample, &l.x, Some(&l.inverse_hessian), s);
            if carried.converged {
                carried
            } else {
                iterations += carried.iterations;
                evaluations += carried.evaluations;
                minimize_dyn(sample, starts, s)
            }
        }
        None => minimize_dyn(sample, starts, s),
    };
    o.iterations += iterations;
    o.evaluations += evaluations;
    o
}

/// [`minimize`] for objectives over many customers: the starting points are screened on
/// `sample` (the same objective over a systematic sample of the customers, much cheaper; see
/// [`screen`]), and only the best of them is refined on the `full` objective. When that refinement does not
/// converge, the full multi-start runs as well, so the result is never worse than
/// [`minimize`]'s. Without a sample this is [`minimize`].
pub fn minimize_screened<F, G>(mut full: F, sample: Option<G>, starts: &[Vec<f64>], s: Settings) -> Outcome
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
    G: FnMut(&[f64], &mut [f64]) -> f64,
{
    let Some(mut sample) = sample else {
        return minimize_dyn(&mut full, starts, s);
    };
    let screened = screen(&mut sample, starts, s);
    if screened.x.is_empty() || screened.x.iter().any(|v| !v.is_finite()) {
        return minimize_dyn(&mut full, starts, s);
    }
    let mut o = bfgs_dyn(&mut full, &screened.x, Some(&screened.inverse_hessian), s);
    // A run-off from the sample's best point is not retried from every start: the sample's
    // starts led there already.
    if !o.converged && !o.at_bound {
        let mut all = vec![screened.x.clone()];
        all.extend(starts.iter().cloned());
        let again = minimize_dyn(&mut full, &all, s);
        o = Outcome {
            iterations: o.iterations + again.iterations,
            evaluations: o.evaluations + again.evaluations,
            message: format!("{}; after a refinement that did not converge", again.message),
            ..again
        };
    } else {
        o.message.push_str(&format!(" (starting from the best of {} starts on a sample)", starts.len()));
    }
    o.iterations += screened.iterations;
    o.evaluations += screened.evaluations;
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's banana: minimum 0 at (1, 1).
    fn rosen(x: &[f64], g: &mut [f64]) -> f64 {
        let (a, b) = (x[0], x[1]);
        g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
        g[1] = 200.0 * (b - a * a);
        (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
    }

    #[test]
    fn screening_on_a_surrogate_still_finds_the_full_minimum() {
        // The surrogate's minimum is off by 5%; the refinement on the full objective, started
        // from the surrogate's point and inverse Hessian, must still land on (1, 1).
        let surrogate = |x: &[f64], g: &mut [f64]| {
            let f = rosen(&[x[0] * 1.05, x[1] * 1.05], g);
            g.iter_mut().for_each(|v| *v *= 1.05);
            f
        };
        let starts = vec![vec![-1.2, 1.0], vec![2.0, 2.0]];
        let s = Settings { max_iter: 2000, ..Settings::default() };
        let o = minimize_screened(rosen, Some(surrogate), &starts, s);
        assert!(o.converged, "{o:?}");
        assert!((o.x[0] - 1.0).abs() < 1e-6 && (o.x[1] - 1.0).abs() < 1e-6, "{o:?}");
        assert!(o.message.contains("on a sample"), "{}", o.message);
        let plain = minimize(rosen, &starts, s);
        assert!((plain.x[0] - o.x[0]).abs() < 1e-6);
    }

    #[test]
    fn bfgs_solves_rosenbrock() {
        let o = bfgs(rosen, &[-1.2, 1.0], Settings { max_iter: 2000, ..Settings::default() });
        assert!(o.converged, "{o:?}");
        assert!((o.x[0] - 1.0).abs() < 1e-6 && (o.x[1] - 1.0).abs() < 1e-6, "{o:?}");
    }

    #[test]
    fn nelder_mead_solves_rosenbrock() {
        let mut g = [0.0; 2];
        let o = nelder_mead(|x| rosen(x, &mut g), &[-1.2, 1.0], 0.5, 1e-15, 5000);
        assert!(o.converged, "{o:?}");
        assert!((o.x[0] - 1.0).abs() < 1e-4 && (o.x[1] - 1.0).abs() < 1e-4, "{o:?}");
    }

    #[test]
    fn minimize_survives_a_start_outside_the_domain() {
        // ln is undefined below 0: the first start is not finite, the second is.
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 1.0 - 1.0 / x[0];
            x[0] - x[0].ln()
        };
        let o = minimize(f, &[vec![-1.0], vec![3.0]], Settings::default());
        assert!(o.converged, "{o:?}");
        assert!((o.x[0] - 1.0).abs() < 1e-8);
    }

    #[test]
    fn a_run_off_stops_early_without_the_fallback() {
        // Falls ever more slowly towards its infimum 0 as x₀ → ∞: no minimum to converge to.
        let f = |x: &[f64], g: &mut [f64]| {
            let e = (-x[0]).exp();
            (g[0], g[1]) = (-e, 2.0 * (x[1] - 1.0));
            e + (x[1] - 1.0).powi(2)
        };
        let o = minimize(f, &[vec![0.0, 0.0], vec![2.0, -1.0]], Settings { bounded: 0b01, ..Settings::default() });
        assert!(o.at_bound && !o.converged && o.x[0] > RUNAWAY, "{o:?}");
        assert!((o.x[1] - 1.0).abs() < 1e-3 && o.evaluations < 60, "{o:?}");
        assert!(o.message.contains("run off to a bound") && !o.message.contains("Nelder"), "{}", o.message);
        // Unwatched, the same run goes on until the gradient is below `gtol`.
        let plain = minimize(f, &[vec![0.0, 0.0], vec![2.0, -1.0]], Settings::default());
        assert!(!plain.at_bound && plain.evaluations > o.evaluations, "{plain:?}");
    }

    #[test]
    fn minimize_reports_failure_with_best_point() {
        // Unbounded below: never converges, but returns a finite best point and says why.
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = -1.0;
            -x[0]
        };
        let o = minimize(f, &[vec![0.0]], Settings { max_iter: 20, ..Settings::default() });
        assert!(!o.converged);
        assert!(o.f.is_finite() && o.x[0] > 0.0);
        assert!(!o.message.is_empty());
    }
}
