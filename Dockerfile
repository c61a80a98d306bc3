# The directory's image: the same commands as the Procfile (web, worker, beat).
# Static files are collected at build time; the database, gazetteer and media live in
# the /app/var volume. See README "Deploying".

FROM node:22-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY cms/frontend cms/frontend
RUN npm run --silent build:css

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
# Pango and fonts for server-made PDFs (WeasyPrint) and the English word list for
# spelling correction (wbritish), as `make` installs them.
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core wbritish \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
COPY --from=assets /app/node_modules/govuk-frontend node_modules/govuk-frontend
COPY --from=assets /app/node_modules/leaflet node_modules/leaflet
COPY --from=assets /app/var/build var/build
RUN pip install --no-cache-dir . \
    && useradd --create-home directory && mkdir -p var && chown -R directory var
USER directory
# The production profile refuses to start without these; the build only needs stand-ins.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build CACHE_URL=dummycache:// \
    python manage.py collectstatic --noinput --verbosity 0
EXPOSE 8000
CMD ["sh", "-c", "gunicorn -c python:cms.gunicorn_config --bind 0.0.0.0:${PORT:-8000}"]
