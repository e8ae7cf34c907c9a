"""gunicorn settings for Zhaoshang (`gunicorn -c gunicorn.conf.py`); every value can be
overridden from the environment (ZHAOSHANG_BIND, ZHAOSHANG_WEB_WORKERS, …)."""

import os

wsgi_app = "zhaoshang.wsgi:application"
bind = os.environ.get("ZHAOSHANG_BIND", "127.0.0.1:8000")
# Sync workers, one request at a time each: (2 × cores) + 1 is gunicorn's rule of thumb. A
# page answers in tens of milliseconds; imports and other long jobs run on the task queue.
workers = int(os.environ.get("ZHAOSHANG_WEB_WORKERS", (os.cpu_count() or 1) * 2 + 1))
worker_class = "sync"
# Uploads of large ledgers take a while over a slow link; nginx buffers them first.
timeout = int(os.environ.get("ZHAOSHANG_WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter), so a slow leak cannot grow.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat files of the workers live in memory, not on a slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("ZHAOSHANG_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ZHAOSHANG_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("ZHAOSHANG_LOG_LEVEL", "warning").lower()
proc_name = "zhaoshang-web"
