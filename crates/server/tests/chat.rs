//! `/api/v1/chat`: answers through a local server speaking Ollama's protocol
//! (`ollama::testing::FakeOllama`) with a system prompt holding Team Commander's numbers, the
//! engines' own answer (French or English) without Ollama or with a dead one, the SSE stream,
//! conversations kept per user, and bad input refused. On every available backend.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::TestApp;
use ollama::testing::{tokens, FakeOllama, Script};
use serde_json::{json, Value};

const CHAT: &str = "/api/v1/chat";
const STREAM: &str = "/api/v1/chat/stream";
const CONVERSATIONS: &str = "/api/v1/chat/conversations";
const SQUAD_FR: &str = "Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg";
const NO_MODEL_FR: &str = "Aucun modèle de langage n'a été utilisé";
const NO_MODEL_EN: &str = "No language model was used";

/// A port nothing listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// The events of a Server-Sent Events body: (event name, JSON data).
fn sse_events(raw: &[u8]) -> Vec<(String, Value)> {
    let text = String::from_utf8_lossy(raw);
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let mut name = String::from("message");
        let mut data = Vec::new();
        for line in block.lines() {
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_owned();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push(v.strip_prefix(' ').unwrap_or(v).to_owned());
            }
        }
        if !data.is_empty() {
            let data = serde_json::from_str(&data.join("\n")).expect("JSON data");
            out.push((name, data));
        }
    }
    out
}

/// Team Commander's own answer to `message`, for comparing numbers.
async fn team_commander(app: &TestApp, message: &str) -> Value {
    app.post(
        "/api/v1/ai/teams/command",
        json!({ "message": message }),
        None,
    )
    .await
    .expect(StatusCode::OK)
}

#[track_caller]
fn assert_answer_shape(body: &Value) {
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "conversation_id",
        "message",
        "model",
        "used_model",
        "grounding",
    ] {
        assert!(keys.contains(&key), "{key} in {body}");
    }
    let message = &body["message"];
    assert_eq!(message["role"], "assistant");
    assert!(message["id"].is_string() && message["content"].is_string());
    assert!(chrono::DateTime::parse_from_rfc3339(message["created_at"].as_str().unwrap()).is_ok());
    for fact in body["grounding"].as_array().unwrap() {
        assert!(
            fact["source"].is_string() && fact["text"].is_string(),
            "{fact}"
        );
    }
}

#[tokio::test]
async fn answers_through_ollama_with_team_commanders_numbers_in_the_prompt() {
    let fake = FakeOllama::start().await;
    let model_text = "Voici votre escouade : deux groupes équilibrés.";
    for app in TestApp::all_with(|s| s.ollama_url = Some(fake.url().to_owned())).await {
        fake.answer(model_text);
        let (_, token, _) = app.user("ann").await;
        let body = app
            .post(CHAT, json!({ "message": SQUAD_FR }), Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_answer_shape(&body);
        assert_eq!(body["used_model"], true, "{:?}", app.backend());
        assert_eq!(body["model"], "mistral");
        assert_eq!(body["message"]["content"], model_text);
        assert_eq!(body["message"]["model"], "mistral");
        let grounding = body["grounding"].as_array().unwrap();
        assert!(
            grounding.iter().all(|f| f["source"] == "team_commander"),
            "{grounding:?}"
        );

        // What Ollama was sent: the model, streaming, a system prompt in French holding Team
        // Commander's numbers for this very request, then the message.
        let sent = fake.chat_requests().pop().unwrap();
        assert_eq!(sent["model"], "mistral");
        assert_eq!(sent["stream"], true);
        let messages = sent["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0]["role"], "system");
        assert_eq!(messages[1], json!({"role": "user", "content": SQUAD_FR}));
        let system = messages[0]["content"].as_str().unwrap();
        assert!(system.contains("Answer in French"), "{system}");
        assert!(system.contains("never invent"), "{system}");
        let squad = team_commander(&app, SQUAD_FR).await;
        assert!(
            system.contains(&format!("Escouade de {} joueurs", squad["team_size"])),
            "{system}"
        );
        assert!(
            system.contains(&format!(
                "note de synergie {}",
                squad["synergy"]["score"].as_str().unwrap()
            )),
            "{system}"
        );
        let mut figures = 0;
        for group in squad["groups"].as_array().unwrap() {
            for slot in group["slots"].as_array().unwrap() {
                let burst = slot["performance"]["burst_damage"].as_f64().unwrap();
                let survival = slot["performance"]["survivability"].as_f64().unwrap();
                assert!(
                    system.contains(&format!("burst {burst:.0}")),
                    "{burst} in {system}"
                );
                assert!(
                    system.contains(&format!("survie ×{survival:.2}")),
                    "{survival} in {system}"
                );
                figures += 1;
            }
        }
        assert_eq!(figures, 10);

        // The conversation goes on: the model gets the exchange so far before the new message.
        fake.answer("Oui.");
        let conversation = body["conversation_id"].as_str().unwrap();
        let next = app
            .post(
                CHAT,
                json!({"message": "Et pour du roaming ?", "conversation_id": conversation}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(next["conversation_id"], conversation);
        let sent = fake.chat_requests().pop().unwrap();
        let roles: Vec<&str> = sent["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["system", "user", "assistant", "user"]);
        assert_eq!(sent["messages"][2]["content"], model_text);
        assert_eq!(sent["messages"][3]["content"], "Et pour du roaming ?");
    }
}

#[tokio::test]
async fn without_ollama_the_engines_answer_in_the_language_asked() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("ann").await;
        let body = app
            .post(CHAT, json!({ "message": SQUAD_FR }), Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_answer_shape(&body);
        assert_eq!(body["used_model"], false);
        assert_eq!(body["model"], Value::Null);
        assert_eq!(body["message"]["model"], Value::Null);
        let content = body["message"]["content"].as_str().unwrap();
        let squad = team_commander(&app, SQUAD_FR).await;
        assert!(
            content.starts_with("Voici l'escouade que Team Commander a planifiée"),
            "{content}"
        );
        assert!(
            content.contains(&format!(
                "note de synergie {}",
                squad["synergy"]["score"].as_str().unwrap()
            )),
            "{content}"
        );
        assert!(
            content.contains("Incendiaire"),
            "French game names: {content}"
        );
        assert!(
            content.ends_with(&format!(
                "{NO_MODEL_FR} : cette réponse vient directement des moteurs de GW2Optimizer."
            )),
            "{content}"
        );
        for fact in body["grounding"].as_array().unwrap() {
            assert!(
                content.contains(fact["text"].as_str().unwrap()),
                "{fact} in {content}"
            );
        }

        // Asked in English, answered in English; `language` wins over the message's language.
        let body = app
            .post(
                CHAT,
                json!({"message": "hello, what can you do?"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        let content = body["message"]["content"].as_str().unwrap();
        assert!(
            content.starts_with("I am the GW2Optimizer adviser"),
            "{content}"
        );
        assert!(content.contains(NO_MODEL_EN), "{content}");
        let body = app
            .post(
                CHAT,
                json!({"message": "hello", "language": "fr"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        let content = body["message"]["content"].as_str().unwrap();
        assert!(
            content.starts_with("Je suis le conseiller de GW2Optimizer"),
            "{content}"
        );
        assert!(content.contains(NO_MODEL_FR), "{content}");
        // A squad request with a word Team Commander cannot place: the help names it.
        let body = app
            .post(
                CHAT,
                json!({"message": "2 Blorps et 3 Firebrands"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        let content = body["message"]["content"].as_str().unwrap();
        assert!(
            content.contains("Team Commander n'a pas compris : \"Blorps\""),
            "{content}"
        );
    }
}

#[tokio::test]
async fn a_dead_or_modelless_ollama_gives_the_engines_answer() {
    let dead = dead_url();
    for app in TestApp::all_with(|s| s.ollama_url = Some(dead.clone())).await {
        let (_, token, _) = app.user("ann").await;
        let started = std::time::Instant::now();
        let body = app
            .post(
                CHAT,
                json!({"message": "I want 2 groups of 5 with a Firebrand and a Scrapper"}),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(body["used_model"], false);
        assert_eq!(body["model"], "mistral", "configured, but not used");
        let content = body["message"]["content"].as_str().unwrap();
        assert!(
            content.starts_with("Here is the squad Team Commander planned"),
            "{content}"
        );
        assert!(content.contains(NO_MODEL_EN), "{content}");
        assert!(started.elapsed() < Duration::from_secs(20));
        let ready = app.get("/health/ready", None).await.expect(StatusCode::OK);
        assert_eq!(ready["ollama"]["status"], "unavailable");
        assert_eq!(ready["status"], "degraded");
    }

    // Up, but the model is not pulled: Ollama's 404 also gives the engines' answer.
    let fake = FakeOllama::start().await;
    fake.set_pulled(&["llama3.2:3b"]);
    let app = TestApp::sqlite_with(|s| s.ollama_url = Some(fake.url().to_owned())).await;
    let (_, token, _) = app.user("ann").await;
    let body = app
        .post(CHAT, json!({"message": "bonjour"}), Some(&token))
        .await
        .expect(StatusCode::OK);
    assert_eq!(body["used_model"], false);
    assert!(body["message"]["content"]
        .as_str()
        .unwrap()
        .contains(NO_MODEL_FR));
    assert_eq!(fake.chat_calls(), 1, "Ollama was asked");
    let ready = app.get("/health/ready", None).await.expect(StatusCode::OK);
    assert_eq!(ready["ollama"]["status"], "unavailable");
    let detail = ready["ollama"]["detail"].as_str().unwrap();
    assert!(detail.contains("ollama pull mistral"), "{detail}");
}

#[tokio::test]
async fn the_stream_sends_tokens_then_done() {
    let fake = FakeOllama::start().await;
    for app in TestApp::all_with(|s| s.ollama_url = Some(fake.url().to_owned())).await {
        let (_, token, _) = app.user("ann").await;
        fake.set_script(Script::Answer {
            tokens: tokens("Two groups of five, grade A."),
            gap: Duration::from_millis(5),
        });
        let reply = app
            .post(
                STREAM,
                json!({"message": "2 groups of 5 with a Firebrand"}),
                Some(&token),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let content_type = reply.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        let events = sse_events(&reply.raw);
        let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["token", "token", "token", "token", "token", "token", "done"]
        );
        let streamed: String = events[..6]
            .iter()
            .map(|(_, d)| d["content"].as_str().unwrap())
            .collect();
        assert_eq!(streamed, "Two groups of five, grade A.");
        let done = &events[6].1;
        assert_answer_shape(done);
        assert_eq!(done["used_model"], true);
        assert_eq!(done["message"]["content"], streamed);
        // The done event names the stored message.
        let conversation = app
            .get(
                &format!(
                    "{CONVERSATIONS}/{}",
                    done["conversation_id"].as_str().unwrap()
                ),
                Some(&token),
            )
            .await
            .expect(StatusCode::OK);
        let stored = conversation["messages"].as_array().unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1]["id"], done["message"]["id"]);
        assert_eq!(stored[1]["content"], streamed);
        assert_eq!(stored[1]["model"], "mistral");

        // The model fails mid-answer: an error event, then the engines' answer and done.
        fake.set_script(Script::ErrorLine {
            tokens: tokens("Two groups"),
            error: "an error was encountered while running the model".into(),
        });
        let reply = app
            .post(
                STREAM,
                json!({"message": "2 groups of 5 with a Firebrand"}),
                Some(&token),
            )
            .await;
        let events = sse_events(&reply.raw);
        let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["token", "token", "error", "token", "done"]);
        assert_eq!(events[2].1["code"], "model_failed");
        let done = &events[4].1;
        assert_eq!(done["used_model"], false);
        assert_eq!(done["message"]["content"], events[3].1["content"]);
        assert!(done["message"]["content"]
            .as_str()
            .unwrap()
            .contains(NO_MODEL_EN));
    }

    // Without Ollama: the engines' answer as one token, then done.
    let app = TestApp::sqlite_with(|_| {}).await;
    let (_, token, _) = app.user("ann").await;
    let reply = app
        .post(
            STREAM,
            json!({"message": "bonjour", "language": "fr"}),
            Some(&token),
        )
        .await;
    let events = sse_events(&reply.raw);
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["token", "done"]);
    assert_eq!(events[1].1["used_model"], false);
    assert_eq!(events[1].1["message"]["content"], events[0].1["content"]);
    // Bad input is an ordinary JSON error, before any event.
    let (_, code) = app
        .post(STREAM, json!({"message": ""}), Some(&token))
        .await
        .expect_error(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code, "validation_error");
}

#[tokio::test]
async fn conversations_are_kept_per_user() {
    for app in TestApp::all().await {
        let (_, ann, _) = app.user("ann").await;
        let (_, bob, _) = app.user("bob").await;
        assert_eq!(
            app.post(CHAT, json!({"message": "hello"}), None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );

        let first = app
            .post(
                CHAT,
                json!({"message": "hello\nwhat can you do?"}),
                Some(&ann),
            )
            .await
            .expect(StatusCode::OK);
        let id = first["conversation_id"].as_str().unwrap().to_owned();
        app.post(
            CHAT,
            json!({"message": "and for roaming?", "conversation_id": id}),
            Some(&ann),
        )
        .await
        .expect(StatusCode::OK);
        app.post(CHAT, json!({"message": "bonjour"}), Some(&ann))
            .await
            .expect(StatusCode::OK);

        let list = app
            .get(CONVERSATIONS, Some(&ann))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list["total"], 2);
        let items = list["items"].as_array().unwrap();
        assert_eq!(items[0]["title"], "bonjour", "most recently active first");
        assert_eq!(items[1]["id"], id);
        assert_eq!(items[1]["title"], "hello");
        assert_eq!(items[1]["message_count"], 4);
        let page = app
            .get(&format!("{CONVERSATIONS}?limit=1&skip=1"), Some(&ann))
            .await
            .expect(StatusCode::OK);
        assert_eq!(page["items"][0]["id"], id);
        assert_eq!(page["total"], 2);

        let detail = app
            .get(&format!("{CONVERSATIONS}/{id}"), Some(&ann))
            .await
            .expect(StatusCode::OK);
        let roles: Vec<&str> = detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["user", "assistant", "user", "assistant"]);
        assert_eq!(detail["messages"][0]["content"], "hello\nwhat can you do?");
        assert_eq!(detail["messages"][2]["content"], "and for roaming?");

        // Bob sees none of it, and cannot continue or delete it.
        let list = app
            .get(CONVERSATIONS, Some(&bob))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list["total"], 0);
        app.get(&format!("{CONVERSATIONS}/{id}"), Some(&bob))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        app.post(
            CHAT,
            json!({"message": "hi", "conversation_id": id}),
            Some(&bob),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        app.post(
            STREAM,
            json!({"message": "hi", "conversation_id": id}),
            Some(&bob),
        )
        .await
        .expect_error(StatusCode::NOT_FOUND);
        let reply = app
            .request(
                Method::DELETE,
                &format!("{CONVERSATIONS}/{id}"),
                None,
                Some(&bob),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let unknown = uuid::Uuid::new_v4();
        app.get(&format!("{CONVERSATIONS}/{unknown}"), Some(&ann))
            .await
            .expect_error(StatusCode::NOT_FOUND);

        let reply = app
            .request(
                Method::DELETE,
                &format!("{CONVERSATIONS}/{id}"),
                None,
                Some(&ann),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        app.get(&format!("{CONVERSATIONS}/{id}"), Some(&ann))
            .await
            .expect_error(StatusCode::NOT_FOUND);
        let list = app
            .get(CONVERSATIONS, Some(&ann))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list["total"], 1);
    }
}

#[tokio::test]
async fn bad_input_is_a_422_naming_the_field() {
    for app in TestApp::all().await {
        let (_, token, _) = app.user("ann").await;
        let long = "x".repeat(10 * 1024 + 1);
        for (body, field) in [
            (json!({"message": ""}), "message"),
            (json!({"message": "   \n\t "}), "message"),
            (json!({"message": long}), "message"),
            (json!({"message": "hello\u{0}"}), "message"),
            (json!({"message": "\u{1b}[31mred"}), "message"),
            (json!({"message": "hi\u{7}"}), "message"),
            (json!({"message": "hi", "language": "de"}), "language"),
            (
                json!({"message": "hi", "conversation_id": "not-a-uuid"}),
                "conversation_id",
            ),
            (json!({"message": "hi", "mood": "happy"}), "mood"),
            (json!({}), "message"),
        ] {
            for uri in [CHAT, STREAM] {
                let reply = app.post(uri, body.clone(), Some(&token)).await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{uri} {body}: {}",
                    String::from_utf8_lossy(&reply.raw)
                );
                assert_eq!(reply.body["field"], field, "{uri} {body}: {}", reply.body);
            }
        }
        let reply = app
            .get(&format!("{CONVERSATIONS}?limit=500"), Some(&token))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Nothing was stored by the refused messages.
        let list = app
            .get(CONVERSATIONS, Some(&token))
            .await
            .expect(StatusCode::OK);
        assert_eq!(list["total"], 0);
    }
}

#[tokio::test]
async fn a_build_question_is_answered_from_the_adviser_recommender() {
    for app in TestApp::all().await {
        let (_, author, _) = app.user("author").await;
        let (_, fan, _) = app.user("fan").await;
        let (_, asker, _) = app.user("asker").await;
        let body = json!({"name": "Zerg Firebrand", "profession": "Guardian", "specialization": "Firebrand",
            "game_mode": "wvw_zerg", "role": "support", "is_public": true,
            "equipment": {"gear": common::full_gear("Minstrel's")}});
        let id = app
            .post("/api/v1/builds", body, Some(&author))
            .await
            .expect(StatusCode::CREATED)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.post(
            &format!("/api/v1/builds/{id}/vote"),
            json!({"value": 1}),
            Some(&fan),
        )
        .await
        .expect(StatusCode::OK);
        for (message, intro) in [
            (
                "What is the best Firebrand build for zerg?",
                "Here is what the adviser found",
            ),
            (
                "Quel est le meilleur build Incendiaire pour le zerg ?",
                "Voici ce que le conseiller a trouvé",
            ),
        ] {
            let answer = app
                .post(CHAT, json!({ "message": message }), Some(&asker))
                .await
                .expect(StatusCode::OK);
            assert_eq!(answer["used_model"], false);
            let content = answer["message"]["content"].as_str().unwrap();
            assert!(content.starts_with(intro), "{content}");
            assert!(content.contains("Zerg Firebrand"), "{content}");
            assert!(content.contains("+1"), "the votes are a reason: {content}");
            let grounding = answer["grounding"].as_array().unwrap();
            assert!(
                grounding.iter().all(|f| f["source"] == "adviser"),
                "{answer}"
            );
        }
        // Two classes named is a squad question, not a build question.
        let squad = app
            .post(
                CHAT,
                json!({"message": "2 groups of 5 with Firebrand and Scrapper builds for zerg"}),
                Some(&asker),
            )
            .await
            .expect(StatusCode::OK);
        assert!(
            squad["grounding"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["source"] != "adviser"),
            "{squad}"
        );
    }
}
