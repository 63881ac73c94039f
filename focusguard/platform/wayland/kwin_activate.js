// FocusGuard's one-shot KWin script: brings one window (by KWin's internal id) to
// the front, then tells FocusGuard it ran so FocusGuard can unload it. A KWin script
// is the only way to activate a window on Plasma's Wayland session.
// FocusGuard fills in CONFIG (its bus name, object path, interface, this script's
// plugin name and the window's id).
const CONFIG = /*CONFIG*/;

const kwin6 = workspace.windowList !== undefined;
const windows = kwin6 ? workspace.windowList() : workspace.clientList();
let found = false;
for (let i = 0; i < windows.length && !found; i++) {
    const window = windows[i];
    if (String(window.internalId) === CONFIG.window) {
        window.minimized = false;
        if (kwin6) {
            workspace.activeWindow = window;
        } else {
            workspace.activeClient = window;
        }
        found = true;
    }
}
callDBus(CONFIG.service, CONFIG.path, CONFIG.interface, "Done", CONFIG.plugin, found);
