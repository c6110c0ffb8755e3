//! The desktop shell: opens the database, hands the UI a few commands that call the core, and
//! nothing else. Business rules and SQL live in the `streamline` crate.

mod commands;
mod imports;
mod menu;
mod reports;
mod window_state;

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::Manager;

/// The app's one connection. Each command locks it inside a blocking worker, never across an
/// `.await`, and only for the length of one core call.
pub struct Database {
    pub path: PathBuf,
    pub conn: Mutex<rusqlite::Connection>,
}

/// The database file: `STREAMLINE_DB` if set (tests, or sharing a file with the CLI), else the
/// same app-data path the CLI uses.
fn database_path() -> Result<PathBuf, streamline::Error> {
    let path = streamline::store::default_db_path()?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| streamline::store::StoreError::CannotOpen {
            path: parent.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    Ok(path)
}

fn open_database() -> Result<Database, streamline::Error> {
    let path = database_path()?;
    let conn = streamline::store::open(&path)?;
    Ok(Database {
        path,
        conn: Mutex::new(conn),
    })
}

/// Starts the app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(window_state::plugin(database_path().ok().as_deref()))
        .menu(menu::build)
        .on_menu_event(menu::handle)
        .manage(menu::MenuTarget::default())
        .manage(imports::ImportJobs::default())
        .manage(imports::DropTarget::default())
        .manage(reports::PreviewPage::default())
        .register_uri_scheme_protocol(reports::PREVIEW_SCHEME, |ctx, _request| {
            reports::serve_preview(ctx.app_handle())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Moved(_) | tauri::WindowEvent::Resized(_) = event {
                window_state::window_changed(window.app_handle());
            }
            if let tauri::WindowEvent::DragDrop(drop) = event {
                let forwarded = match drop {
                    tauri::DragDropEvent::Enter { .. } | tauri::DragDropEvent::Over { .. } => {
                        imports::DropEvent::Over
                    }
                    tauri::DragDropEvent::Drop { paths, .. } => imports::dropped_paths(paths),
                    _ => imports::DropEvent::Left,
                };
                imports::forward_drop(window.app_handle(), forwarded);
            }
        })
        .setup(|app| {
            window_state::start_saver(app.handle());
            match open_database() {
                Ok(db) => {
                    let prefetch = commands::DashboardPrefetch::default();
                    prefetch.start(db.path.clone());
                    app.manage(prefetch);
                    app.manage(db);
                }
                Err(err) => {
                    // The window shows this instead of the app, with what to do about it.
                    app.manage(commands::StartupError(commands::CommandError::from(err)));
                }
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::get_plan,
            commands::edit_step,
            commands::add_step,
            commands::remove_step,
            commands::move_step,
            commands::edit_objective,
            commands::add_objective,
            commands::remove_objective,
            commands::move_objective,
            commands::edit_accountability,
            commands::add_accountability,
            commands::remove_accountability,
            commands::set_program_name,
            commands::audit_log,
            commands::open_link,
            commands::get_dashboard,
            commands::load_demo,
            commands::queue_target_status,
            imports::choose_export_files,
            imports::watch_file_drops,
            imports::detect_export,
            imports::list_formats,
            imports::import_export,
            imports::cancel_import,
            imports::list_imports,
            imports::remove_import,
            imports::rejected_rows,
            imports::suggest_mapping,
            imports::save_mapping,
            imports::queue_settings,
            imports::set_queue_rules,
            imports::set_primary_queue,
            imports::save_hand_listed_queue,
            imports::remove_hand_listed_queue,
            imports::set_automation_accounts,
            reports::report_preview,
            reports::export_report,
            reports::past_reports,
            reports::report_defaults,
            commands::backup_database,
            commands::restore_database,
            commands::open_data_folder,
            commands::get_settings,
            commands::set_time_zone,
            menu::watch_menu,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the Tauri runtime failed to start");
}
