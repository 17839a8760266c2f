//! Reading a streamed `/api/chat` answer: newline-delimited JSON, one object per line, under
//! the idle and total timeouts, ending at the `done` line. Whatever ends the stream (done, an
//! error, a timeout, or the caller dropping it) tells the circuit breaker how the call went.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use resilience::CircuitBreaker;
use tokio::time::Instant;

use crate::error::{OllamaError, TimeoutPhase};
use crate::wire::ChatLine;

/// One item of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatChunk {
    /// The next piece of the answer (never empty).
    Token(String),
    /// The answer is complete; nothing follows.
    Done(ChatDone),
}

/// What the last line of an answer says (`docs/api.md`: durations in nanoseconds, counts in
/// tokens).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatDone {
    /// The model that answered, as the server names it.
    pub model: Option<String>,
    /// `stop` (the model finished), `length` (it hit its token limit), ...
    pub done_reason: Option<String>,
    pub total_duration: Option<Duration>,
    pub load_duration: Option<Duration>,
    pub prompt_eval_count: Option<u64>,
    pub prompt_eval_duration: Option<Duration>,
    pub eval_count: Option<u64>,
    pub eval_duration: Option<Duration>,
}

impl ChatDone {
    /// Generation speed: `eval_count / eval_duration`, as the API documentation computes it.
    pub fn tokens_per_second(&self) -> Option<f64> {
        let count = self.eval_count? as f64;
        let secs = self.eval_duration?.as_secs_f64();
        (secs > 0.0).then(|| count / secs)
    }

    fn of(line: &ChatLine) -> Self {
        let nanos = |v: Option<u64>| v.map(Duration::from_nanos);
        ChatDone {
            model: line.model.clone(),
            done_reason: line.done_reason.clone(),
            total_duration: nanos(line.total_duration),
            load_duration: nanos(line.load_duration),
            prompt_eval_count: line.prompt_eval_count,
            prompt_eval_duration: nanos(line.prompt_eval_duration),
            eval_count: line.eval_count,
            eval_duration: nanos(line.eval_duration),
        }
    }
}

/// A whole answer, collected by [`crate::OllamaClient::chat`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChatReply {
    pub content: String,
    pub done: ChatDone,
}

/// The answer as it comes: [`ChatChunk::Token`]s then one [`ChatChunk::Done`], or an error
/// after which nothing follows. Dropping it closes the connection, which stops Ollama
/// generating.
pub struct ChatStream {
    inner: Pin<Box<dyn Stream<Item = Result<ChatChunk, OllamaError>> + Send>>,
}

impl ChatStream {
    pub(crate) fn new(reader: Reader) -> Self {
        let inner = futures_util::stream::unfold(reader, |mut reader| async move {
            reader.next_item().await.map(|item| (item, reader))
        });
        Self {
            inner: Box::pin(inner),
        }
    }
}

impl Stream for ChatStream {
    type Item = Result<ChatChunk, OllamaError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatStream")
    }
}

/// The breaker's side of one call: settled once with the call's outcome. A call dropped
/// before its outcome is known counts as a success when Ollama had started answering (it was
/// serving; the caller left), and otherwise releases a half-open trial as a failure, so the
/// breaker is never left waiting for a trial that will not report.
pub(crate) struct Verdict {
    breaker: Arc<CircuitBreaker>,
    /// The breaker was half-open when this call was let through: it is the trial call.
    trial: bool,
    settled: bool,
    answered: bool,
}

impl Verdict {
    pub(crate) fn new(breaker: Arc<CircuitBreaker>, trial: bool) -> Self {
        Self {
            breaker,
            trial,
            settled: false,
            answered: false,
        }
    }

    pub(crate) fn settle(&mut self, outcome: Result<(), &OllamaError>) {
        if self.settled {
            return;
        }
        self.settled = true;
        match outcome {
            Err(error) if error.is_outage() => self.breaker.record_failure(),
            _ => self.breaker.record_success(),
        }
    }
}

impl Drop for Verdict {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        if self.answered {
            self.breaker.record_success();
        } else if self.trial {
            self.breaker.record_failure();
        }
    }
}

/// Reads lines off the response body.
pub(crate) struct Reader {
    pub(crate) response: reqwest::Response,
    pub(crate) verdict: Verdict,
    pub(crate) buffer: Vec<u8>,
    pub(crate) ready: VecDeque<ChatChunk>,
    pub(crate) finished: bool,
    pub(crate) got_bytes: bool,
    pub(crate) first_byte: (Instant, Duration),
    pub(crate) total: (Instant, Duration),
    pub(crate) idle: Duration,
    pub(crate) max_line_bytes: usize,
}

impl Reader {
    async fn next_item(&mut self) -> Option<Result<ChatChunk, OllamaError>> {
        loop {
            if let Some(chunk) = self.ready.pop_front() {
                return Some(Ok(chunk));
            }
            if self.finished {
                return None;
            }
            if let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                if let Err(error) = self.take_line(&line) {
                    return Some(Err(self.fail(error)));
                }
                continue;
            }
            if self.buffer.len() > self.max_line_bytes {
                let error = OllamaError::Broken(format!(
                    "a line longer than {} bytes",
                    self.max_line_bytes
                ));
                return Some(Err(self.fail(error)));
            }
            match self.read_more().await {
                Ok(true) => {}
                Ok(false) => {
                    // End of the body: a last line without its newline still counts.
                    let rest = std::mem::take(&mut self.buffer);
                    if let Err(error) = self.take_line(&rest) {
                        return Some(Err(self.fail(error)));
                    }
                    if !self.finished {
                        let error =
                            OllamaError::Broken("the answer ended without its `done` line".into());
                        return Some(Err(self.fail(error)));
                    }
                }
                Err(error) => return Some(Err(self.fail(error))),
            }
        }
    }

    /// Reads the next piece of the body: `Ok(false)` at its end.
    async fn read_more(&mut self) -> Result<bool, OllamaError> {
        let (deadline, phase, after) = if self.got_bytes {
            let idle_end = Instant::now() + self.idle;
            if idle_end < self.total.0 {
                (idle_end, TimeoutPhase::Idle, self.idle)
            } else {
                (self.total.0, TimeoutPhase::Total, self.total.1)
            }
        } else if self.first_byte.0 < self.total.0 {
            (
                self.first_byte.0,
                TimeoutPhase::FirstByte,
                self.first_byte.1,
            )
        } else {
            (self.total.0, TimeoutPhase::Total, self.total.1)
        };
        match tokio::time::timeout_at(deadline, self.response.chunk()).await {
            Err(_) => Err(OllamaError::Timeout { phase, after }),
            Ok(Err(error)) => Err(OllamaError::Broken(format!("reading the answer: {error}"))),
            Ok(Ok(None)) => Ok(false),
            Ok(Ok(Some(bytes))) => {
                if !bytes.is_empty() {
                    self.got_bytes = true;
                    self.verdict.answered = true;
                }
                self.buffer.extend_from_slice(&bytes);
                Ok(true)
            }
        }
    }

    /// One line: its piece of the answer queued, `done` noted, an error line returned.
    fn take_line(&mut self, line: &[u8]) -> Result<(), OllamaError> {
        let line = line.trim_ascii();
        if line.is_empty() {
            return Ok(());
        }
        if self.finished {
            // Anything after `done` is ignored, as Ollama sends nothing there.
            return Ok(());
        }
        let parsed: ChatLine = serde_json::from_slice(line).map_err(|e| {
            OllamaError::Broken(format!(
                "a line is not JSON ({e}): {}",
                crate::error::truncate(String::from_utf8_lossy(line).into_owned())
            ))
        })?;
        if let Some(error) = parsed.error {
            return Err(OllamaError::Model(crate::error::truncate(error)));
        }
        if let Some(message) = &parsed.message {
            if !message.content.is_empty() {
                self.ready
                    .push_back(ChatChunk::Token(message.content.clone()));
            }
        }
        if parsed.done {
            self.ready.push_back(ChatChunk::Done(ChatDone::of(&parsed)));
            self.finished = true;
            self.verdict.settle(Ok(()));
        }
        Ok(())
    }

    fn fail(&mut self, error: OllamaError) -> OllamaError {
        self.finished = true;
        self.ready.clear();
        self.buffer.clear();
        self.verdict.settle(Err(&error));
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_per_second_as_documented() {
        let done = ChatDone {
            eval_count: Some(282),
            eval_duration: Some(Duration::from_nanos(4_535_599_000)),
            ..ChatDone::default()
        };
        let speed = done.tokens_per_second().unwrap();
        assert!((speed - 62.17).abs() < 0.01, "{speed}");
        assert_eq!(ChatDone::default().tokens_per_second(), None);
    }

    #[test]
    fn a_dropped_trial_reopens_and_an_answered_call_closes() {
        let breaker = Arc::new(CircuitBreaker::new(1, Duration::from_millis(20)));
        breaker.record_failure();
        std::thread::sleep(Duration::from_millis(30));
        assert!(breaker.allow(), "the trial");
        drop(Verdict::new(breaker.clone(), true));
        assert_eq!(breaker.state(), resilience::BreakerState::Open);

        std::thread::sleep(Duration::from_millis(30));
        assert!(breaker.allow());
        let mut verdict = Verdict::new(breaker.clone(), true);
        verdict.answered = true;
        drop(verdict);
        assert_eq!(breaker.state(), resilience::BreakerState::Closed);
    }
}
