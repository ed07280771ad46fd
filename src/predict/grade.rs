//! The grade (A / B / C) and what the numbers mean for a campaign, in plain words.

use super::model::Quality;
use super::target::Target;

/// Grade and explanation from the out-of-fold quality.
pub fn grade(q: &Quality, classify: bool, t: &Target) -> (&'static str, String) {
    if !classify {
        let r2 = q.r2.unwrap_or(0.0);
        let g = if r2 >= 0.5 {
            "A"
        } else if r2 >= 0.2 {
            "B"
        } else {
            "C"
        };
        let (rmse, base) = (q.rmse.unwrap_or(0.0), q.baseline.rmse.unwrap_or(0.0));
        let text = format!(
            "Out of fold the model explains {:.0}% of the variation (R² {r2:.3}); its typical error is {rmse:.4}, \
             against {base:.4} when always guessing the average. {}",
            r2.max(0.0) * 100.0,
            match g {
                "A" => "Good enough to rank and budget by.",
                "B" => "Useful for ranking; individual predictions are rough.",
                _ => "Barely better than the average: do not act on single predictions.",
            }
        );
        return (g, text);
    }
    let auc = q.auc.unwrap_or(0.5);
    let positive = t.positive.as_deref().unwrap_or("positive");
    let g = if auc >= 0.8 {
        "A"
    } else if auc >= 0.7 {
        "B"
    } else {
        "C"
    };
    // Share of positives found in the top 20% (deciles 1–2).
    let top20 = q.lift.get(1).map_or(0.0, |d| d.cumulative_gain);
    let top10_lift = q.lift.first().map_or(1.0, |d| d.lift);
    let text = format!(
        "Out of fold the model ranks a random {positive:?} customer above a random other one {:.0}% of the time \
         (AUC {auc:.3}; 50% is guessing). Contacting the top 20% by score finds {:.0}% of the {positive:?} customers \
         (20% at random); the top 10% hold {top10_lift:.1}× the average rate ({:.1}%). {}",
        auc * 100.0,
        top20 * 100.0,
        q.baseline.rate * 100.0,
        match g {
            "A" => "Strong enough to target campaigns with.",
            "B" => "Useful for prioritising; expect many false alarms at any threshold.",
            _ => "Weak: the columns say little about the target; treat scores as hints only.",
        }
    );
    (g, text)
}
