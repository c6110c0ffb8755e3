//! The window opens as large and where it was left. The plugin restores it and saves at exit;
//! here it is also saved once the window has been still for half a second, so an app that is
//! killed (or a laptop that loses power) still reopens where it was.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_window_state::{AppHandleExt, Builder, StateFlags};

const REMEMBERED: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// The plugin, keeping its file beside the database so that a test's temporary database brings
/// its own (an absolute name replaces the plugin's config folder).
pub fn plugin<R: Runtime>(database: Option<&Path>) -> tauri::plugin::TauriPlugin<R> {
    let builder = Builder::new().with_state_flags(REMEMBERED);
    match database {
        Some(db) => builder.with_filename(db.with_file_name("window-state.json").to_string_lossy()),
        None => builder,
    }
    .build()
}

/// Wakes the saver thread on each move or resize.
pub struct WindowStateSaver(mpsc::Sender<()>);

/// Starts the thread that saves the state after the moves stop.
pub fn start_saver<R: Runtime>(app: &AppHandle<R>) {
    let (moved, moves) = mpsc::channel::<()>();
    let app_handle = app.clone();
    std::thread::spawn(move || {
        while moves.recv().is_ok() {
            while moves.recv_timeout(Duration::from_millis(500)).is_ok() {}
            let _ = app_handle.save_window_state(REMEMBERED);
        }
    });
    app.manage(WindowStateSaver(moved));
}

/// Called on every move and resize of a window.
pub fn window_changed<R: Runtime>(app: &AppHandle<R>) {
    if let Some(saver) = app.try_state::<WindowStateSaver>() {
        let _ = saver.0.send(());
    }
}
