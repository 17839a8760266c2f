//! From a [`crate::request::SquadRequest`] to an equipped, graded squad.
