//! `plantrack schema [REPORT]`: the JSON Schema of a `--format json` document, or the list of
//! documents.

use anyhow::Result;

use super::{Outcome, out, usage};
use crate::cli::SchemaArgs;
use crate::i18n::Message;
use crate::view::schema::{DOCUMENTS, document};

pub fn run(args: &SchemaArgs) -> Result<Outcome> {
    let Some(name) = args.report.as_deref() else {
        let mut list = String::new();
        for d in DOCUMENTS {
            list.push_str(&format!("{:<20} {}\n", d.report, d.id()));
        }
        out(&list)?;
        return Ok(Outcome::Ok);
    };
    let Some(doc) = document(name) else {
        let names = DOCUMENTS.iter().map(|d| d.report);
        return usage(
            Message::new("no document \"{name}\"{hint}")
                .with("name", name)
                .with_message("hint", super::suggest_or_list(name, names)),
        );
    };
    out(&format!(
        "{}\n",
        serde_json::to_string_pretty(&doc.json_schema())?
    ))?;
    Ok(Outcome::Ok)
}
