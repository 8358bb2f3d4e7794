# Digest CMS web image: the site under gunicorn, as an unprivileged user.
# Used by docker-compose.yml; README "Deploy" says how to run it.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /src
COPY pyproject.toml ./
COPY digestsite/ digestsite/
COPY digests/ digests/
COPY people/ people/
# Runtime dependencies with object storage support (the `s3` extra), no test tools. The code
# runs from /app, so the project's own installed copy is removed again.
RUN /venv/bin/pip install '.[s3]' && /venv/bin/pip uninstall -y digest-cms

FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_MEDIA_ROOT=/app/media \
    DJANGO_STATIC_ROOT=/app/staticfiles
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin digest
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
# Static files are collected into the image (hashed, compressed names served by whitenoise), so
# a start needs no write access to the code. The secret key exists only for this one command:
# no ENV or ARG carries it into the image.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only DJANGO_ALLOWED_HOSTS=build.invalid \
        python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media \
    && chown digest:digest /app/media
USER digest
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
ENTRYPOINT ["scripts/docker-entrypoint.sh"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "digestsite.wsgi"]
