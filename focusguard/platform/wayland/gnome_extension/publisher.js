// FocusGuard's publisher: the focused window on the session bus.
// Shared by both variants: `focusguard setup gnome` puts it in place of the
// variant's marker line, with Gio, GLib, Meta, Shell and Main already in scope.

const BUS_NAME = 'io.github.focusguard.Shell';
const OBJECT_PATH = '/io/github/focusguard/Shell';
const WINDOW_ARGS = `
    <arg type="t" name="id" direction="out"/>
    <arg type="s" name="title" direction="out"/>
    <arg type="s" name="app_id" direction="out"/>
    <arg type="s" name="wm_class" direction="out"/>
    <arg type="i" name="pid" direction="out"/>
    <arg type="b" name="fullscreen" direction="out"/>`;
const INTERFACE = `<node><interface name="io.github.focusguard.Shell1">
  <method name="GetFocus">${WINDOW_ARGS}</method>
  <method name="ListWindows"><arg type="a(tsssib)" name="windows" direction="out"/></method>
  <method name="Activate">
    <arg type="t" name="id" direction="in"/>
    <arg type="b" name="found" direction="out"/>
  </method>
  <method name="Place">
    <arg type="s" name="title" direction="in"/>
    <arg type="i" name="x" direction="in"/>
    <arg type="i" name="y" direction="in"/>
    <arg type="b" name="found" direction="out"/>
  </method>
  <signal name="FocusChanged">${WINDOW_ARGS.replace(/ direction="out"/g, '')}</signal>
</interface></node>`;
const NO_WINDOW = [0, '', '', '', 0, false];

// [id, title, app id, wm_class, pid, fullscreen] of a MetaWindow.
function describe(win) {
    if (!win)
        return NO_WINDOW;
    const app = Shell.WindowTracker.get_default().get_window_app(win);
    const appId = app ? app.get_id() || '' : '';
    const pid = win.get_pid();
    return [win.get_id(), win.get_title() || '', appId.startsWith('window:') ? '' : appId,
        win.get_wm_class() || '', pid > 0 ? pid : 0, win.is_fullscreen()];
}

// Windows of every workspace, most recently used first.
function normalWindows() {
    return global.display.get_tab_list(Meta.TabList.NORMAL_ALL, null);
}

// Move `win` to (x, y) and keep it above other windows, now or, before it is first
// shown, once shown (Mutter places a new window as it shows it, over any earlier
// move, and puts one that does not take the focus below the focused window: a nudge
// under the very window it is about). Every window FocusGuard places asks Qt to stay
// on top, a hint Wayland has no protocol for. Qt knows no work area on Wayland: its
// (x, y) is taken as relative to the monitor's work area (below the top bar) and
// kept inside it.
function moveFrame(win, x, y) {
    const move = () => {
        const monitor = win.get_monitor();
        const screen = global.display.get_monitor_geometry(monitor);
        const area = win.get_work_area_for_monitor(monitor);
        const frame = win.get_frame_rect();
        const within = (at, start, length, size) => Math.max(start, Math.min(at, start + length - size));
        win.move_frame(true, within(x + area.x - screen.x, area.x, area.width, frame.width),
            within(y + area.y - screen.y, area.y, area.height, frame.height));
        win.make_above();
    };
    const actor = win.get_compositor_private();
    if (actor && actor.visible) {
        move();
        return;
    }
    const id = win.connect('shown', () => {
        win.disconnect(id);
        move();
    });
}

class FocusPublisher {
    enable() {
        this._window = null;
        this._windowHandlers = [];
        this._dbus = Gio.DBusExportedObject.wrapJSObject(INTERFACE, this);
        this._dbus.export(Gio.DBus.session, OBJECT_PATH);
        // The name last: whoever sees it owned finds the object there.
        this._nameId = Gio.bus_own_name_on_connection(Gio.DBus.session, BUS_NAME,
            Gio.BusNameOwnerFlags.NONE, null, null);
        this._focusHandler = global.display.connect('notify::focus-window', () => this._follow());
        this._follow();
    }

    disable() {
        global.display.disconnect(this._focusHandler);
        this._unfollow();
        Gio.bus_unown_name(this._nameId);
        this._dbus.unexport();
        this._dbus = null;
    }

    GetFocus() {
        return describe(global.display.focus_window);
    }

    ListWindows() {
        return normalWindows().map(describe);
    }

    Activate(id) {
        const win = normalWindows().find(w => w.get_id() === id);
        if (win)
            Main.activateWindow(win);
        return Boolean(win);
    }

    // Move the caller's own window titled `title` to (x, y), above the others: a
    // Wayland client cannot place its windows, and Mutter centres new ones (GNOME 47+),
    // FocusGuard's status window over its nudge. Only the calling process's windows:
    // the bus says its pid.
    PlaceAsync([title, x, y], invocation) {
        Gio.DBus.session.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
            'GetConnectionUnixProcessID', new GLib.Variant('(s)', [invocation.get_sender()]),
            new GLib.VariantType('(u)'), Gio.DBusCallFlags.NONE, -1, null, (bus, result) => {
                try {
                    const [pid] = bus.call_finish(result).deepUnpack();
                    const win = global.display.list_all_windows()
                        .find(w => w.get_pid() === pid && w.get_title() === title);
                    if (win)
                        moveFrame(win, x, y);
                    invocation.return_value(new GLib.Variant('(b)', [Boolean(win)]));
                } catch (e) {
                    invocation.return_error_literal(Gio.DBusError, Gio.DBusError.FAILED, String(e));
                }
            });
    }

    // Watch the newly focused window's title, class and full-screen state, and say so.
    _follow() {
        this._unfollow();
        const win = global.display.focus_window;
        if (win) {
            this._window = win;
            this._windowHandlers = ['notify::title', 'notify::wm-class', 'notify::fullscreen']
                .map(signal => win.connect(signal, () => this._emit()));
        }
        this._emit();
    }

    _unfollow() {
        for (const id of this._windowHandlers)
            this._window.disconnect(id);
        this._window = null;
        this._windowHandlers = [];
    }

    _emit() {
        this._dbus.emit_signal('FocusChanged',
            new GLib.Variant('(tsssib)', describe(global.display.focus_window)));
    }
}
