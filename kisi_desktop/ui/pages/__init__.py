"""The pages of the main window, one module (or folder) per part of the guide's work."""
