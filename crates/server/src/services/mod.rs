//! Business logic, one module per capability (the seed's `{Entity}Service`s).

pub mod accounts;
pub mod mailer;
