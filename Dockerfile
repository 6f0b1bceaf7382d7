# The portal's web, worker and beat image (docker-compose.yml runs all three).
FROM python:3.11-slim

# Settings find templates/ and static/ beside config/, so the code runs from /app
# (PYTHONPATH) rather than from the copy pip installs into site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    PRIVATE_STORAGE_ROOT=/app/private

# The PostgreSQL server's major version (docker-compose.yml): pg_dump cannot back up a
# newer server, so `manage.py backup` needs the client of the same version, from the
# PostgreSQL project's apt repository.
ARG PG_MAJOR=16

# WeasyPrint draws the board-pack PDFs with Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
        postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
COPY config ./config
COPY partnership ./partnership
COPY programmes ./programmes
COPY bids ./bids
COPY projects ./projects
COPY savings ./savings
COPY reports ./reports
RUN pip install .

COPY . .
# Settings refuse DEBUG off without a secret and a shared cache; these exist only for
# the build step, which connects to neither.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-real-secret CACHE_URL=redis://build-only \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/backups && chown portal:portal /app/media /app/backups

USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
