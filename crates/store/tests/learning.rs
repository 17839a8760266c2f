//! The learning tables (migration 0012) on every backend: snapshot versions, sample pages,
//! and a registry where each task has at most one selected model.

use store::learning::{self, NewModel, NewSample};
use store::testing::TestDb;
use store::StoreError;

fn sample(source: &str, label: f64) -> NewSample {
    NewSample {
        features: format!(r#"{{"x":{label}}}"#),
        label,
        source: source.to_owned(),
    }
}

fn model(task: &str, kind: &str, version: i64, selected: bool) -> NewModel {
    NewModel {
        task: task.to_owned(),
        kind: kind.to_owned(),
        version,
        metrics: r#"{"mean":0.8}"#.to_owned(),
        snapshot: r#"{"id":"t@1"}"#.to_owned(),
        model: r#"{"fitted":true}"#.to_owned(),
        selected,
        trained_at: store::now(),
    }
}

#[tokio::test]
async fn snapshots_are_numbered_per_task_and_samples_page_in_order() {
    for test in TestDb::all().await {
        let db = &test.db;
        assert_eq!(
            learning::latest_snapshot(db, "fight_outcome")
                .await
                .unwrap(),
            None
        );
        let first = learning::insert_snapshot(
            db,
            "fight_outcome",
            "aa",
            "{}",
            &[
                sample("fight:b", 1.0),
                sample("fight:a", 0.0),
                sample("fight:c", 1.0),
            ],
            store::now(),
        )
        .await
        .unwrap();
        assert_eq!((first.version, first.sample_count), (1, 3));
        let other = learning::insert_snapshot(db, "build_rating", "bb", "{}", &[], store::now())
            .await
            .unwrap();
        assert_eq!(
            other.version,
            1,
            "{}: versions are per task",
            test.backend()
        );
        let second = learning::insert_snapshot(
            db,
            "fight_outcome",
            "cc",
            r#"{"fights":1}"#,
            &[sample("fight:z", 0.5)],
            store::now(),
        )
        .await
        .unwrap();
        assert_eq!(second.version, 2);
        assert_eq!(
            learning::latest_snapshot(db, "fight_outcome")
                .await
                .unwrap(),
            Some(second.clone())
        );
        assert_eq!(
            learning::snapshot(db, "fight_outcome", 1).await.unwrap(),
            Some(first)
        );
        let page = learning::samples(db, "fight_outcome", 1, 0, 2)
            .await
            .unwrap();
        let sources: Vec<&str> = page.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(sources, ["fight:a", "fight:b"]);
        assert_eq!(page[1].label, 1.0);
        assert_eq!(page[1].features, r#"{"x":1}"#);
        let rest = learning::samples(db, "fight_outcome", 1, 2, 2)
            .await
            .unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(
            learning::samples(db, "fight_outcome", 2, 0, 10)
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn one_selected_model_per_task_and_a_run_without_one_keeps_the_old() {
    for test in TestDb::all().await {
        let db = &test.db;
        let task = "fight_outcome";
        assert_eq!(learning::next_model_version(db, task).await.unwrap(), 1);
        let run1 = learning::insert_run(
            db,
            task,
            &[
                model(task, "logistic_regression", 1, true),
                model(task, "decision_tree", 1, false),
            ],
        )
        .await
        .unwrap();
        assert_eq!(learning::next_model_version(db, task).await.unwrap(), 2);
        let (selected, blob) = learning::selected_model(db, task).await.unwrap().unwrap();
        assert_eq!(selected.id, run1[0]);
        assert_eq!(blob, r#"{"fitted":true}"#);

        // a run that selects nothing leaves the selection alone
        learning::insert_run(db, task, &[model(task, "logistic_regression", 2, false)])
            .await
            .unwrap();
        assert_eq!(
            learning::selected_model(db, task)
                .await
                .unwrap()
                .unwrap()
                .0
                .id,
            run1[0]
        );

        // a run that selects moves it
        let run3 = learning::insert_run(db, task, &[model(task, "decision_tree", 3, true)])
            .await
            .unwrap();
        assert_eq!(
            learning::selected_model(db, task)
                .await
                .unwrap()
                .unwrap()
                .0
                .id,
            run3[0]
        );
        let (all, total) = learning::list_models(db, Some(task), 0, 50).await.unwrap();
        assert_eq!(total, 4);
        assert_eq!(
            all.iter().filter(|m| m.selected).count(),
            1,
            "{}",
            test.backend()
        );
        assert_eq!(
            learning::list_models(db, Some("build_rating"), 0, 50)
                .await
                .unwrap()
                .1,
            0
        );
        learning::insert_run(
            db,
            "build_rating",
            &[model("build_rating", "ridge", 1, true)],
        )
        .await
        .unwrap();
        let (everything, total) = learning::list_models(db, None, 0, 2).await.unwrap();
        assert_eq!((everything.len(), total), (2, 5));

        // the same kind and version twice is a conflict, and nothing of that run is kept
        let err = learning::insert_run(
            db,
            task,
            &[
                model(task, "ridge", 9, true),
                model(task, "ridge", 9, false),
            ],
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        assert_eq!(
            learning::selected_model(db, task)
                .await
                .unwrap()
                .unwrap()
                .0
                .id,
            run3[0]
        );
        // two selected in one task is refused by the index
        let err = learning::insert_run(
            db,
            task,
            &[model(task, "a", 10, true), model(task, "b", 10, true)],
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    }
}
