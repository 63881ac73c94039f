// FocusGuard's KWin script: tells FocusGuard's D-Bus service about every window
// (title, app, pid, full screen), every change to one and every activation.
// Runs on KWin 5.27 and 6 (KWin 6 says "window" where KWin 5 says "client").
// FocusGuard fills in CONFIG (its bus name, object path and interface) before
// loading the script through org.kde.kwin.Scripting.
const CONFIG = /*CONFIG*/;

const kwin6 = workspace.windowList !== undefined;
const windows = kwin6 ? workspace.windowList() : workspace.clientList();
const added = kwin6 ? workspace.windowAdded : workspace.clientAdded;
const removed = kwin6 ? workspace.windowRemoved : workspace.clientRemoved;
const activated = kwin6 ? workspace.windowActivated : workspace.clientActivated;
const active = kwin6 ? workspace.activeWindow : workspace.activeClient;

function report(method, argument) {
    callDBus(CONFIG.service, CONFIG.path, CONFIG.interface, method, argument);
}

function describe(window) {
    return JSON.stringify({
        id: String(window.internalId),
        caption: String(window.caption),
        resourceClass: String(window.resourceClass),
        resourceName: String(window.resourceName),
        desktopFileName: String(window.desktopFileName || ""),
        pid: Number(window.pid) || 0,
        fullScreen: Boolean(window.fullScreen),
        // Only an X11 (XWayland) window has an X window id; KWin gives a Wayland
        // window's resourceName the executable's name, not an X11 instance name.
        xwayland: Number(window.windowId) > 0,
    });
}

function watch(window) {
    const send = function () { report("Window", describe(window)); };
    window.captionChanged.connect(send);
    window.fullScreenChanged.connect(send);
    send();
}

function reportActive(window) {
    report("Active", window ? String(window.internalId) : "");
}

for (let i = 0; i < windows.length; i++) {
    watch(windows[i]);
}
added.connect(watch);
removed.connect(function (window) { report("Closed", String(window.internalId)); });
activated.connect(reportActive);
reportActive(active);
