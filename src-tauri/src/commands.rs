//! The commands the UI calls. Each one reads the clock, locks the connection and calls the core;
//! `(async)` keeps them off the main thread so the window never waits on the database.

use std::sync::{mpsc, Mutex};

use chrono::{Local, Utc};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;

use streamline::plan::{
    self, AccountabilityEdit, AccountabilityRow, AuditEntry, Objective, ObjectiveEdit, Plan, Stamp,
    Step, StepEdit,
};

use streamline::charts::Theme;
use streamline::dashboard::Dashboard;
use streamline::metrics::{self, Filter, MetricsQuery};
use streamline::settings;

use crate::Database;

/// What the UI receives when a command fails: a stable `kind` to branch on and a sentence to show.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    pub kind: String,
    pub message: String,
}

impl From<streamline::Error> for CommandError {
    fn from(err: streamline::Error) -> Self {
        CommandError {
            kind: err.kind().to_owned(),
            message: err.to_string(),
        }
    }
}

impl From<streamline::dashboard::DashboardError> for CommandError {
    fn from(err: streamline::dashboard::DashboardError) -> Self {
        use streamline::dashboard::DashboardError as D;
        match err {
            D::Metrics(e) => streamline::Error::from(e).into(),
            D::Plan(e) => streamline::Error::from(e).into(),
            D::Chart(e) => CommandError {
                kind: "chart_failed".into(),
                message: e.to_string(),
            },
        }
    }
}

impl From<plan::PlanError> for CommandError {
    fn from(err: plan::PlanError) -> Self {
        streamline::Error::from(err).into()
    }
}

/// Set when the database could not be opened at start-up; every command then reports it.
pub struct StartupError(pub CommandError);

pub(crate) type CommandResult<T> = Result<T, CommandError>;

/// [`with_db`] for a command that changes data: the figures prefetched at start-up no longer
/// hold after it.
pub(crate) fn with_db_write<T, E: Into<CommandError>>(
    app: &AppHandle,
    work: impl FnOnce(&mut rusqlite::Connection) -> Result<T, E>,
) -> CommandResult<T> {
    if let Some(prefetch) = app.try_state::<DashboardPrefetch>() {
        prefetch.discard();
    }
    with_db(app, work)
}

/// The open database, or why it could not be opened at start-up.
fn database(app: &AppHandle) -> CommandResult<tauri::State<'_, Database>> {
    app.try_state::<Database>().ok_or_else(|| {
        app.try_state::<StartupError>()
            .map(|e| e.0.clone())
            .unwrap_or_else(|| CommandError {
                kind: "database_unavailable".into(),
                message: "the database is not open".into(),
            })
    })
}

pub(crate) fn with_db<T, E: Into<CommandError>>(
    app: &AppHandle,
    work: impl FnOnce(&mut rusqlite::Connection) -> Result<T, E>,
) -> CommandResult<T> {
    let db = database(app)?;
    // A panic in another command cannot leave a half-written transaction behind (SQLite rolled it
    // back), so a poisoned lock is still safe to use.
    let mut conn = db
        .conn
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    work(&mut conn).map_err(Into::into)
}

/// The zone weeks are counted in: the one chosen in Settings, else the system's (read here, at
/// the edge).
pub(crate) fn time_zone(app: &AppHandle) -> CommandResult<streamline::settings::Tz> {
    with_db(app, |conn| {
        settings::time_zone(conn, metrics::system_time_zone()).map_err(streamline::Error::from)
    })
}

fn stamp() -> Stamp<'static> {
    Stamp {
        now: Utc::now(),
        today: Local::now().date_naive(),
        source: "app",
    }
}

/// What the About box shows.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    version: &'static str,
    database: String,
    data_folder: String,
    today: String,
}

#[tauri::command(async)]
pub fn app_info(app: AppHandle) -> CommandResult<AppInfo> {
    let path = &database(&app)?.path;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        database: path.display().to_string(),
        data_folder: path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        today: Local::now().date_naive().to_string(),
    })
}

/// Opens the folder holding the database in the system's file manager. The path comes from
/// here, never from the UI.
#[tauri::command(async)]
pub fn open_data_folder(app: AppHandle) -> CommandResult<()> {
    let folder = database(&app)?
        .path
        .parent()
        .map(std::path::Path::to_path_buf)
        .ok_or_else(|| CommandError {
            kind: "not_found".into(),
            message: "the database has no folder".into(),
        })?;
    app.opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|e| CommandError {
            kind: "open_failed".into(),
            message: format!("could not open {}: {e}", folder.display()),
        })
}

/// The Settings view: the time zone (chosen, system, in force, every name) and the automation
/// accounts.
#[derive(Debug, Serialize)]
pub struct Settings {
    time_zone: settings::TimeZoneSetting,
    time_zones: Vec<&'static str>,
    automation_accounts: Vec<String>,
}

#[tauri::command(async)]
pub fn get_settings(app: AppHandle) -> CommandResult<Settings> {
    with_db(&app, |conn| {
        Ok::<_, streamline::Error>(Settings {
            time_zone: settings::time_zone_setting(conn, metrics::system_time_zone())?,
            time_zones: settings::time_zone_names(),
            automation_accounts: streamline::import::automation_accounts(conn)
                .map_err(streamline::store::StoreError::from)?,
        })
    })
}

/// Chooses the zone weeks are counted in; `None` follows the system.
#[tauri::command(async)]
pub fn set_time_zone(app: AppHandle, zone: Option<String>) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        settings::set_time_zone(conn, zone.as_deref()).map_err(streamline::Error::from)
    })
}

#[tauri::command(async)]
pub fn get_plan(app: AppHandle) -> CommandResult<Plan> {
    with_db(&app, |conn| plan::load(conn, stamp().today))
}

#[tauri::command(async)]
pub fn edit_step(app: AppHandle, reference: String, edits: Vec<StepEdit>) -> CommandResult<Step> {
    with_db_write(&app, |conn| {
        plan::edit_step(conn, &reference, &edits, &stamp())
    })
}

#[tauri::command(async)]
pub fn add_step(
    app: AppHandle,
    objective_id: String,
    text: String,
    owner_role: String,
) -> CommandResult<Step> {
    with_db_write(&app, |conn| {
        plan::add_step(conn, &objective_id, &text, &owner_role, &stamp())
    })
}

#[tauri::command(async)]
pub fn remove_step(app: AppHandle, reference: String) -> CommandResult<()> {
    with_db_write(&app, |conn| plan::remove_step(conn, &reference, &stamp()))
}

#[tauri::command(async)]
pub fn move_step(app: AppHandle, reference: String, to: u32) -> CommandResult<Step> {
    with_db_write(&app, |conn| plan::move_step(conn, &reference, to, &stamp()))
}

#[tauri::command(async)]
pub fn edit_objective(
    app: AppHandle,
    id: String,
    edits: Vec<ObjectiveEdit>,
) -> CommandResult<Objective> {
    with_db_write(&app, |conn| {
        plan::edit_objective(conn, &id, &edits, &stamp())
    })
}

#[tauri::command(async)]
pub fn add_objective(
    app: AppHandle,
    id: String,
    title: String,
    owner_role: String,
) -> CommandResult<Objective> {
    with_db_write(&app, |conn| {
        plan::add_objective(conn, &id, &title, &owner_role, &stamp())
    })
}

#[tauri::command(async)]
pub fn remove_objective(app: AppHandle, id: String) -> CommandResult<()> {
    with_db_write(&app, |conn| plan::remove_objective(conn, &id, &stamp()))
}

#[tauri::command(async)]
pub fn move_objective(app: AppHandle, id: String, to: u32) -> CommandResult<()> {
    with_db_write(&app, |conn| plan::move_objective(conn, &id, to, &stamp()))
}

#[tauri::command(async)]
pub fn edit_accountability(
    app: AppHandle,
    number: String,
    edits: Vec<AccountabilityEdit>,
) -> CommandResult<AccountabilityRow> {
    with_db_write(&app, |conn| {
        plan::edit_accountability(conn, &number, &edits, &stamp())
    })
}

#[tauri::command(async)]
pub fn add_accountability(
    app: AppHandle,
    accountability: String,
) -> CommandResult<AccountabilityRow> {
    with_db_write(&app, |conn| {
        plan::add_accountability(conn, &accountability, &stamp())
    })
}

#[tauri::command(async)]
pub fn remove_accountability(app: AppHandle, number: String) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        plan::remove_accountability(conn, &number, &stamp())
    })
}

#[tauri::command(async)]
pub fn set_program_name(app: AppHandle, name: String) -> CommandResult<String> {
    with_db_write(&app, |conn| plan::set_program_name(conn, &name, &stamp()))
}

#[tauri::command(async)]
pub fn audit_log(app: AppHandle, limit: usize) -> CommandResult<Vec<AuditEntry>> {
    with_db(&app, |conn| plan::audit_log(conn, limit))
}

/// Opens a documentation or evidence link in the system browser, never inside the app.
#[tauri::command(async)]
pub fn open_link(app: AppHandle, url: String) -> CommandResult<()> {
    let invalid = || CommandError {
        kind: "invalid_input".into(),
        message: format!("{url:?} is not a web address"),
    };
    let parsed = url::Url::parse(&url).map_err(|_| invalid())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid());
    }
    app.opener()
        .open_url(parsed.as_str(), None::<&str>)
        .map_err(|e| CommandError {
            kind: "open_failed".into(),
            message: format!("could not open {url}: {e}"),
        })
}

/// What the dashboard's filters ask for; dates are YYYY-MM-DD.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DashboardFilter {
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    queues: Vec<String>,
    #[serde(default)]
    severities: Vec<String>,
}

#[tauri::command(async)]
pub fn get_dashboard(
    app: AppHandle,
    filter: DashboardFilter,
    dark: bool,
) -> CommandResult<Dashboard> {
    let date = |v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(plan::parse_date)
            .transpose()
    };
    let unfiltered = filter.from.as_deref().unwrap_or("").is_empty()
        && filter.to.as_deref().unwrap_or("").is_empty()
        && filter.queues.is_empty()
        && filter.severities.is_empty();
    let query = MetricsQuery {
        tz: time_zone(&app)?,
        from: date(&filter.from)?,
        to: date(&filter.to)?,
        filter: Filter {
            queues: filter.queues,
            severities: filter.severities,
        },
        now: Utc::now(),
    };
    let theme = if dark { Theme::Dark } else { Theme::Light };
    let today = Local::now().date_naive();
    // The first, unfiltered dashboard was computed while the window opened.
    let prefetched = if unfiltered {
        app.try_state::<DashboardPrefetch>().and_then(|p| p.take())
    } else {
        None
    };
    with_db(&app, |conn| match prefetched {
        Some((figures, comparisons)) => {
            streamline::dashboard::assemble(conn, figures, comparisons, today, theme)
        }
        None => streamline::dashboard::dashboard(conn, &query, today, 4, theme),
    })
}

type Prefetched = (metrics::Metrics, Vec<metrics::Comparison>);

/// The unfiltered figures, computed on a thread of their own at start-up so that the first
/// dashboard does not wait for a million items to be read after the window is up.
#[derive(Default)]
pub struct DashboardPrefetch(Mutex<Option<mpsc::Receiver<Prefetched>>>);

impl DashboardPrefetch {
    pub fn start(&self, db: std::path::PathBuf) {
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let computed = streamline::store::open(&db)
                .map_err(streamline::Error::from)
                .and_then(|conn| {
                    let query = MetricsQuery {
                        tz: settings::time_zone(&conn, metrics::system_time_zone())?,
                        from: None,
                        to: None,
                        filter: Filter::default(),
                        now: Utc::now(),
                    };
                    Ok(metrics::weekly_and_milestones(&conn, &query, 4)?)
                });
            // On failure nothing is sent, and the dashboard computes as usual.
            if let Ok(figures) = computed {
                let _ = send.send(figures);
            }
        });
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(receive);
    }

    /// Forgets the prefetched figures: the data changed since they were read.
    pub fn discard(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// The prefetched figures, once: waits for them if they are still being computed.
    fn take(&self) -> Option<Prefetched> {
        let receiver = self.0.lock().unwrap_or_else(|p| p.into_inner()).take()?;
        receiver.recv().ok()
    }
}

/// Fills an empty database with the sample data (the first-run "Explore with sample data").
#[tauri::command(async)]
pub fn load_demo(app: AppHandle) -> CommandResult<streamline::demo::DemoSummary> {
    with_db_write(&app, |conn| {
        streamline::demo::load_demo(conn, Utc::now(), Local::now().date_naive())
            .map_err(streamline::Error::from)
    })
}

/// Objective 1's status from the data (active queues at or below the target for N weeks).
#[tauri::command(async)]
pub fn queue_target_status(app: AppHandle) -> CommandResult<Option<metrics::QueueTarget>> {
    let query = MetricsQuery {
        tz: time_zone(&app)?,
        from: None,
        to: None,
        filter: Filter::default(),
        now: Utc::now(),
    };
    with_db(&app, |conn| {
        metrics::weekly(conn, &query)
            .map(|m| m.queue_target)
            .map_err(streamline::Error::from)
    })
}

/// Saves a copy of the database where the user chooses (SQLite's online backup).
#[tauri::command(async)]
pub fn backup_database(app: AppHandle) -> CommandResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let name = format!("streamline-backup-{}.db", Local::now().date_naive());
    let Some(dest) = app
        .dialog()
        .file()
        .set_title("Back up Streamline's data")
        .set_file_name(&name)
        .add_filter("Streamline backup", &["db"])
        .blocking_save_file()
        .and_then(|f| f.into_path().ok())
    else {
        return Ok(None);
    };
    with_db(&app, |conn| {
        streamline::store::backup_to(conn, &dest).map_err(streamline::Error::from)
    })?;
    Ok(Some(dest.display().to_string()))
}

/// Replaces everything with a backup the user chooses, after checking it.
#[tauri::command(async)]
pub fn restore_database(app: AppHandle) -> CommandResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let Some(source) = app
        .dialog()
        .file()
        .set_title("Restore Streamline's data from a backup")
        .add_filter("Streamline backup", &["db", "bak"])
        .blocking_pick_file()
        .and_then(|f| f.into_path().ok())
    else {
        return Ok(None);
    };
    with_db_write(&app, |conn| {
        streamline::store::restore_from(conn, &source).map_err(streamline::Error::from)
    })?;
    Ok(Some(source.display().to_string()))
}
