// GNOME Shell 45 and later: the ES module extension format.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Meta from 'gi://Meta';
import Shell from 'gi://Shell';
import * as Main from 'resource:///org/gnome/shell/ui/main.js';
import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';

// @PUBLISHER@

export default class FocusGuardExtension extends Extension {
    enable() {
        this._publisher = new FocusPublisher();
        this._publisher.enable();
    }

    disable() {
        this._publisher.disable();
        this._publisher = null;
    }
}
