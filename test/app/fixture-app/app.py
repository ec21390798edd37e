"""The sample service: a minimal Flask app that a team replaces with its own.

Configuration comes from the environment the image sets from the build
arguments the pipeline derives from the spec (.projenrc.ts):
  PORT               the port gunicorn binds (spec.container.port)
  HEALTH_CHECK_PATH  the path the load balancer and HEALTHCHECK call (spec.container.healthCheckPath)
  SERVICE_NAME       the service's name (spec.serviceName)
"""
import os

from flask import Flask, jsonify


def create_app(environ=None):
    """Builds the app; `environ` defaults to os.environ (tests pass their own)."""
    env = os.environ if environ is None else environ
    health_path = env.get("HEALTH_CHECK_PATH", "/health")
    if not health_path.startswith("/"):
        raise ValueError(
            f"HEALTH_CHECK_PATH must be an absolute path such as '/health', got {health_path!r}"
        )
    service = env.get("SERVICE_NAME", "service")

    app = Flask(__name__)

    @app.get("/")
    def index():
        return jsonify(service=service, message=f"Hello from {service}")

    # Cheap and dependency-free on purpose: the load balancer calls it every few seconds.
    @app.get(health_path)
    def health():
        return jsonify(status="ok")

    return app
