"""The Telegram connector: the only package that imports Telethon (see DESIGN.md, Architecture)."""
