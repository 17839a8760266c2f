//! GW2Optimizer optimizers. Pure computation (no I/O) so the server and the
//! CLI can call them directly and tests can run them on synthetic data.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod benchmark;
pub mod gear;
pub mod squad;
