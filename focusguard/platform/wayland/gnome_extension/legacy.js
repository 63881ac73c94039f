// GNOME Shell 43-44: the legacy `imports` extension format.
'use strict';

const {Gio, GLib, Meta, Shell} = imports.gi;
const Main = imports.ui.main;

// @PUBLISHER@

/** Called once when the shell loads the extension. */
function init() {
    return new FocusPublisher();
}
