"""Tables of the office pages: a generic row model and a list widget with filter and buttons."""
