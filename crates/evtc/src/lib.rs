#![recursion_limit = "256"]
//! arcdps EVTC log parsing and WvW fight analytics.
//!
//! Pure library: bytes in, data out, no I/O.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bytes: Vec<u8> = std::fs::read("fight.zevtc")?;
//! let log = evtc::parse(&bytes)?;
//! let report = evtc::analyze(&log);
//! println!("{}", report.render_table());
//! let ei = report.to_ei_json();
//! # let _ = ei;
//! # Ok(())
//! # }
//! ```
//!
//! Format references (cited throughout): the arcdps evtc readme
//! (`writeencounter.cpp` notes, `evtc_agent`, `cbtevent`, `enum cbtstatechange`)
//! and Elite Insights (baaron4/GW2-Elite-Insights-Parser: `EvtcParser.cs`,
//! `ArcDPSEnums.cs`, `GW2EIJSON/*`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod analyze;
pub mod error;
pub mod event;
pub mod model;
pub mod parse;
pub mod session;
#[cfg(feature = "write")]
pub mod write;
pub mod zip;

pub use analyze::{analyze, FightReport, PlayerStats};
pub use error::{ParseError, Section, ZipError};
pub use event::{EventKind, StateChange};
pub use model::{Agent, AgentKind, Event, Header, Log, Skill};
pub use parse::{parse, parse_with, parse_with_limits, parse_with_progress, Limits};
pub use session::{aggregate, SessionStats};
