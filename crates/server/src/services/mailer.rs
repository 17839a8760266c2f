//! Outgoing e-mail: over SMTP when `SMTP_URL` is set, otherwise written as `.eml` files to
//! `DATA_DIR/outbox` so a local user can still open verification and reset links.

use std::path::PathBuf;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("SMTP delivery failed: {0}")]
    Smtp(String),
    #[error("cannot write to the outbox: {0}")]
    Outbox(#[from] std::io::Error),
    #[error("invalid SMTP_URL: {0}")]
    Config(String),
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        data_dir: &std::path::Path,
    ) -> Result<Self, MailError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Address(e.to_string()))?;
        match smtp_url {
            Some(url) if !url.trim().is_empty() => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailError::Config(e.to_string()))?
                    .timeout(Some(std::time::Duration::from_secs(10)))
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            _ => Ok(Mailer::Outbox {
                dir: data_dir.join("outbox"),
                from,
            }),
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Mailer::Smtp { .. } => "smtp",
            Mailer::Outbox { .. } => "outbox",
        }
    }

    /// Sends a plain-text message. Never logs the body (it carries one-time secrets).
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Address(e.to_string()))?;
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from.clone(),
        };
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Build(e.to_string()))?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .map_err(|e| MailError::Smtp(e.to_string()))?;
                tracing::info!(subject, "mail sent over SMTP");
            }
            Mailer::Outbox { dir, .. } => {
                tokio::fs::create_dir_all(dir).await?;
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
                    uuid::Uuid::new_v4().simple()
                );
                let path = dir.join(name);
                tokio::fs::write(&path, message.formatted()).await?;
                tracing::info!(subject, path = %path.display(), "no SMTP_URL: mail written to the outbox");
            }
        }
        Ok(())
    }
}
