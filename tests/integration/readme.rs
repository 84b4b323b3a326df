//! The README is tested: every `$ plantrack …` line in it runs, in order, against a fresh
//! ledger on the shipped plan, and what it prints must be the output shown under it, line for
//! line, where a line `…` stands for any number of lines (as trycmd's `...`).

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
        // The output runs to the next command or the end of the block; the blank lines that
        // separate it from the next command are not part of it.
        let mut expected: Vec<String> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with("$ ") && !l.starts_with("```"))
            .map(|l| l.to_string())
            .collect();
        while expected.last().is_some_and(|l| l.is_empty()) {
            expected.pop();
        }
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
        if ex.expected.is_empty() {
            continue;
        }
        let want: Vec<&str> = ex.expected.iter().map(String::as_str).collect();
        assert!(
            matches(&want, &printed),
            "README line {}: {:?} printed something else. The README shows (… for any lines):\n{}\nit printed:\n{}",
            ex.line,
            ex.args,
            want.join("\n"),
            printed.join("\n")
        );
    }
}

/// Whether `got` is `want` line by line (trailing spaces aside), where a line `…` in `want`
/// stands for any number of lines.
fn matches(want: &[&str], got: &[&str]) -> bool {
    match want.split_first() {
        None => got.is_empty(),
        Some((&"…", rest)) => (0..=got.len()).any(|skip| matches(rest, &got[skip..])),
        Some((w, rest)) => got
            .split_first()
            .is_some_and(|(g, more)| g.trim_end() == w.trim_end() && matches(rest, more)),
    }
}

#[test]
fn the_matcher_takes_an_ellipsis_for_any_lines() {
    assert!(matches(&["a", "…", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a", "…"], &["a"]));
    assert!(!matches(&["a", "d"], &["a", "b", "d"]));
    assert!(!matches(&["a"], &["a", "b"]), "a line more is a difference");
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
