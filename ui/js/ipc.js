// Calls into the Rust side. Errors arrive as {kind, message}; the UI branches on kind only.

const tauri = window.__TAURI__;

export async function call(command, args = {}) {
  if (!tauri?.core?.invoke) {
    throw { kind: 'no_backend', message: 'Streamline must run inside its desktop app.' };
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (err) {
    if (err && typeof err === 'object' && 'kind' in err) throw err;
    throw { kind: 'internal', message: String(err) };
  }
}

let toastTimer = null;

/** Shows a message for a few seconds; errors stay until dismissed by the next action. */
export function notify(message, { error = false } = {}) {
  const toast = document.getElementById('toast');
  toast.textContent = message;
  toast.classList.toggle('toast-error', error);
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, error ? 8000 : 3000);
}

/** Runs a command and reports its failure in the toast; returns undefined on failure. */
export async function attempt(command, args) {
  try {
    return await call(command, args);
  } catch (err) {
    notify(err.message ?? String(err), { error: true });
    return undefined;
  }
}
