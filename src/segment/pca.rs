//! The 2-D projection for plotting: principal components of the d × d covariance matrix,
//! found with cyclic Jacobi rotations (exact for the small d of segmentation features).

/// Eigenvalues (descending) and eigenvectors (columns of a row-major d × d matrix) of a
/// symmetric matrix, by cyclic Jacobi rotations.
pub fn symmetric_eigen(a: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut m = a.to_vec();
    let mut v = vec![0.0; d * d];
    (0..d).for_each(|i| v[i * d + i] = 1.0);
    let norm: f64 = m.iter().map(|x| x * x).sum::<f64>();
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * d + j].powi(2))
            .sum();
        if off <= 1e-30 * norm || off == 0.0 {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = m[p * d + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (m[q * d + q] - m[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..d {
                    let (mrp, mrq) = (m[r * d + p], m[r * d + q]);
                    m[r * d + p] = c * mrp - s * mrq;
                    m[r * d + q] = s * mrp + c * mrq;
                }
                for r in 0..d {
                    let (mpr, mqr) = (m[p * d + r], m[q * d + r]);
                    m[p * d + r] = c * mpr - s * mqr;
                    m[q * d + r] = s * mpr + c * mqr;
                }
                for r in 0..d {
                    let (vrp, vrq) = (v[r * d + p], v[r * d + q]);
                    v[r * d + p] = c * vrp - s * vrq;
                    v[r * d + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..d).collect();
    crate::sort::by(&mut order, &|&a, &b| m[b * d + b].total_cmp(&m[a * d + a]).then(a.cmp(&b)));
    let values = order.iter().map(|&i| m[i * d + i]).collect();
    let mut vectors = vec![0.0; d * d];
    for (c, &i) in order.iter().enumerate() {
        for r in 0..d {
            vectors[r * d + c] = v[r * d + i];
        }
    }
    (values, vectors)
}

/// The rows projected on the first two principal components (`n × 2`, row-major) and the
/// share of variance each explains. Component signs are fixed (largest loading positive) so
/// the picture is reproducible. With d = 1 the second coordinate is 0.
pub fn project_2d(x: &[f64], n: usize, d: usize) -> (Vec<f64>, [f64; 2]) {
    let mut out = vec![0.0; n * 2];
    if n == 0 || d == 0 {
        return (out, [0.0, 0.0]);
    }
    let mut mean = vec![0.0; d];
    for i in 0..n {
        for t in 0..d {
            mean[t] += x[i * d + t];
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut cov = vec![0.0; d * d];
    let mut c = vec![0.0; d];
    for i in 0..n {
        for t in 0..d {
            c[t] = x[i * d + t] - mean[t];
        }
        for a in 0..d {
            let ca = c[a];
            for b in a..d {
                cov[a * d + b] += ca * c[b];
            }
        }
    }
    for a in 0..d {
        for b in a..d {
            cov[a * d + b] /= n as f64;
            cov[b * d + a] = cov[a * d + b];
        }
    }
    let (values, vectors) = symmetric_eigen(&cov, d);
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let comps = d.min(2);
    let mut w = vec![[0.0; 2]; d];
    let mut explained = [0.0; 2];
    for c in 0..comps {
        let col: Vec<f64> = (0..d).map(|r| vectors[r * d + c]).collect();
        let big = col.iter().copied().fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
        let sign = if big < 0.0 { -1.0 } else { 1.0 };
        for r in 0..d {
            w[r][c] = sign * col[r];
        }
        explained[c] = if total > 0.0 { values[c].max(0.0) / total } else { 0.0 };
    }
    for i in 0..n {
        let (mut p0, mut p1) = (0.0, 0.0);
        for t in 0..d {
            let v = x[i * d + t] - mean[t];
            p0 += v * w[t][0];
            p1 += v * w[t][1];
        }
        out[2 * i] = p0;
        out[2 * i + 1] = p1;
    }
    (out, explained)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_a_known_matrix_and_projection_variance() {
        // [[2,1],[1,2]]: eigenvalues 3 and 1, vectors (1,1)/√2 and (1,−1)/√2.
        let (vals, vecs) = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2);
        assert!((vals[0] - 3.0).abs() < 1e-12 && (vals[1] - 1.0).abs() < 1e-12);
        assert!((vecs[0].abs() - 0.5f64.sqrt()).abs() < 1e-12);
        // Points on a line y = 2x: the first component carries all the variance.
        let x: Vec<f64> = (0..50).flat_map(|i| [i as f64, 2.0 * i as f64]).collect();
        let (p, explained) = project_2d(&x, 50, 2);
        assert!((explained[0] - 1.0).abs() < 1e-12);
        assert!(p.iter().skip(1).step_by(2).all(|v| v.abs() < 1e-9));
        assert!(p[2] > p[0], "sign fixed: increasing along the line");
    }
}
