//! Interactive prompts (dialoguer), used by `update` only when stdin and stdout are terminals
//! and the flags leave something out. Scripts never see a prompt.

use anyhow::Result;
use chrono::NaiveDate;
use dialoguer::{Confirm, FuzzySelect, Input, Select};

use crate::cli::UpdateArgs;
use crate::i18n::Lang;
use crate::input::{parse_date, parse_value};
use crate::model::{Item, Plan, Status};

/// Asks for every value `args` leaves out; returns the completed arguments.
pub fn complete(
    plan: &Plan,
    mut args: UpdateArgs,
    as_of: NaiveDate,
    today: NaiveDate,
    lang: Lang,
) -> Result<UpdateArgs> {
    if args.id.is_none() {
        let items: Vec<Item> = plan.items().collect();
        let labels: Vec<String> = items
            .iter()
            .map(|i| format!("{}  {}", i.id(), i.title()))
            .collect();
        let pick = FuzzySelect::new()
            .with_prompt(lang.t("Item (type to search ids and titles)"))
            .items(&labels)
            .interact()?;
        args.id = Some(items[pick].id().to_string());
    }
    let Some(item) = args.id.as_deref().and_then(|id| plan.item(id)) else {
        return Ok(args);
    };
    match item {
        Item::Target(t) if args.value.is_none() => {
            let v: String = Input::new()
                .with_prompt(lang.fill(
                    "Value of {metric} ({unit})",
                    &[("metric", t.metric.clone()), ("unit", t.unit.clone())],
                ))
                // The same checks as --value, so a bad answer is asked again, not refused later.
                .validate_with(|s: &String| parse_value(t, s).map(|_| ()))
                .interact_text()?;
            args.value = Some(v);
        }
        Item::Measure(_) | Item::Milestone(_) if args.status.is_none() => {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            let pick = Select::new()
                .with_prompt(lang.t("Status"))
                .items(names.iter().map(|n| lang.t(n)))
                .default(1)
                .interact()?;
            args.status = Some(names[pick].to_string());
        }
        _ => {}
    }
    if args.date.is_none() {
        let d: String = Input::new()
            .with_prompt(lang.t("Reporting date"))
            .default(as_of.min(today).to_string())
            .validate_with(|s: &String| parse_date(plan, s, as_of, today).map(|_| ()))
            .interact_text()?;
        args.date = Some(d);
    }
    if args.note.is_none() {
        let n: String = Input::new()
            .with_prompt(lang.t("Note"))
            .allow_empty(true)
            .interact_text()?;
        args.note = Some(n);
    }
    if args.by.is_none() && item.units().len() > 1 {
        let mut units: Vec<&str> = item.units().iter().map(|u| u.as_str()).collect();
        if let Some(s) = &plan.meta.supervisor {
            units.push(s.as_str());
        }
        let labels: Vec<String> = units
            .iter()
            .map(|u| format!("{u}  {}", plan.unit(u).map_or("", |x| x.name.as_str())))
            .collect();
        let pick = FuzzySelect::new()
            .with_prompt(lang.t("Reported by"))
            .items(&labels)
            .interact()?;
        args.by = Some(units[pick].to_string());
    }
    Ok(args)
}

/// Shows what will be recorded and asks to go ahead.
pub fn confirm(summary: &str, lang: Lang) -> Result<bool> {
    eprintln!("{summary}");
    Ok(Confirm::new()
        .with_prompt(lang.t("Record this?"))
        .default(true)
        .interact()?)
}
