"""gunicorn settings for the container; the port comes from PORT (spec.container.port)."""
import os

_port = os.environ.get("PORT", "")
if not _port.isdigit() or not 1 <= int(_port) <= 65535:
    raise SystemExit(
        f"PORT must be a port number (spec.container.port, passed as a build argument), got {_port!r}"
    )

bind = f"0.0.0.0:{_port}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Containers often have a small or slow /tmp; the heartbeat file belongs in memory.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Finish in-flight requests within the ECS stop timeout (30 s by default).
graceful_timeout = 20
timeout = 30
# The load balancer sets X-Forwarded-*; trust it from inside the VPC only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
