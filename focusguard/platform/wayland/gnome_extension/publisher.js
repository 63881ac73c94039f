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
