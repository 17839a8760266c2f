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

/// The test rows of `k` folds that keep each group whole: the rows of one group (the
/// players of one fight) are all in the same fold, so a model is always judged on groups
/// it never saw a row of (scikit-learn's `GroupKFold`, with a seeded order). The groups are
/// shuffled with `seed`, taken largest first (a stable sort keeps the shuffle among equal
/// sizes), and each goes to the fold with the fewest rows so far (the first such fold),
/// which keeps fold sizes close when groups differ in size. With one row per group this
/// deals the shuffled rows in turn, like [`k_folds`] without strata. Folds are sorted.
pub fn group_folds(groups: &[&str], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let k = k.max(1);
    let mut members: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (row, group) in groups.iter().enumerate() {
        let at = *index.entry(group).or_insert_with(|| {
            members.push((group, Vec::new()));
            members.len() - 1
        });
        members[at].1.push(row);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    members.shuffle(&mut rng);
    members.sort_by_key(|m| std::cmp::Reverse(m.1.len()));
    let mut folds = vec![Vec::new(); k];
    for (_, rows) in members {
        if let Some(fold) = folds.iter_mut().min_by_key(|f| f.len()) {
            fold.extend(rows);
        }
    }
    for fold in &mut folds {
        fold.sort_unstable();
    }
    folds
}

/// How many distinct groups `groups` holds.
pub fn group_count(groups: &[&str]) -> usize {
    groups
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len()
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

    #[test]
    fn groups_stay_whole_and_folds_stay_close_in_size() {
        // 30 fights of 10 to 20 players
        let mut groups = Vec::new();
        for fight in 0..30 {
            for _ in 0..(10 + (fight * 7) % 11) {
                groups.push(format!("fight:{fight}"));
            }
        }
        let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
        assert_eq!(group_count(&groups), 30);
        let folds = group_folds(&groups, 5, 3);
        assert_eq!(folds.len(), 5);
        let mut all: Vec<usize> = folds.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..groups.len()).collect::<Vec<_>>());
        for (i, fold) in folds.iter().enumerate() {
            for (j, other) in folds.iter().enumerate() {
                if i != j {
                    assert!(
                        fold.iter()
                            .all(|a| other.iter().all(|b| groups[*a] != groups[*b])),
                        "a fight is split between folds {i} and {j}"
                    );
                }
            }
        }
        let sizes: Vec<usize> = folds.iter().map(Vec::len).collect();
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(max - min <= 20, "{sizes:?}");
        assert_eq!(folds, group_folds(&groups, 5, 3), "seeded");
        assert_ne!(folds, group_folds(&groups, 5, 4));
        // one row per group: every fold gets its turn
        let single: Vec<String> = (0..11).map(|i| format!("build:{i}")).collect();
        let single: Vec<&str> = single.iter().map(String::as_str).collect();
        let sizes: Vec<usize> = group_folds(&single, 5, 1).iter().map(Vec::len).collect();
        assert_eq!(sizes, [3, 2, 2, 2, 2]);
    }
}
