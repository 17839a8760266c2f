//! k-fold splits: the rows are shuffled with a seed, then dealt to the folds in turn. For
//! classes the rows are dealt class by class (stratified), so every fold keeps the data's
//! share of wins and losses and every training part holds both classes.

use rand::seq::SliceRandom;
use rand::SeedableRng;

/// The test rows of each of `k` folds (the training rows of fold `i` are all the others).
/// Every row is in exactly one fold; fold sizes differ by at most one per class.
pub fn k_folds(labels: &[f64], k: usize, stratify: bool, seed: u64) -> Vec<Vec<usize>> {
    let k = k.max(1);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.shuffle(&mut rng);
    if stratify {
        // stable sort: the shuffle's order is kept inside each class
        order.sort_by(|a, b| labels[*a].total_cmp(&labels[*b]));
    }
    let mut folds = vec![Vec::new(); k];
    for (position, row) in order.into_iter().enumerate() {
        folds[position % k].push(row);
    }
    folds
}

/// The rows not in `test`, in order.
pub fn training_rows(n: usize, test: &[usize]) -> Vec<usize> {
    let mut held = vec![false; n];
    for &i in test {
        if let Some(h) = held.get_mut(i) {
            *h = true;
        }
    }
    (0..n).filter(|i| !held[*i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_tested_once_and_classes_are_spread() {
        let labels: Vec<f64> = (0..23).map(|i| if i < 8 { 1.0 } else { 0.0 }).collect();
        let folds = k_folds(&labels, 5, true, 7);
        let mut all: Vec<usize> = folds.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..23).collect::<Vec<_>>());
        for fold in &folds {
            let wins = fold.iter().filter(|&&i| labels[i] == 1.0).count();
            assert!((1..=2).contains(&wins), "{fold:?}");
            assert!((4..=5).contains(&fold.len()));
            let train = training_rows(23, fold);
            assert_eq!(train.len() + fold.len(), 23);
            assert!(train.iter().all(|i| !fold.contains(i)));
        }
        assert_eq!(folds, k_folds(&labels, 5, true, 7), "seeded");
        assert_ne!(folds, k_folds(&labels, 5, true, 8));
    }
}
