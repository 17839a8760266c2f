//! Feedback on AI answers (`POST /api/v1/ai/feedback`) through the real router, on every
//! available backend: stored as sent, anonymous or with the caller's account.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

const URI: &str = "/api/v1/ai/feedback";

#[tokio::test]
async fn ratings_are_stored_anonymous_or_with_the_account() {
    for app in TestApp::all().await {
        let anonymous = app
            .post(URI, json!({"target_id": "squad-42", "rating": 1}), None)
            .await
            .expect(StatusCode::CREATED);
        let keys: BTreeSet<&str> = anonymous
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["comment", "created_at", "id", "rating", "target_id"]
                .into_iter()
                .collect(),
            "{anonymous}"
        );
        assert_eq!(
            anonymous,
            json!({"id": anonymous["id"], "target_id": "squad-42", "rating": 1, "comment": null,
                   "created_at": anonymous["created_at"]})
        );
        let (ann_id, ann, _) = app.user("ann").await;
        let signed = app
            .post(
                URI,
                json!({"target_id": " squad-42 ", "rating": 10, "comment": "Exactly right.\nThanks!"}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::CREATED);
        assert_eq!(signed["target_id"], "squad-42");
        assert_eq!(signed["rating"], 10);
        assert_eq!(signed["comment"], "Exactly right.\nThanks!");

        // What the learning work will read.
        let stored = store::feedback::of_target(&app.state.db, "squad-42")
            .await
            .unwrap();
        let seen: Vec<(Option<String>, i32, Option<&str>, String)> = stored
            .iter()
            .map(|r| {
                (
                    r.user_id.map(|u| u.to_string()),
                    r.rating,
                    r.comment.as_deref(),
                    r.id.to_string(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (None, 1, None, anonymous["id"].as_str().unwrap().to_owned()),
                (
                    Some(ann_id),
                    10,
                    Some("Exactly right.\nThanks!"),
                    signed["id"].as_str().unwrap().to_owned()
                ),
            ],
            "{:?}",
            app.backend()
        );
        // A token that is sent must be valid.
        app.post(
            URI,
            json!({"target_id": "x", "rating": 5}),
            Some("not-a-token"),
        )
        .await
        .expect_error(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn out_of_range_ratings_and_oversized_text_are_refused_by_name() {
    for app in TestApp::all().await {
        let cases: Vec<(Value, &str)> = vec![
            (json!({"target_id": "t", "rating": 0}), "rating"),
            (json!({"target_id": "t", "rating": 11}), "rating"),
            (json!({"target_id": "t", "rating": -3}), "rating"),
            (json!({"target_id": "t", "rating": 5.5}), "rating"),
            (json!({"target_id": "t", "rating": "7"}), "rating"),
            (
                json!({"target_id": "t", "rating": 99_999_999_999_i64}),
                "rating",
            ),
            (json!({"target_id": "t"}), "rating"),
            (json!({"rating": 5}), "target_id"),
            (json!({"target_id": "  ", "rating": 5}), "target_id"),
            (
                json!({"target_id": "t".repeat(201), "rating": 5}),
                "target_id",
            ),
            (
                json!({"target_id": "t", "rating": 5, "comment": "c".repeat(2001)}),
                "comment",
            ),
            (json!({"target_id": "t\u{1b}", "rating": 5}), "target_id"),
            (json!({"target_id": "t", "rating": 5, "stars": 5}), "stars"),
        ];
        for (body, field) in cases {
            let reply = app
                .post(URI, body.clone(), None)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(reply["field"], field, "{:?} {body}: {reply}", app.backend());
        }
        let reply = app
            .post(URI, json!({"target_id": "t", "rating": 11}), None)
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply["detail"].as_str().unwrap().contains("from 1 to 10"),
            "{reply}"
        );
        assert!(store::feedback::of_target(&app.state.db, "t")
            .await
            .unwrap()
            .is_empty());
        // The limits themselves are accepted.
        app.post(
            URI,
            json!({"target_id": "t".repeat(200), "rating": 10, "comment": "c".repeat(2000)}),
            None,
        )
        .await
        .expect(StatusCode::CREATED);
    }
}
