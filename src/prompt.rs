//! Interactive prompts (dialoguer), used by `update` only when stdin and stdout are terminals
//! and the flags leave something out. Scripts never see a prompt.

use anyhow::Result;
use chrono::NaiveDate;
use console::{Key, Term};
use dialoguer::{FuzzySelect, Input, Select};
use unicode_width::UnicodeWidthChar;

use crate::cli::UpdateArgs;
use crate::i18n::Lang;
use crate::input::{half_width, parse_date, parse_value};
use crate::model::{Item, Plan, Status};

/// Shows the cursor again and exits when Ctrl-C interrupts a prompt: a picker hides the
/// cursor, and an interrupted prompt has recorded nothing.
pub fn restore_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        let _ = Term::stderr().show_cursor();
        std::process::exit(130);
    });
}

/// Asks for every value `args` leaves out; returns the completed arguments, or `None` when
/// the user cancels (Esc).
pub fn complete(
    plan: &Plan,
    mut args: UpdateArgs,
    as_of: NaiveDate,
    today: NaiveDate,
    lang: Lang,
) -> Result<Option<UpdateArgs>> {
    restore_on_interrupt();
    // The optional date and note are asked for only in a guided update (something required
    // was left out); with the required flags given, their defaults stand.
    let guided = args.id.is_none() || (args.value.is_none() && args.status.is_none());
    if args.id.is_none() {
        let items: Vec<Item> = plan.items().collect();
        let labels: Vec<String> = items
            .iter()
            .map(|i| format!("{}  {}", i.id(), i.title()))
            .collect();
        let Some(pick) = FuzzySelect::new()
            .with_prompt(hinted(lang, "Item (type to search ids and titles)"))
            .items(&labels)
            .default(0)
            .max_length(picker_height())
            .interact_opt()?
        else {
            return Ok(None);
        };
        args.id = Some(items[pick].id().to_string());
    }
    let Some(item) = args.id.as_deref().and_then(|id| plan.item(id)) else {
        return Ok(Some(args));
    };
    match item {
        Item::Target(t) if args.value.is_none() => {
            let v: String = Input::new()
                .with_prompt(lang.fill(
                    "Value of {metric} ({unit})",
                    &[
                        ("metric", t.metric.to_string()),
                        ("unit", t.unit.to_string()),
                    ],
                ))
                // The same checks as --value, so a bad answer is asked again, not refused later.
                .validate_with(|s: &String| parse_value(t, s).map(|_| ()))
                .interact_text()?;
            args.value = Some(v);
        }
        Item::Measure(_) | Item::Milestone(_) if args.status.is_none() => {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            let Some(pick) = Select::new()
                .with_prompt(hinted(lang, "Status"))
                .items(names.iter().map(|n| lang.t(n)))
                .default(1)
                .interact_opt()?
            else {
                return Ok(None);
            };
            args.status = Some(names[pick].to_string());
        }
        _ => {}
    }
    if guided && args.date.is_none() {
        let d: String = Input::new()
            .with_prompt(lang.t("Reporting date"))
            .default(as_of.min(today).to_string())
            .validate_with(|s: &String| parse_date(plan, s, as_of, today).map(|_| ()))
            .interact_text()?;
        args.date = Some(d);
    }
    if guided && args.note.is_none() {
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
        let Some(pick) = FuzzySelect::new()
            .with_prompt(hinted(
                lang,
                "Reported by (only the item's responsible units and the supervision office may report)",
            ))
            .items(&labels)
            .default(0)
            .max_length(picker_height())
            .interact_opt()?
        else {
            return Ok(None);
        };
        args.by = Some(units[pick].to_string());
    }
    Ok(Some(args))
}

/// A picker's prompt with its keys: ↑↓ to choose, Enter to confirm, Esc to cancel.
fn hinted(lang: Lang, prompt: &'static str) -> String {
    format!(
        "{}  [{}]",
        lang.t(prompt),
        lang.t("↑↓ choose · Enter confirm · Esc cancel")
    )
}

/// How many choices a picker shows: what fits the terminal with its prompt and hints.
fn picker_height() -> usize {
    let rows = Term::stderr().size_checked().map_or(24, |(rows, _)| rows);
    usize::from(rows).saturating_sub(4).clamp(3, 15)
}

/// What an answer to "record this?" means: yes, no, or neither (ask again). The answer is a
/// word typed and confirmed with Enter, half- or full-width, in either language; a bare Enter
/// is neither, so it never records.
pub fn yes_or_no(answer: &str) -> Option<bool> {
    let a = half_width(answer).trim().to_lowercase();
    match a.as_str() {
        "y" | "yes" | "是" | "确认" | "确定" | "好" => Some(true),
        "n" | "no" | "否" | "取消" | "不" => Some(false),
        _ => None,
    }
}

/// Shows what will be recorded and asks to go ahead. Esc or Ctrl-C cancels; the cursor stays
/// visible throughout.
pub fn confirm(summary: &str, lang: Lang) -> Result<bool> {
    let term = Term::stderr();
    term.write_line(summary)?;
    loop {
        term.write_str(&format!(
            "{} ",
            lang.t("Record this? y/n (是/否), Enter to answer, Esc to cancel:")
        ))?;
        let mut answer = String::new();
        loop {
            match term.read_key_raw()? {
                Key::Enter => break,
                Key::Escape | Key::CtrlC | Key::Char('\u{3}') => {
                    term.write_line("")?;
                    term.show_cursor()?;
                    return Ok(false);
                }
                Key::Backspace => {
                    if let Some(c) = answer.pop() {
                        term.clear_chars(c.width().unwrap_or(1))?;
                    }
                }
                Key::Char(c) if !c.is_control() => {
                    answer.push(c);
                    term.write_str(&c.to_string())?;
                }
                _ => {}
            }
        }
        term.write_line("")?;
        match yes_or_no(&answer) {
            Some(yes) => return Ok(yes),
            None => term.write_line(lang.t("Type y (是) to record, or n (否) to cancel."))?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_either_language_and_width() {
        for yes in ["y", "Y", "yes", "是", "确认", "ｙ", " YES "] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in ["n", "no", "否", "取消", "ｎ"] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        for neither in ["", "x", "ye", "yess", "好的"] {
            assert_eq!(yes_or_no(neither), None, "{neither:?}");
        }
    }
}
