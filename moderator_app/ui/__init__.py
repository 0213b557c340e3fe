"""The workstation window: PySide6 widgets, item models and dialogs (the only package importing widgets)."""
