//! Connection limits on a real socket: a client that trickles its request head is cut off
//! after the header-read timeout, an idle kept-alive connection after the idle timeout (but
//! not a WebSocket), and connections past the cap are answered 503 and closed.

mod common;

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

async fn served(
    tweak: impl FnOnce(&mut server::config::Settings),
) -> (common::Served, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::test_settings(dir.path());
    tweak(&mut settings);
    (common::serve(settings).await, dir)
}

fn addr(served: &common::Served) -> String {
    served.base.trim_start_matches("http://").to_owned()
}

/// One HTTP/1.1 response read off a raw socket.
#[derive(Debug)]
struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `GET path` on a kept-alive connection and reads the answer (by its Content-Length).
async fn get(stream: &mut TcpStream, path: &str) -> RawResponse {
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    read_response(stream).await.expect("a response")
}

async fn read_response(stream: &mut TcpStream) -> Option<RawResponse> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .expect("response in time")
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .expect("content-length");
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&buf[head_end..head_end + length]).unwrap_or(Value::Null);
    Some(RawResponse {
        status,
        headers,
        body,
    })
}

/// Waits for the peer to close the connection; returns how long that took (`None`: still
/// open after `limit`).
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut chunk = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(
            tokio::time::Instant::from_std(started + limit),
            stream.read(&mut chunk),
        )
        .await
        {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn a_client_trickling_its_request_head_is_cut_off_after_the_header_read_timeout() {
    let (served, _dir) = served(|s| {
        s.header_read_timeout = Duration::from_secs(1);
        s.idle_timeout = Duration::from_secs(30);
    })
    .await;

    // A prompt client is served (the timeout does not cut ordinary requests).
    let mut prompt = TcpStream::connect(addr(&served)).await.unwrap();
    assert_eq!(get(&mut prompt, "/health").await.status, 200);

    // Slowloris: one byte of a 70-byte head every 200 ms would take 14 s.
    let head =
        b"GET /health HTTP/1.1\r\nHost: test\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let stream = TcpStream::connect(addr(&served)).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let started = Instant::now();
    let trickle = tokio::spawn(async move {
        let mut sent = 0;
        for byte in head {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            sent += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        sent
    });
    let mut chunk = [0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), reader.read(&mut chunk))
        .await
        .expect("the server closes a slowloris connection");
    let closed = started.elapsed();
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "no answer expected to an incomplete head: {read:?}"
    );
    let sent = trickle.await.unwrap();
    assert!(
        closed >= Duration::from_millis(900) && closed < Duration::from_secs(3),
        "closed after {closed:?}, expected about the 1 s header-read timeout"
    );
    assert!(
        sent < head.len(),
        "the head was never completed ({sent} bytes sent)"
    );

    // The prompt client's kept-alive connection (idle timeout 30 s) is still served.
    assert_eq!(get(&mut prompt, "/health").await.status, 200);
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let (served, _dir) = served(|s| {
        s.header_read_timeout = Duration::from_millis(700);
        s.idle_timeout = Duration::from_millis(2000);
    })
    .await;
    let mut stream = TcpStream::connect(addr(&served)).await.unwrap();
    assert_eq!(get(&mut stream, "/health").await.status, 200);
    // Idle longer than the header-read timeout but within the idle timeout: still open, and
    // the next request is served (the idle timeout is its own setting, not the header one).
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(get(&mut stream, "/health").await.status, 200);
    // Then nothing: closed once the idle timeout has passed since the last response.
    let closed = closed_within(&mut stream, Duration::from_secs(6))
        .await
        .expect("an idle connection is closed");
    assert!(
        closed >= Duration::from_millis(1800) && closed < Duration::from_millis(3500),
        "closed after {closed:?}, expected about the 2 s idle timeout"
    );
}

async fn next_json<S>(ws: &mut S) -> Value
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
        Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str(t.as_str()).unwrap(),
        other => panic!("expected a text message, got {other:?}"),
    }
}

#[tokio::test]
async fn a_quiet_websocket_outlives_the_idle_timeout() {
    let (served, _dir) = served(|s| {
        s.header_read_timeout = Duration::from_millis(500);
        s.idle_timeout = Duration::from_millis(500);
    })
    .await;
    let client = reqwest::Client::new();
    let register = client
        .post(format!("{}/api/v1/auth/register", served.base))
        .json(&json!({"email": "quiet@example.com", "username": "quiet", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 201);
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"username": "quiet", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("{}?token={token}", served.ws))
        .await
        .unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "ready");
    // Silent for four idle timeouts (the /ws/mcm heartbeat is 20 s: nothing is sent).
    tokio::time::sleep(Duration::from_secs(2)).await;
    ws.send(Message::Text(json!({"type": "ping"}).to_string().into()))
        .await
        .expect("the socket is still open");
    assert_eq!(next_json(&mut ws).await["type"], "pong");
}

#[tokio::test]
async fn connections_past_the_cap_are_answered_503_and_closed() {
    let (served, _dir) = served(|s| s.max_connections = 3).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut stream = TcpStream::connect(addr(&served)).await.unwrap();
        assert_eq!(get(&mut stream, "/health").await.status, 200);
        open.push(stream);
    }

    let mut extra = TcpStream::connect(addr(&served)).await.unwrap();
    let answer = get(&mut extra, "/health").await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.body["code"], "service_unavailable");
    assert!(
        answer.body["detail"]
            .as_str()
            .unwrap()
            .contains("3 open connections"),
        "{}",
        answer.body
    );
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(answer.header("retry-after").is_some());
    assert!(
        closed_within(&mut extra, Duration::from_secs(3))
            .await
            .is_some(),
        "the refused connection is closed"
    );

    // The first three still work.
    for stream in &mut open {
        assert_eq!(get(stream, "/health").await.status, 200);
    }
    // Once they close, new connections are served again.
    drop(open);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut served_again = Vec::new();
    while served_again.len() < 3 {
        let mut stream = TcpStream::connect(addr(&served)).await.unwrap();
        let answer = get(&mut stream, "/health").await;
        if answer.status == 200 {
            served_again.push(stream);
        } else {
            assert_eq!(answer.status, 503);
            assert!(Instant::now() < deadline, "slots were never given back");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[tokio::test]
async fn the_peer_address_still_reaches_handlers() {
    // The login history records the client address the handler got as ConnectInfo.
    let (served, _dir) = served(|_| {}).await;
    let client = reqwest::Client::new();
    let register = client
        .post(format!("{}/api/v1/auth/register", served.base))
        .json(
            &json!({"email": "peer@example.com", "username": "peer", "password": common::PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 201);
    let tokens: Value = client
        .post(format!("{}/api/v1/auth/login", served.base))
        .json(&json!({"username": "peer", "password": common::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let history: Value = client
        .get(format!("{}/api/v1/users/me/login-history", served.base))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["ip"], "127.0.0.1", "{history}");
}
