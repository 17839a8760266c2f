//! Every discretize template's default search with extras (`gw2opt optimize --template ID`:
//! the template's affix candidates, infusion split and every extras candidate, fractals mode):
//! the time to the proven optimum, against a ceiling measured in the same run, the same search
//! done the way an optimizer without joint extras search must do it, every extras combination
//! run on its own (`gear::split_extras`, one after the other).
//!
//! `cargo bench -p optimizer --bench gear_templates` (criterion: the joint search; printed once
//! per template: optimum, joint time, ceiling, combinations, and whether it meets the 1 s
//! target). `GW2OPT_TEMPLATES=id1,id2` restricts the run.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use optimizer::benchmark::{template_input, templates, TemplateMode};
use optimizer::gear;

fn bench(c: &mut Criterion) {
    let only: Option<Vec<String>> = std::env::var("GW2OPT_TEMPLATES")
        .ok()
        .map(|v| v.split(',').map(str::to_owned).collect());
    let mut group = c.benchmark_group("gear_template_default_search");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(1));
    let (mut over, mut total_joint, mut total_ceiling) = (0, 0.0, 0.0);
    for t in templates().expect("templates") {
        if only.as_ref().is_some_and(|o| !o.contains(&t.id)) {
            continue;
        }
        let input = template_input(&t.id, TemplateMode::Fractals).expect("imports");
        let start = Instant::now();
        let joint = gear::run(&input);
        let joint_secs = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let parts = gear::split_extras(&input).expect("combinations");
        let mut best = f64::NEG_INFINITY;
        for part in &parts {
            if let Ok(out) = gear::run(part) {
                best = best.max(out.results[0].score);
            }
        }
        let ceiling = start.elapsed().as_secs_f64();
        let optimum = joint.as_ref().map_or(f64::NAN, |o| o.results[0].score);
        assert!(
            joint.is_err() && best == f64::NEG_INFINITY || (optimum - best).abs() <= 1e-9 * best,
            "{}: joint {optimum} vs each combination {best}",
            t.id
        );
        total_joint += joint_secs;
        total_ceiling += ceiling;
        if joint_secs > 1.0 {
            over += 1;
        }
        eprintln!(
            "{:<12} {:<30} optimum {:>9.1}  joint {:>7.3}s  ceiling {:>8.3}s  ({:>4} combinations){}",
            t.profession,
            t.id,
            optimum,
            joint_secs,
            ceiling,
            parts.len(),
            if joint_secs > 1.0 { "  over 1 s" } else { "" }
        );
        group.bench_function(t.id.as_str(), |b| {
            b.iter(|| gear::run(&input));
        });
    }
    eprintln!(
        "all templates: joint {total_joint:.2}s, each combination on its own {total_ceiling:.2}s; \
         {over} over 1 s; threads {}",
        rayon::current_num_threads()
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
