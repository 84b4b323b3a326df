//! The integration tests: one binary, one module per area. `support` has the CLI builder.

mod check;
mod examples;
mod listing;
mod support;
