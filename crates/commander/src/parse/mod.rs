//! Reading a French or English request into a [`crate::request::SquadRequest`].
