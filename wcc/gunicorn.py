"""gunicorn settings for production: `gunicorn -c wcc/gunicorn.py wcc.wsgi` (or `make serve`)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: pages are CPU-bound Python and PostgreSQL queries, so threads buy little.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # a 15,000-row XLSX export takes seconds
graceful_timeout = 30
# Recycle workers now and then so a slow leak can never grow without bound; the jitter keeps
# them from all restarting at once, and preloading makes a new worker a fork of a warm master
# (no second of Django start-up during which requests queue).
max_requests = 10_000
max_requests_jitter = 2_000
preload_app = True
# The proxy in front (nginx, a load balancer) is the only client trusted to set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
