# Oversight: the Discord bot, with the bundled knowledge base.
#   docker build -t oversight .
#   docker run -e DISCORD_TOKEN=... -v oversight-data:/data oversight
# Mount another knowledge folder over /app/knowledge (or set OVERSIGHT_KNOWLEDGE_PATH) to
# serve your own; state (updates, feedback, counters, the hash secret) lives in the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin oversight \
    && mkdir -p /app /data \
    && chown oversight /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .
COPY knowledge ./knowledge

ENV OVERSIGHT_KNOWLEDGE_PATH=/app/knowledge \
    OVERSIGHT_STATE_PATH=/data/state.json
VOLUME ["/data"]

USER oversight
HEALTHCHECK --interval=60s --timeout=15s --start-period=30s --retries=3 CMD ["oversight", "health"]
STOPSIGNAL SIGTERM
CMD ["oversight", "run"]
