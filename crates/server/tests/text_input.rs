//! Every route's text inputs, driven from the OpenAPI document itself (so a route added
//! tomorrow is covered without editing this file), on every configured database:
//! hostile strings in each JSON body string, query parameter and path parameter never give
//! a 5xx, errors keep the API's shape, and a string carrying NUL or another control
//! character is never accepted (PostgreSQL refuses NUL in text; SQLite stored it silently).
//! Then the stored fixtures are all still there.

mod common;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, PASSWORD};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

/// Ids of one stored resource of each kind, put in the matching `{id}` path segments.
struct Fixtures {
    token: String,
    ids: BTreeMap<&'static str, String>,
}

fn firebrand() -> Value {
    json!({
        "name": "Text fixture", "profession": "Guardian", "specialization": "Firebrand",
        "game_mode": "wvw", "role": "support",
        "trait_lines": [{"specialization": "Radiance", "traits": [2, 2, 1]}],
        "equipment": {"gear": {"helm": "Minstrel's"}},
        "description": "Stability.", "tags": ["zerg"], "is_public": true
    })
}

async fn fixtures(app: &TestApp) -> Fixtures {
    app.state
        .accounts
        .create_superuser("root@example.com", "root", PASSWORD)
        .await
        .expect("superuser");
    let token = app.login("root", PASSWORD).await.expect(StatusCode::OK)["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = app
        .get("/api/v1/auth/me", Some(&token))
        .await
        .expect(StatusCode::OK);
    let build = app
        .post("/api/v1/builds", firebrand(), Some(&token))
        .await
        .expect(StatusCode::CREATED);
    let team = app
        .post(
            "/api/v1/teams",
            json!({"name": "Text team", "game_mode": "wvw",
                   "slots": [{"build_id": build["id"], "party": 1, "position": 1, "player_name": "Ann"}]}),
            Some(&token),
        )
        .await
        .expect(StatusCode::CREATED);
    let session = app
        .post(
            "/api/v1/mcm/sessions",
            json!({"name": "Text session"}),
            Some(&token),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = |v: &Value| v["id"].as_str().expect("id").to_owned();
    let ids = BTreeMap::from([
        ("/builds/", id(&build)),
        ("/teams/", id(&team)),
        ("/mcm/sessions/", id(&session)),
        ("/admin/users/", id(&me)),
    ]);
    Fixtures { token, ids }
}

/// An operation's text inputs.
#[derive(Debug, Clone)]
struct Operation {
    method: Method,
    path: String,
    path_params: Vec<String>,
    query_params: Vec<String>,
    body: Option<Value>,
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap_or_default();
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A value of `schema` with every property present (strings "x", numbers 1, one item per
/// array), so that each string leaf can be replaced in turn.
fn sample(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if depth > 6 {
        return Value::Null;
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema[key]
            .as_array()
            .and_then(|options| options.iter().find(|o| resolve(doc, o)["type"] != "null"))
        {
            return sample(doc, first, depth + 1);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = sample(doc, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    let kind = match &schema["type"] {
        Value::String(t) => t.clone(),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null")
            .to_owned(),
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "null".into(),
    };
    match kind.as_str() {
        "object" => {
            let mut out = Map::new();
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    out.insert(name.clone(), sample(doc, property, depth + 1));
                }
            }
            Value::Object(out)
        }
        "array" => json!([sample(doc, &schema["items"], depth + 1)]),
        "string" => match schema["format"].as_str() {
            Some("uuid") => json!("00000000-0000-4000-8000-000000000000"),
            Some("date-time") => json!("2026-01-01T00:00:00Z"),
            _ => json!("x"),
        },
        "integer" => json!(1),
        "number" => json!(1.0),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let mut path_params = Vec::new();
            let mut query_params = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default().to_owned();
                match p["in"].as_str() {
                    Some("path") => path_params.push(name),
                    Some("query") => query_params.push(name),
                    _ => {}
                }
            }
            let body = op["requestBody"]["content"]["application/json"]
                .as_object()
                .map(|content| match content.get("example") {
                    Some(example) => example.clone(),
                    None => sample(doc, &content["schema"], 0),
                });
            out.push(Operation {
                method,
                path: path.clone(),
                path_params,
                query_params,
                body,
            });
        }
    }
    // Routes that end the session or the account run last, so the others keep their token.
    out.sort_by_key(|op| {
        (op.path.contains("logout")
            || op.path.contains("password")
            || op.path == "/api/v1/users/me") as u8
    });
    out
}

/// Every (JSON pointer, value) of the string leaves of `value`.
fn string_leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(pointer),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                string_leaves(item, format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                string_leaves(
                    item,
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn uri(
    op: &Operation,
    fixtures: &Fixtures,
    hostile_path: Option<(&str, &str)>,
    query: &str,
) -> String {
    let mut path = op.path.clone();
    for name in &op.path_params {
        let value = match hostile_path {
            Some((hostile_name, value)) if hostile_name == name => encode(value),
            _ => fixtures
                .ids
                .iter()
                .find(|(prefix, _)| op.path.contains(&format!("{prefix}{{")))
                .map(|(_, id)| id.clone())
                .unwrap_or_else(|| "00000000-0000-4000-8000-000000000000".into()),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// Whether the service must refuse `text` in a field: any control character, except tab
/// and line breaks in prose fields (`server::text::PROSE_FIELDS`).
fn forbidden(text: &str, prose: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(prose && matches!(c, '\t' | '\n' | '\r')))
}

/// Sends one request and checks the answer; returns a description of a failure.
async fn probe(
    app: &TestApp,
    token: &str,
    method: &Method,
    uri: &str,
    body: Option<&Value>,
    hostile: &str,
    prose: bool,
) -> Result<(), String> {
    let mut builder = Request::builder().method(method.clone()).uri(uri);
    builder = builder.header("authorization", format!("Bearer {token}"));
    let request = match body {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => builder.body(Body::empty()),
    }
    .map_err(|e| format!("{method} {uri}: cannot build request: {e}"))?;
    let reply = app.send(request).await;
    let shown = || {
        format!(
            "{method} {uri} with {hostile:?} → {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.raw)
                .chars()
                .take(300)
                .collect::<String>()
        )
    };
    if reply.status.is_server_error() {
        return Err(shown());
    }
    if reply.status.is_client_error()
        && reply.status != StatusCode::METHOD_NOT_ALLOWED
        && !(reply.body["detail"].is_string() && reply.body["code"].is_string())
    {
        return Err(format!("error shape: {}", shown()));
    }
    if forbidden(hostile, prose) && reply.status.is_success() {
        return Err(format!("a control character was accepted: {}", shown()));
    }
    Ok(())
}

/// Runs one hostile string through every text input of every operation.
async fn drive(
    app: &TestApp,
    fixtures: &Fixtures,
    ops: &[Operation],
    hostile: &str,
) -> Result<usize, String> {
    let token = fixtures.token.as_str();
    let mut sent = 0;
    for op in ops {
        if op.path.contains("/ws/") {
            continue;
        }
        for name in &op.path_params {
            probe(
                app,
                token,
                &op.method,
                &uri(op, fixtures, Some((name, hostile)), ""),
                op.body.as_ref(),
                hostile,
                false,
            )
            .await?;
            sent += 1;
        }
        for name in &op.query_params {
            let query = format!("{name}={}", encode(hostile));
            probe(
                app,
                token,
                &op.method,
                &uri(op, fixtures, None, &query),
                op.body.as_ref(),
                hostile,
                false,
            )
            .await?;
            sent += 1;
        }
        if let Some(body) = &op.body {
            let mut leaves = Vec::new();
            string_leaves(body, String::new(), &mut leaves);
            for pointer in leaves {
                let mut variant = body.clone();
                if let Some(slot) = variant.pointer_mut(&pointer) {
                    *slot = Value::String(hostile.to_owned());
                }
                let field = pointer
                    .rsplit('/')
                    .find(|s| s.parse::<usize>().is_err())
                    .unwrap_or_default();
                let prose = server::text::PROSE_FIELDS.contains(&field);
                probe(
                    app,
                    token,
                    &op.method,
                    &uri(op, fixtures, None, ""),
                    Some(&variant),
                    hostile,
                    prose,
                )
                .await?;
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Text that breaks naive code: controls (NUL first), C1 controls, bidi overrides, very
/// long text, SQL and HTML fragments, and arbitrary Unicode with a control spliced in.
fn hostile() -> impl Strategy<Value = String> {
    let control = prop_oneof![
        Just('\u{0}'),
        Just('\u{1b}'),
        Just('\u{7f}'),
        Just('\u{85}'),
        Just('\n'),
        Just('\t'),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('\u{0}')),
    ];
    prop_oneof![
        (any::<String>(), control, any::<prop::sample::Index>()).prop_map(|(text, c, at)| {
            let chars: Vec<char> = text.chars().collect();
            let at = at.index(chars.len() + 1);
            chars[..at]
                .iter()
                .chain(std::iter::once(&c))
                .chain(chars[at..].iter())
                .collect()
        }),
        Just("a\u{0}b".to_owned()),
        Just("' OR 1=1; -- \u{202e}".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("x".repeat(5000)),
        any::<String>(),
    ]
}

#[test]
fn every_route_survives_hostile_text_on_every_database() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let apps = rt.block_on(TestApp::all_with(|s| {
        s.login_rate_per_minute = 1_000_000;
        s.register_rate_per_hour = 1_000_000;
    }));
    for app in &apps {
        let fixtures = rt.block_on(fixtures(app));
        let doc = rt
            .block_on(app.get("/api/v1/openapi.json", None))
            .expect(StatusCode::OK);
        let ops = operations(&doc);
        assert!(
            ops.len() > 40,
            "the document lists the routes ({})",
            ops.len()
        );
        let cases = std::env::var("GW2OPT_TEXT_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(6);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let total = std::cell::Cell::new(0usize);
        // The NUL case first, always.
        let first = rt
            .block_on(drive(app, &fixtures, &ops, "nul\u{0}inside"))
            .unwrap_or_else(|e| panic!("{:?}: {e}", app.backend()));
        total.set(first);
        runner
            .run(&hostile(), |text| {
                let sent = rt
                    .block_on(drive(app, &fixtures, &ops, &text))
                    .map_err(TestCaseError::fail)?;
                total.set(total.get() + sent);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{:?}: {e}", app.backend()));
        let total = total.get();
        assert!(total > 200, "{total} requests sent");
        // Nothing stored was lost: the fixtures still read back.
        for (prefix, id) in &fixtures.ids {
            if prefix.starts_with("/admin") {
                continue;
            }
            let reply = rt.block_on(app.get(&format!("/api/v1{prefix}{id}"), None));
            assert!(
                reply.status == StatusCode::OK || reply.status == StatusCode::FORBIDDEN,
                "{prefix}{id}: {}",
                reply.status
            );
        }
        eprintln!("{:?}: {total} hostile requests, no 5xx", app.backend());
    }
}
