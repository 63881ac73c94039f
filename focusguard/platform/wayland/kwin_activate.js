// FocusGuard's one-shot KWin script: brings one window (by KWin's internal id) to
// the front, or, given CONFIG.x and CONFIG.y, moves it there and keeps it above the
// others (FocusGuard's own status window and nudge card: a Wayland client cannot
// place itself). Then it tells FocusGuard it ran so FocusGuard can unload it. A KWin
// script is the only way to do either on Plasma's Wayland session.
// FocusGuard fills in CONFIG (its bus name, object path, interface, this script's
// plugin name, the window's id, and x and y to move rather than activate).
const CONFIG = /*CONFIG*/;

const kwin6 = workspace.windowList !== undefined;
const windows = kwin6 ? workspace.windowList() : workspace.clientList();
let found = false;
for (let i = 0; i < windows.length && !found; i++) {
    const window = windows[i];
    if (String(window.internalId) === CONFIG.window && CONFIG.x !== undefined) {
        const now = window.frameGeometry;
        window.frameGeometry = {x: Number(CONFIG.x), y: Number(CONFIG.y), width: now.width, height: now.height};
        // Every window FocusGuard places asks Qt to stay on top, a hint Wayland cannot
        // carry; and KWin stacks a window that does not take the focus under the active
        // one: the nudge under the very window it is about.
        window.keepAbove = true;
        found = true;
    } else if (String(window.internalId) === CONFIG.window) {
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
