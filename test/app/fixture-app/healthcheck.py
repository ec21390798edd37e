"""The container HEALTHCHECK: GET the health path on the local port; exit 0 when it answers 200.

Standard library only, so the runtime image needs no curl.
"""
import os
import sys
import urllib.error
import urllib.request


def main():
    port = os.environ.get("PORT", "")
    path = os.environ.get("HEALTH_CHECK_PATH", "/health")
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            if response.status == 200:
                return 0
            print(f"unhealthy: {url} answered {response.status}", file=sys.stderr)
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
