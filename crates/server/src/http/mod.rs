//! HTTP delivery: one file per resource, each exposing the handlers of its paths. Handlers
//! are thin: they parse input, call a service, and shape the answer.

pub mod admin;
pub mod adviser;
pub mod ai;
pub mod auth;
pub mod builds;
pub mod chat;
pub mod codes;
pub mod docs;
pub mod feedback;
pub mod game;
pub mod health;
pub mod hot_reads;
pub mod jobs;
pub mod learning;
pub mod mcm;
pub mod meta;
pub mod metrics;
pub mod optimize;
pub mod paging;
pub mod saved_builds;
pub mod session;
pub mod teams;
pub mod users;
pub mod web;
pub mod ws_mcm;
