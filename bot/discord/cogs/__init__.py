"""One cog per feature: asking, browsing, feedback, maintainers' tools, moderator updates."""
