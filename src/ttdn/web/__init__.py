"""The staff web interface: layout, navigation, module pages, organisations, audit log."""
