"""The `kisi` command line: the whole app without a window, for scripts, tests and support."""
