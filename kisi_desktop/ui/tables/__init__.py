"""Tables of the office pages: a generic row model, a read-only row view and a list widget with
filter and buttons."""
