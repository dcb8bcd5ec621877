//! Scoring arithmetic shared by every `eval` command, so that all of them
//! count the way `../shared/eval/ngrun.py` does.

/// Precision, recall and F1 in percent (0 where undefined).
pub fn prf(correct: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
    let p = if pred > 0 { correct as f64 / pred as f64 } else { 0.0 };
    let r = if gold > 0 { correct as f64 / gold as f64 } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    (100.0 * p, 100.0 * r, 100.0 * f)
}

/// One-to-one greedy matching of `(start, end)` spans, gold in order, each
/// taking the first unused prediction that equals it (`strict`) or overlaps
/// it; returns the (gold, pred) index pairs.
pub fn matching(gold: &[(usize, usize)], pred: &[(usize, usize)], strict: bool) -> Vec<(usize, usize)> {
    let mut used = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let hit = pred
            .iter()
            .enumerate()
            .position(|(pi, p)| !used[pi] && if strict { g == p } else { g.0 < p.1 && p.0 < g.1 });
        if let Some(pi) = hit {
            pairs.push((gi, pi));
            used[pi] = true;
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TempEval-3 matching is one-to-one in gold order: a predicted span
    /// serves one gold span only, and relaxed matching takes any overlap.
    #[test]
    fn span_matching_is_one_to_one_in_gold_order() {
        let gold = [(0, 5), (3, 8), (20, 25)];
        let pred = [(3, 8), (21, 30)];
        assert_eq!(matching(&gold, &pred, true), vec![(1, 0)]);
        // (0,5) takes the overlapping (3,8) first, leaving (3,8) gold unmatched.
        assert_eq!(matching(&gold, &pred, false), vec![(0, 0), (2, 1)]);
        assert_eq!(matching(&gold, &[], false), vec![]);
    }

    #[test]
    fn prf_in_percent_and_zero_when_undefined() {
        let (p, r, f) = prf(2, 2, 4);
        assert_eq!((p, r), (100.0, 50.0));
        assert!((f - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(prf(0, 0, 0), (0.0, 0.0, 0.0));
    }
}
