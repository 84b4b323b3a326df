//! The confirmation, driven in a pseudo-terminal as an officer meets it: only an explicit yes
//! (y, yes, 是, half- or full-width) followed by Enter records; 否, anything else, a bare
//! Enter, Esc and Ctrl-C leave the ledger byte-for-byte as it was, and the cursor visible.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::{ControlCode, Eof, Session};

use crate::support::shipped_plan;

/// `update` with every flag but `--yes`, in a terminal, in Chinese.
fn session(db: &Path) -> Session {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("plantrack"));
    cmd.args([
        "--lang",
        "zh",
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "92",
        "--by",
        "agri",
    ])
    .env("PLANTRACK_PLAN", shipped_plan())
    .env("PLANTRACK_DB", db)
    .env("PLANTRACK_NOW", "2021-01-31T09:00:00+08:00")
    .env("TZ", "CST-8")
    .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
    .env("LANG", "zh_CN.UTF-8");
    let mut s = Session::spawn(cmd).expect("a pseudo-terminal");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s.expect("确认录入").expect("the confirmation");
    s
}

/// The rest of the session's output, once it ends.
fn rest(s: &mut Session) -> String {
    let found = s.expect(Eof).expect("the end");
    let mut bytes = found.before().to_vec();
    for m in found.matches() {
        bytes.extend_from_slice(m);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn ledger() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    (dir, db)
}

/// Cancelled: nothing recorded, no ledger created, the cursor not left hidden.
fn cancelled(db: &Path, output: &str) {
    assert!(output.contains("未录入"), "{output}");
    assert!(!db.exists(), "the ledger was created");
    if let Some(hidden) = output.rfind("\u{1b}[?25l") {
        assert!(
            output[hidden..].contains("\u{1b}[?25h"),
            "the cursor is left hidden"
        );
    }
}

#[test]
fn no_in_chinese_cancels() {
    let (_dir, db) = ledger();
    let mut s = session(&db);
    s.send("否\r").unwrap();
    let out = rest(&mut s);
    cancelled(&db, &out);
}

#[test]
fn anything_else_and_a_bare_enter_ask_again_then_esc_cancels() {
    let (_dir, db) = ledger();
    let mut s = session(&db);
    s.send("x\r").unwrap();
    s.expect("请输入 是(y)录入").unwrap();
    s.send("\r").unwrap();
    s.expect("请输入 是(y)录入").unwrap();
    s.send("yes").unwrap();
    // Not a yes until Enter: Esc still cancels.
    std::thread::sleep(Duration::from_millis(200));
    s.send(ControlCode::Escape).unwrap();
    let out = rest(&mut s);
    cancelled(&db, &out);
}

#[test]
fn ctrl_c_cancels() {
    let (_dir, db) = ledger();
    let mut s = session(&db);
    s.send(ControlCode::EndOfText).unwrap();
    let out = rest(&mut s);
    cancelled(&db, &out);
}

#[test]
fn yes_in_chinese_records() {
    let (_dir, db) = ledger();
    let mut s = session(&db);
    s.send("是\r").unwrap();
    let out = rest(&mut s);
    assert!(out.contains("已录入 #1"), "{out}");
    assert!(db.exists());
}

#[test]
fn full_width_y_records() {
    let (_dir, db) = ledger();
    let mut s = session(&db);
    s.send("ｙ\r").unwrap();
    let out = rest(&mut s);
    assert!(out.contains("已录入 #1"), "{out}");
}
