//! `gw2opt healthcheck`: asks a running service whether it is ready, for a container's
//! `HEALTHCHECK` (the runtime image has no curl: the binary checks itself).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use anyhow::{bail, Context};

/// Where the service listening on `bind` answers its readiness: the same address, or
/// loopback of the same family when it listens on every interface (`0.0.0.0:8000`).
pub fn readiness_url(bind: SocketAddr) -> String {
    let ip = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/health/ready", SocketAddr::new(ip, bind.port()))
}

/// `GET /health/ready`: Ok with the reported status (`ok`, `degraded`) on 200; an error
/// saying what was answered (503 `unavailable` or `draining`) or why nothing was.
pub async fn check(bind: SocketAddr, timeout: Duration) -> anyhow::Result<String> {
    let url = readiness_url(bind);
    let client = reqwest::Client::builder().timeout(timeout).build()?;
    let reply = client
        .get(&url)
        .send()
        .await
        .with_context(|| format!("no answer from {url}"))?;
    let status = reply.status();
    let body: serde_json::Value = reply.json().await.unwrap_or_default();
    let state = body["status"].as_str().unwrap_or("no status");
    if status.is_success() {
        Ok(format!("ready: {url} answered {status} ({state})"))
    } else {
        bail!("not ready: {url} answered {status} ({state})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_interface_is_asked_on_loopback() {
        let url = |s: &str| readiness_url(s.parse().unwrap());
        assert_eq!(url("0.0.0.0:8000"), "http://127.0.0.1:8000/health/ready");
        assert_eq!(url("[::]:9000"), "http://[::1]:9000/health/ready");
        assert_eq!(url("10.1.2.3:8080"), "http://10.1.2.3:8080/health/ready");
    }
}
