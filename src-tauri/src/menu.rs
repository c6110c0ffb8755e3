//! The application menu: the usual entries and their shortcuts. Quit is handled here; every other
//! entry is an action of the UI (a view, a dialog, an export), forwarded to it through a Channel
//! as dropped files are, so the webview needs no event permission.

use std::sync::Mutex;

use tauri::ipc::Channel;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Runtime};

use crate::commands::CommandResult;

/// Where menu actions go: the UI's channel, once it has asked for them.
#[derive(Default)]
pub struct MenuTarget(Mutex<Option<Channel<String>>>);

const QUIT: &str = "quit";

/// The entries the UI acts on: (id, label, shortcut).
const FILE_ITEMS: [(&str, &str, &str); 4] = [
    ("import", "Import exports…", "CmdOrCtrl+O"),
    ("export-report", "Export report…", "CmdOrCtrl+E"),
    ("backup", "Back up data…", "CmdOrCtrl+B"),
    ("restore", "Restore from a backup…", ""),
];
const VIEW_ITEMS: [(&str, &str, &str); 5] = [
    ("view:dashboard", "Dashboard", "CmdOrCtrl+1"),
    ("view:plan", "Plan", "CmdOrCtrl+2"),
    ("view:data", "Data", "CmdOrCtrl+3"),
    ("view:report", "Report", "CmdOrCtrl+4"),
    ("view:settings", "Settings", "CmdOrCtrl+5"),
];
const ABOUT: (&str, &str, &str) = ("about", "About Streamline", "");

fn item<R: Runtime>(
    app: &AppHandle<R>,
    (id, label, shortcut): (&str, &str, &str),
) -> tauri::Result<tauri::menu::MenuItem<R>> {
    let builder = MenuItemBuilder::with_id(id, label);
    let builder = if shortcut.is_empty() {
        builder
    } else {
        builder.accelerator(shortcut)
    };
    builder.build(app)
}

/// File, Edit, View and Help (on macOS the app's own menu holds About and Quit, as users expect).
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let quit = item(app, (QUIT, "Quit Streamline", "CmdOrCtrl+Q"))?;
    let about = item(app, ABOUT)?;

    let mut file = SubmenuBuilder::new(app, "File");
    for entry in FILE_ITEMS {
        file = file.item(&item(app, entry)?);
        if entry.0 == "export-report" {
            file = file.separator();
        }
    }
    let edit = SubmenuBuilder::new(app, "Edit")
        .undo()
        .redo()
        .separator()
        .cut()
        .copy()
        .paste()
        .select_all()
        .build()?;
    let mut view = SubmenuBuilder::new(app, "View");
    for entry in VIEW_ITEMS {
        if entry.0 == "view:settings" {
            view = view.separator();
        }
        view = view.item(&item(app, entry)?);
    }

    let mut menu = MenuBuilder::new(app);
    if cfg!(target_os = "macos") {
        let app_menu = SubmenuBuilder::new(app, "Streamline")
            .item(&about)
            .separator()
            .services()
            .separator()
            .hide()
            .hide_others()
            .show_all()
            .separator()
            .item(&quit)
            .build()?;
        menu = menu.item(&app_menu).item(&file.build()?);
    } else {
        menu = menu.item(&file.separator().item(&quit).build()?);
    }
    menu = menu.item(&edit).item(&view.build()?);
    if !cfg!(target_os = "macos") {
        menu = menu.item(&SubmenuBuilder::new(app, "Help").item(&about).build()?);
    }
    menu.build()
}

/// A menu entry was chosen.
pub fn handle<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == QUIT {
        // Exits through the run loop, so the window's size and position are saved.
        app.exit(0);
        return;
    }
    if let Some(target) = app.try_state::<MenuTarget>() {
        if let Some(channel) = target.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = channel.send(id.to_owned());
        }
    }
}

/// The UI asks for the menu's actions once, at start-up.
#[tauri::command]
pub fn watch_menu(app: AppHandle, on_action: Channel<String>) -> CommandResult<()> {
    *app.state::<MenuTarget>()
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(on_action);
    Ok(())
}
