//! The Data view's commands: choose or drop export files, import them off the main thread with
//! progress and cancel, list and remove imports, and edit the queues.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use streamline::import::{
    self, ColumnMapping, DateOrder, Detection, FormatInfo, HandListedQueue, ImportOptions,
    ImportRecord, ImportReport, QueueInfo, QueueRule, Rejection,
};

use crate::commands::{with_db, with_db_write, CommandError, CommandResult, DashboardPrefetch};
use crate::Database;

/// Imports under way, by the job number the UI gave them, so that each can be cancelled.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<u64, Arc<AtomicBool>>>);

/// Where the Data view listens for files dropped on the window.
#[derive(Default)]
pub struct DropTarget(Mutex<Option<Channel<DropEvent>>>);

/// What a drag over the window is doing.
#[derive(Clone, Serialize)]
#[serde(tag = "event", content = "paths", rename_all = "camelCase")]
pub enum DropEvent {
    Over,
    Left,
    Dropped(Vec<String>),
}

/// An import's progress, at most every 100 ms.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    bytes_read: u64,
    bytes_total: u64,
    rows_read: u64,
}

fn import_error(err: import::ImportError) -> CommandError {
    streamline::Error::from(err).into()
}

/// Asks for export files with the system's file dialog.
#[tauri::command(async)]
pub fn choose_export_files(app: AppHandle) -> CommandResult<Vec<String>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Choose alert or incident exports")
        .add_filter("Exports", &["csv", "json", "txt", "tsv"])
        .add_filter("All files", &["*"])
        .blocking_pick_files();
    Ok(picked
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .map(|p| p.display().to_string())
        .collect())
}

/// Registers the channel that hears about files dropped on the window.
#[tauri::command(async)]
pub fn watch_file_drops(app: AppHandle, on_drop: Channel<DropEvent>) -> CommandResult<()> {
    *app.state::<DropTarget>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(on_drop);
    Ok(())
}

/// Called from the window's drag-and-drop events.
pub fn forward_drop(app: &AppHandle, event: DropEvent) {
    if let Some(channel) = app
        .state::<DropTarget>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
    {
        let _ = channel.send(event);
    }
}

pub fn dropped_paths(paths: &[PathBuf]) -> DropEvent {
    DropEvent::Dropped(paths.iter().map(|p| p.display().to_string()).collect())
}

#[tauri::command(async)]
pub fn detect_export(app: AppHandle, path: String) -> CommandResult<Detection> {
    with_db(&app, |conn| {
        import::detect_file(conn, Path::new(&path)).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn list_formats(app: AppHandle) -> CommandResult<Vec<FormatInfo>> {
    with_db(&app, |conn| {
        import::list_formats(conn).map_err(import_error)
    })
}

/// Imports one file on a worker thread with its own connection, so the window and the other
/// views keep working; progress goes through `on_progress`, and [`cancel_import`] stops it with
/// nothing written.
#[tauri::command]
pub async fn import_export(
    app: AppHandle,
    job: u64,
    path: String,
    format: Option<String>,
    date_order: Option<String>,
    on_progress: Channel<ImportProgress>,
) -> CommandResult<ImportReport> {
    let date_order = match date_order.as_deref().filter(|s| !s.is_empty()) {
        Some(v) => Some(DateOrder::parse(v).ok_or_else(|| CommandError {
            kind: "invalid_input".into(),
            message: format!("{v:?} is not a date order; use mdy or dmy"),
        })?),
        None => None,
    };
    let options = ImportOptions {
        format: format.filter(|f| !f.is_empty()),
        date_order,
    };
    if let Some(prefetch) = app.try_state::<DashboardPrefetch>() {
        prefetch.discard();
    }
    let cancel = Arc::new(AtomicBool::new(false));
    let jobs = || app.state::<ImportJobs>();
    jobs()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(job, cancel.clone());
    let db_path = app.state::<Database>().path.clone();
    let worker = tauri::async_runtime::spawn_blocking(move || {
        let mut conn = streamline::store::open(&db_path).map_err(streamline::Error::from)?;
        let mut last_sent: Option<Instant> = None;
        import::import_file(&mut conn, Path::new(&path), &options, Utc::now(), |p| {
            if last_sent.is_none_or(|t| t.elapsed() >= Duration::from_millis(100))
                || p.bytes_read == p.bytes_total
            {
                last_sent = Some(Instant::now());
                let _ = on_progress.send(ImportProgress {
                    bytes_read: p.bytes_read,
                    bytes_total: p.bytes_total,
                    rows_read: p.rows_read,
                });
            }
            if cancel.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .map_err(streamline::Error::from)
    })
    .await;
    jobs()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&job);
    match worker {
        Ok(result) => result.map_err(CommandError::from),
        Err(e) => Err(CommandError {
            kind: "internal".into(),
            message: format!("the import stopped unexpectedly: {e}"),
        }),
    }
}

#[tauri::command(async)]
pub fn cancel_import(app: AppHandle, job: u64) -> CommandResult<bool> {
    let jobs = app.state::<ImportJobs>();
    let found = jobs
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&job)
        .cloned();
    if let Some(flag) = &found {
        flag.store(true, Ordering::Relaxed);
    }
    Ok(found.is_some())
}

#[tauri::command(async)]
pub fn list_imports(app: AppHandle) -> CommandResult<Vec<ImportRecord>> {
    with_db(&app, |conn| {
        import::list_imports(conn).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn remove_import(app: AppHandle, id: i64) -> CommandResult<u64> {
    with_db_write(&app, |conn| {
        import::remove_import(conn, id).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn rejected_rows(
    app: AppHandle,
    id: i64,
    offset: u64,
    limit: u64,
) -> CommandResult<Vec<Rejection>> {
    with_db(&app, |conn| {
        import::rejected_rows(conn, id, offset, limit).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn suggest_mapping(name: String, header: Vec<String>) -> CommandResult<ColumnMapping> {
    Ok(import::suggest_mapping(&name, &header))
}

#[tauri::command(async)]
pub fn save_mapping(app: AppHandle, mapping: ColumnMapping) -> CommandResult<String> {
    with_db_write(&app, |conn| {
        import::save_mapping(conn, &mapping).map_err(import_error)?;
        Ok::<_, CommandError>(mapping.format_name())
    })
}

/// The queues, their rules and the automation accounts, for the Data view.
#[derive(Serialize)]
pub struct QueueSettings {
    queues: Vec<QueueInfo>,
    rules: Vec<QueueRule>,
    automation_accounts: Vec<String>,
}

#[tauri::command(async)]
pub fn queue_settings(app: AppHandle) -> CommandResult<QueueSettings> {
    with_db(&app, |conn| {
        Ok::<_, CommandError>(QueueSettings {
            queues: import::list_queues(conn).map_err(import_error)?,
            rules: import::list_queue_rules(conn).map_err(|e| import_error(e.into()))?,
            automation_accounts: import::automation_accounts(conn)
                .map_err(|e| import_error(e.into()))?,
        })
    })
}

#[tauri::command(async)]
pub fn set_queue_rules(app: AppHandle, rules: Vec<QueueRule>) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        import::set_queue_rules(conn, &rules).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn set_primary_queue(app: AppHandle, name: String) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        import::set_primary_queue(conn, &name).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn save_hand_listed_queue(app: AppHandle, queue: HandListedQueue) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        import::save_hand_listed_queue(conn, &queue).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn remove_hand_listed_queue(app: AppHandle, name: String) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        import::remove_hand_listed_queue(conn, &name).map_err(import_error)
    })
}

#[tauri::command(async)]
pub fn set_automation_accounts(app: AppHandle, accounts: Vec<String>) -> CommandResult<()> {
    with_db_write(&app, |conn| {
        import::set_automation_accounts(conn, &accounts).map_err(import_error)
    })
}
