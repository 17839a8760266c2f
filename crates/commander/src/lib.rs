//! Team Commander: a WvW squad from one sentence in French or English.
//!
//! « Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du
//! WvW zerg » becomes a squad: per group and slot a role, profession and elite specialization,
//! gear, expected performance and a reason, and a synergy grade. No language model is needed:
//! - [`parse`] reads the request deterministically into a [`request::SquadRequest`], keeping
//!   the span of the message each part came from and listing what it did not understand;
//! - [`plan`] honours what was asked exactly, lets the squad optimizer fill the other slots so
//!   each group covers the boons and duties the mode needs, equips every slot with the gear
//!   engine and grades the result from the engines' numbers;
//! - [`words`] writes what the planner says (notes, reasons, refusals) in French or English.
//!
//! The crate is pure (no I/O), like the engines it drives.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod analyze;
pub mod guide;
pub mod page;
pub mod parse;
pub mod plan;
pub mod request;
pub mod templates;
pub mod words;
