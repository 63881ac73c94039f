"""Icons, the desktop file and AppStream metainfo, shipped as package data."""
