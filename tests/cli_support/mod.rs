//! Shared by the integration tests that run the `streamline` command line as a user runs it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `streamline --db DB ARGS…`, with `STREAMLINE_DB` unset so only `--db` counts.
pub fn streamline(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_streamline"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("STREAMLINE_DB")
        .output()
        .expect("the CLI runs")
}

/// The command's stdout; it must succeed.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = streamline(db, args);
    assert!(
        out.status.success(),
        "streamline {args:?} succeeds; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The command's stderr; it must fail and print nothing to stdout.
pub fn fails(db: &Path, args: &[&str]) -> String {
    let out = streamline(db, args);
    assert!(!out.status.success(), "streamline {args:?} fails");
    assert!(out.stdout.is_empty(), "a failure prints nothing to stdout");
    String::from_utf8(out.stderr).unwrap()
}

/// The command's stdout read as JSON; it must succeed.
pub fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("the command prints JSON")
}
