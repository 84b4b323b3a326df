//! The README is tested: every `$ plantrack …` line in it runs, in order, against a fresh
//! ledger on the shipped plan, and the output shown under it must appear in what it prints.

use crate::support::{Case, repo};

/// One command of the README and the output lines shown under it.
struct Example {
    line: usize,
    args: Vec<String>,
    grep: Option<String>,
    expected: Vec<String>,
}

/// Splits a command line the way a shell would for the simple quoting the README uses.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

fn examples(readme: &str) -> Vec<Example> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(command) = line.strip_prefix("$ plantrack ") else {
            continue;
        };
        let command = command.split("  #").next().unwrap_or(command);
        let (command, grep) = match command.split_once(" | grep ") {
            Some((c, pattern)) => (c, Some(pattern.trim().to_string())),
            None => (command, None),
        };
        let expected = lines[i + 1..]
            .iter()
            .take_while(|l| !l.is_empty() && !l.starts_with("$ ") && !l.starts_with("```"))
            .filter(|l| **l != "…")
            .map(|l| l.to_string())
            .collect();
        out.push(Example {
            line: i + 1,
            args: words(command),
            grep,
            expected,
        });
    }
    out
}

#[test]
fn every_readme_command_runs_and_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.len() >= 8,
        "found only {} examples",
        examples.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("regional.db");
    for ex in examples {
        let args: Vec<&str> = ex.args.iter().map(String::as_str).collect();
        let out = Case::new(&args).default_plan().db(&db).run();
        let printed = format!("{}{}", out.stdout, out.stderr);
        let printed: Vec<&str> = printed
            .lines()
            .filter(|l| ex.grep.as_deref().is_none_or(|p| l.contains(p)))
            .collect();
        let fails = ex.expected.iter().any(|l| l.starts_with("error:"));
        assert_eq!(
            out.code,
            if fails { 2 } else { 0 },
            "README line {}: {:?}\n{}",
            ex.line,
            ex.args,
            out.transcript()
        );
        for want in &ex.expected {
            assert!(
                printed.iter().any(|got| got.trim_end() == want.trim_end()),
                "README line {}: {:?} did not print\n  {want}\nit printed:\n{}",
                ex.line,
                ex.args,
                printed.join("\n")
            );
        }
    }
}

#[test]
fn words_follow_shell_quoting() {
    assert_eq!(
        words(r#"update T --note "全市 摸底" --by agri"#),
        ["update", "T", "--note", "全市 摸底", "--by", "agri"]
    );
}

/// The developer's tour in the README names every file and folder of `src/`, and nothing else.
#[test]
fn the_tour_of_the_tree_matches_the_tree() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut in_tree: Vec<String> = std::fs::read_dir(repo().join("src"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            let slash = if e.path().is_dir() { "/" } else { "" };
            format!("src/{name}{slash}")
        })
        .collect();
    in_tree.sort();
    let mut in_tour: Vec<String> = readme
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.starts_with("src/"))
        .map(str::to_string)
        .collect();
    in_tour.sort();
    assert_eq!(in_tour, in_tree);
}
