"""The Discord front end: a thin layer over `bot.service`. Nothing in the core imports it."""
