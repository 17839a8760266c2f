//! The client against a local server speaking Ollama's protocol (`ollama::testing`): streamed
//! chunks and `done`, an error line, a model that is not pulled, slow and broken streams, and
//! the circuit breaker opening after repeated failures. Delays are shrunk so the file runs in a
//! couple of seconds.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use ollama::testing::{tokens, FakeOllama, Script};
use ollama::{
    BreakerState, ChatChunk, Message, OllamaClient, OllamaConfig, OllamaError, ProbeState,
    TimeoutPhase,
};
use serde_json::json;

fn config(base_url: &str) -> OllamaConfig {
    OllamaConfig {
        base_url: base_url.to_owned(),
        connect_timeout: Duration::from_millis(500),
        first_byte_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        probe_timeout: Duration::from_secs(1),
        breaker_cooldown: Duration::from_millis(300),
        ..OllamaConfig::default()
    }
}

fn client(base_url: &str) -> OllamaClient {
    OllamaClient::new(config(base_url)).expect("client")
}

fn question() -> Vec<Message> {
    vec![
        Message::system("Answer in one sentence."),
        Message::user("Why is the sky blue?"),
    ]
}

/// A port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Everything a stream yields, errors included.
async fn drain(client: &OllamaClient) -> (Vec<String>, Option<ChatChunk>, Option<OllamaError>) {
    let mut stream = client
        .chat_stream(&question())
        .await
        .expect("answer starts");
    let mut tokens = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(ChatChunk::Token(t)) => tokens.push(t),
            Ok(done @ ChatChunk::Done(_)) => {
                assert!(stream.next().await.is_none(), "nothing after done");
                return (tokens, Some(done), None);
            }
            Err(e) => {
                assert!(stream.next().await.is_none(), "nothing after an error");
                return (tokens, None, Some(e));
            }
        }
    }
    panic!("the stream ended with neither done nor an error");
}

#[tokio::test]
async fn streams_tokens_in_order_then_done_with_timings() {
    let fake = FakeOllama::start().await;
    fake.set_script(Script::Answer {
        tokens: tokens("Rayleigh scattering makes the sky blue."),
        gap: Duration::from_millis(5),
    });
    let client = client(fake.url());
    let (got, done, error) = drain(&client).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        got,
        [
            "Rayleigh",
            " scattering",
            " makes",
            " the",
            " sky",
            " blue."
        ]
    );
    let Some(ChatChunk::Done(done)) = done else {
        unreachable!()
    };
    assert_eq!(done.model.as_deref(), Some("mistral"));
    assert_eq!(done.done_reason.as_deref(), Some("stop"));
    assert_eq!(done.eval_count, Some(6));
    assert_eq!(done.prompt_eval_count, Some(26));
    assert_eq!(
        done.total_duration,
        Some(Duration::from_nanos(4_883_583_458))
    );

    let reply = client.chat(&question()).await.expect("whole answer");
    assert_eq!(reply.content, "Rayleigh scattering makes the sky blue.");

    // What Ollama received: the documented request, streaming, with our options.
    let sent = fake.chat_requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0],
        json!({"model": "mistral", "stream": true, "options": {"temperature": 0.2},
               "messages": [{"role": "system", "content": "Answer in one sentence."},
                            {"role": "user", "content": "Why is the sky blue?"}]})
    );
    assert_eq!(client.breaker_state(), BreakerState::Closed);
}

#[tokio::test]
async fn an_error_line_mid_answer_is_a_typed_error_after_the_tokens() {
    let fake = FakeOllama::start().await;
    fake.set_script(Script::ErrorLine {
        tokens: tokens("The sky"),
        error: "an error was encountered while running the model".into(),
    });
    let client = client(fake.url());
    let (got, done, error) = drain(&client).await;
    assert_eq!(got, ["The", " sky"]);
    assert!(done.is_none());
    match error {
        Some(OllamaError::Model(text)) => {
            assert_eq!(text, "an error was encountered while running the model");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.chat(&question()).await,
        Err(OllamaError::Model(_))
    ));
}

#[tokio::test]
async fn a_model_that_is_not_pulled_is_named_and_does_not_open_the_breaker() {
    let fake = FakeOllama::start().await;
    fake.set_pulled(&["mistral:latest", "llama3.2:3b"]);
    let client = OllamaClient::new(OllamaConfig {
        model: "qwen2.5:7b".into(),
        breaker_threshold: 2,
        ..config(fake.url())
    })
    .unwrap();
    for _ in 0..4 {
        match client.chat(&question()).await {
            Err(OllamaError::ModelNotFound { model, message }) => {
                assert_eq!(model, "qwen2.5:7b");
                assert_eq!(
                    message,
                    "model 'qwen2.5:7b' not found, try pulling it first"
                );
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(fake.chat_calls(), 4, "each call reached the server");
    assert_eq!(client.breaker_state(), BreakerState::Closed);

    let probe = client.probe().await;
    match &probe.state {
        ProbeState::ModelNotPulled { pulled } => {
            assert_eq!(pulled, &["mistral:latest", "llama3.2:3b"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(!probe.is_ready());
    assert!(
        probe.describe().contains("ollama pull qwen2.5:7b"),
        "{}",
        probe.describe()
    );

    // The default model, `mistral`, is `mistral:latest`.
    let probe = OllamaClient::new(config(fake.url())).unwrap().probe().await;
    assert!(probe.is_ready(), "{}", probe.describe());
    let tags = client.tags().await.unwrap();
    assert_eq!(tags[1].name, "llama3.2:3b");
    assert_eq!(tags[1].size, Some(4_113_301_824));
}

#[tokio::test]
async fn a_stalled_answer_hits_the_idle_timeout() {
    let fake = FakeOllama::start().await;
    fake.set_script(Script::Stall {
        tokens: tokens("The sky"),
        stall: Duration::from_secs(10),
    });
    let client = OllamaClient::new(OllamaConfig {
        idle_timeout: Duration::from_millis(300),
        ..config(fake.url())
    })
    .unwrap();
    let started = Instant::now();
    let (got, _, error) = drain(&client).await;
    let took = started.elapsed();
    assert_eq!(
        got,
        ["The", " sky"],
        "the tokens before the stall came through"
    );
    match error {
        Some(OllamaError::Timeout { phase, after }) => {
            assert_eq!(phase, TimeoutPhase::Idle);
            assert_eq!(after, Duration::from_millis(300));
        }
        other => panic!("{other:?}"),
    }
    assert!(took < Duration::from_secs(2), "gave up after {took:?}");
}

#[tokio::test]
async fn a_slow_first_byte_and_a_long_answer_hit_their_timeouts() {
    let fake = FakeOllama::start().await;
    fake.set_script(Script::SlowStart {
        delay: Duration::from_secs(10),
        tokens: tokens("late"),
    });
    let client = OllamaClient::new(OllamaConfig {
        first_byte_timeout: Duration::from_millis(300),
        ..config(fake.url())
    })
    .unwrap();
    let started = Instant::now();
    match client.chat(&question()).await {
        Err(OllamaError::Timeout { phase, .. }) => assert_eq!(phase, TimeoutPhase::FirstByte),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));

    // Every chunk on time, but the whole answer too long.
    fake.set_script(Script::Answer {
        tokens: tokens(&"word ".repeat(40)),
        gap: Duration::from_millis(50),
    });
    let client = OllamaClient::new(config(fake.url()))
        .unwrap()
        .with_total_timeout(Duration::from_millis(400));
    let started = Instant::now();
    let (got, _, error) = drain(&client).await;
    match error {
        Some(OllamaError::Timeout { phase, after }) => {
            assert_eq!(phase, TimeoutPhase::Total);
            assert_eq!(after, Duration::from_millis(400));
        }
        other => panic!("{other:?}"),
    }
    assert!(!got.is_empty() && got.len() < 40, "{} tokens", got.len());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn broken_streams_are_typed_errors() {
    let fake = FakeOllama::start().await;
    let client = client(fake.url());

    fake.set_script(Script::CutMidLine {
        tokens: tokens("The sky"),
    });
    let (got, _, error) = drain(&client).await;
    assert_eq!(got, ["The", " sky"]);
    assert!(matches!(error, Some(OllamaError::Broken(_))), "{error:?}");

    fake.set_script(Script::InvalidLine {
        tokens: tokens("The sky"),
    });
    let (got, _, error) = drain(&client).await;
    assert_eq!(got, ["The", " sky"]);
    match error {
        Some(OllamaError::Broken(text)) => {
            assert!(
                text.contains("not JSON") && text.contains("502 Bad Gateway"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }

    fake.set_script(Script::NoDone {
        tokens: tokens("The sky"),
    });
    let (_, _, error) = drain(&client).await;
    match error {
        Some(OllamaError::Broken(text)) => assert!(text.contains("done"), "{text}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_breaker_opens_after_repeated_failures_then_fails_fast_and_recovers() {
    let fake = FakeOllama::start().await;
    fake.set_script(Script::Status {
        status: 500,
        body: r#"{"error":"llama runner process has terminated"}"#.into(),
    });
    let client = client(fake.url()); // threshold 3, cool-down 300 ms
    for _ in 0..3 {
        match client.chat(&question()).await {
            Err(OllamaError::Status { status, message }) => {
                assert_eq!(status, 500);
                assert_eq!(message, "llama runner process has terminated");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(client.breaker_state(), BreakerState::Open);
    let started = Instant::now();
    for _ in 0..5 {
        assert!(matches!(
            client.chat(&question()).await,
            Err(OllamaError::BreakerOpen)
        ));
    }
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "failing fast"
    );
    assert_eq!(fake.chat_calls(), 3, "no call reached Ollama while open");
    assert!(!client.probe().await.is_ready(), "readiness says so");

    // After the cool-down one trial goes through; Ollama is back, so the breaker closes.
    fake.answer("Back again.");
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(client.breaker_state(), BreakerState::HalfOpen);
    assert_eq!(
        client.chat(&question()).await.unwrap().content,
        "Back again."
    );
    assert_eq!(client.breaker_state(), BreakerState::Closed);
}

#[tokio::test]
async fn an_unreachable_server_opens_the_breaker_and_reads_as_down() {
    let client = client(&closed_port_url());
    for _ in 0..3 {
        match client.chat(&question()).await {
            Err(OllamaError::Unreachable(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        client.chat(&question()).await,
        Err(OllamaError::BreakerOpen)
    ));
    let probe = client.probe().await;
    assert!(matches!(
        probe.state,
        ProbeState::Down(OllamaError::Unreachable(_))
    ));
    assert!(
        probe.describe().contains("circuit breaker open"),
        "{}",
        probe.describe()
    );
}

#[tokio::test]
async fn a_caller_dropping_the_answer_does_not_leave_the_breaker_stuck() {
    let fake = FakeOllama::start().await;
    let client = client(fake.url());
    fake.set_script(Script::Status {
        status: 503,
        body: r#"{"error":"server busy"}"#.into(),
    });
    for _ in 0..3 {
        assert!(client.chat(&question()).await.is_err());
    }
    assert_eq!(client.breaker_state(), BreakerState::Open);
    tokio::time::sleep(Duration::from_millis(350)).await;
    // The trial: the caller reads one token and leaves.
    fake.set_script(Script::Answer {
        tokens: tokens("one two three"),
        gap: Duration::from_millis(100),
    });
    let mut stream = client.chat_stream(&question()).await.unwrap();
    assert_eq!(
        stream.next().await.unwrap().unwrap(),
        ChatChunk::Token("one".into())
    );
    drop(stream);
    assert_eq!(
        client.breaker_state(),
        BreakerState::Closed,
        "Ollama was answering: it is up"
    );
}

#[tokio::test]
async fn bad_configuration_is_refused() {
    for (base_url, model) in [
        ("not a url", "mistral"),
        ("ftp://x", "mistral"),
        ("http://x", " "),
    ] {
        let result = OllamaClient::new(OllamaConfig {
            base_url: base_url.into(),
            model: model.into(),
            ..OllamaConfig::default()
        });
        assert!(
            matches!(result, Err(OllamaError::Config(_))),
            "{base_url} {model}"
        );
    }
}
