//! The user's settings that shape the figures: the time zone weeks are counted in, and (in
//! `import`) the automation accounts. Stored in the database, so the app and the CLI agree.

pub use chrono_tz::Tz;
use rusqlite::Connection;
use serde::Serialize;

use crate::metrics::{self, MetricsError};
use crate::store;

const TIME_ZONE_KEY: &str = "time_zone";

/// The time zone setting as the Settings view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeZoneSetting {
    /// The zone chosen by the user, or `None` to follow the system.
    pub chosen: Option<String>,
    /// The system's zone, passed in by the caller.
    pub system: String,
    /// The zone weeks are counted in: the chosen one, else the system's.
    pub effective: String,
}

/// The zone weeks and dates are counted in: the one chosen in Settings, else `system` (read by
/// the caller at the edge, see [`metrics::system_time_zone`]). A stored name this build of
/// chrono-tz does not know falls back to `system` rather than failing every figure.
pub fn time_zone(conn: &Connection, system: Tz) -> Result<Tz, MetricsError> {
    Ok(in_force(chosen_time_zone(conn)?.as_deref(), system))
}

fn in_force(chosen: Option<&str>, system: Tz) -> Tz {
    chosen.and_then(|name| name.parse().ok()).unwrap_or(system)
}

/// The chosen zone's name, if the user chose one.
pub fn chosen_time_zone(conn: &Connection) -> Result<Option<String>, MetricsError> {
    store::setting(conn, TIME_ZONE_KEY).map_err(MetricsError::Store)
}

/// What the Settings view shows for the time zone.
pub fn time_zone_setting(conn: &Connection, system: Tz) -> Result<TimeZoneSetting, MetricsError> {
    let chosen = chosen_time_zone(conn)?;
    Ok(TimeZoneSetting {
        effective: in_force(chosen.as_deref(), system).name().to_owned(),
        chosen,
        system: system.name().to_owned(),
    })
}

/// Chooses the zone weeks are counted in (`None`, or an empty name: follow the system). An
/// unknown name is refused and nothing changes.
pub fn set_time_zone(conn: &Connection, name: Option<&str>) -> Result<(), MetricsError> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => {
            conn.execute("DELETE FROM setting WHERE key = ?1", [TIME_ZONE_KEY])?;
        }
        Some(name) => {
            let zone = metrics::parse_time_zone(name)?;
            conn.execute(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [TIME_ZONE_KEY, zone.name()],
            )?;
        }
    }
    Ok(())
}

/// Every IANA zone name, sorted, for the Settings view's list.
pub fn time_zone_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect();
    names.sort_unstable();
    names
}
