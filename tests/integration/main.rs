//! The integration tests: one binary, one module per area. `support` has the CLI builder.

mod assess;
mod cache;
mod check;
mod clock;
mod districts;
mod examples;
mod files;
mod fixture;
mod json_schema;
mod judging;
mod ledger;
mod ledger_trust;
mod listing;
mod monthly;
mod plan_edits;
mod plan_props;
mod prompt;
mod read_only;
mod readme;
mod remind;
mod reports;
mod store;
mod support;
mod synth;
mod terminal;
