//! `streamline settings`: the time zone weeks are counted in and the automation accounts, the
//! same settings as the app's Settings view.

use std::io::Write;

use clap::{Args, Subcommand};
use rusqlite::Connection;
use serde::Serialize;

use super::{write_json, CliError, Now};
use crate::settings::{self, TimeZoneSetting};

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Print the settings as JSON (also after a change).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    change: Option<SettingsChange>,
}

#[derive(Debug, Subcommand)]
enum SettingsChange {
    /// Count weeks in this IANA zone (e.g. Europe/Berlin), or `system` to follow the system's.
    TimeZone { zone: String },
    /// The accounts whose closures count as automated (none given: no accounts).
    AutomationAccounts { accounts: Vec<String> },
}

#[derive(Serialize)]
struct Shown {
    time_zone: TimeZoneSetting,
    automation_accounts: Vec<String>,
}

pub(super) fn run(
    conn: &mut Connection,
    args: SettingsArgs,
    now: &Now,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match args.change {
        Some(SettingsChange::TimeZone { zone }) => {
            let chosen = (!zone.eq_ignore_ascii_case("system")).then_some(zone.as_str());
            settings::set_time_zone(conn, chosen).map_err(crate::Error::from)?;
        }
        Some(SettingsChange::AutomationAccounts { accounts }) => {
            crate::import::set_automation_accounts(conn, &accounts).map_err(crate::Error::from)?;
        }
        None => {}
    }
    let shown = Shown {
        time_zone: settings::time_zone_setting(conn, now.system_tz).map_err(crate::Error::from)?,
        automation_accounts: crate::import::automation_accounts(conn)
            .map_err(|e| crate::Error::from(crate::store::StoreError::from(e)))?,
    };
    if args.json {
        return write_json(out, &shown);
    }
    let zone = match &shown.time_zone.chosen {
        Some(_) => shown.time_zone.effective.clone(),
        None => format!("{} (the system's)", shown.time_zone.system),
    };
    writeln!(out, "time zone:           {zone}")?;
    let accounts = if shown.automation_accounts.is_empty() {
        "none".to_owned()
    } else {
        shown.automation_accounts.join(", ")
    };
    writeln!(out, "automation accounts: {accounts}")?;
    Ok(())
}
