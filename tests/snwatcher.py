"""A StatusNotifierWatcher with a host, on the session bus: the part of a Wayland
panel's tray (Plasma's, waybar's, GNOME's AppIndicator extension) that Qt talks to.

Run as ``python tests/snwatcher.py``: it owns ``org.kde.StatusNotifierWatcher``, says
a host is registered, and prints ``item <service>`` (flushed) for each item that
registers, which is how a test sees an app move its icon into the tray.
"""

from __future__ import annotations

import sys

from jeepney import DBusAddress, HeaderFields, MessageType, message_bus
from jeepney.io.blocking import open_dbus_connection
from jeepney.wrappers import new_error, new_method_return, new_signal

NAME = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"
INTERFACE = "org.kde.StatusNotifierWatcher"
WATCHER = DBusAddress(PATH, interface=INTERFACE)


def main() -> None:
    conn = open_dbus_connection("SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME))
    if reply.body[0] != 1:  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
        sys.exit(f"cannot own {NAME}: {reply.body}")
    items: list[str] = []
    properties = {
        "IsStatusNotifierHostRegistered": ("b", True),
        "ProtocolVersion": ("i", 0),
    }
    print("ready", flush=True)
    while True:
        msg = conn.receive()
        if msg.header.message_type is not MessageType.method_call:
            continue
        member = msg.header.fields.get(HeaderFields.member)
        if member == "RegisterStatusNotifierItem":
            service = msg.body[0]
            if service.startswith("/"):  # some clients send a path: the sender is the service
                service = msg.header.fields[HeaderFields.sender]
            items.append(service)
            conn.send(new_method_return(msg))
            conn.send(new_signal(WATCHER, "StatusNotifierItemRegistered", "s", (service,)))
            print("item", service, flush=True)
        elif member == "RegisterStatusNotifierHost":
            conn.send(new_method_return(msg))
        elif member == "Get":
            _iface, name = msg.body
            if name == "RegisteredStatusNotifierItems":
                conn.send(new_method_return(msg, "v", (("as", items),)))
            elif name in properties:
                conn.send(new_method_return(msg, "v", (properties[name],)))
            else:
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownProperty", "s", (name,)))
        elif member == "GetAll":
            values = {**properties, "RegisteredStatusNotifierItems": ("as", items)}
            conn.send(new_method_return(msg, "a{sv}", (values,)))
        else:
            conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (str(member),)))


if __name__ == "__main__":
    main()
